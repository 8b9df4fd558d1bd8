import { DiagnosticCode } from './diagnosticCodes';
import { Composer, CST, Lexer, Parser, YAMLParseError, type Document } from 'yaml';
import { createScanner, SyntaxKind } from 'jsonc-parser';

/**
 * Limits on what one layer file (or one environment variable's value) may hold. A real layer is a few hundred
 * lines; these numbers are far above that and far below what would exhaust the call stack of the recursive
 * steps after parsing (merge, provenance, schema validation, rendering, the language server's features) or
 * stall the editor. They are checked while the file is read token by token, before any tree is built, so a
 * hostile file costs at most the tokens up to the limit. Documented in docs/format.md.
 */
export const MAX_LAYER_BYTES = 5 * 1024 * 1024;
/** Maps and lists inside one another. */
export const MAX_NESTING_DEPTH = 64;
/** Keys, list items and values in one file (aliases count every node they expand to, see the alias budget). */
export const MAX_NODES = 20_000;

/** A limit that a text breaks: where (offset into the text), the diagnostic code and the message. */
export interface LimitBreach {
  offset: number;
  code: typeof DiagnosticCode.syntaxTooDeep | typeof DiagnosticCode.syntaxTooManyNodes;
  message: string;
}

export function tooDeep(offset: number): LimitBreach {
  return {
    offset,
    code: DiagnosticCode.syntaxTooDeep,
    message: `Maps and lists are nested more than ${MAX_NESTING_DEPTH} levels deep here; layer files are limited to ${MAX_NESTING_DEPTH}.`,
  };
}

function tooManyNodes(offset: number): LimitBreach {
  return {
    offset,
    code: DiagnosticCode.syntaxTooManyNodes,
    message: `This file holds more than ${MAX_NODES} keys, items and values (the limit is reached here); split it or remove entries.`,
  };
}

/** CST tokens that start a node: a scalar, an alias or a flow collection (block collections start with a key or `-`). */
const NODE_TOKENS = new Set<string>([
  'scalar',
  'single-quoted-scalar',
  'double-quoted-scalar',
  'block-scalar-header',
  'alias',
  'flow-map-start',
  'flow-seq-start',
]);

/**
 * Parses YAML as `parseDocument` does, but drives the (iterative) CST parser one token at a time and stops at
 * the first token that breaks a limit: the composer that builds the document recurses once per nesting level,
 * so it must never see a document deeper than the limit.
 */
export function composeYamlWithinLimits(
  text: string,
  options: ConstructorParameters<typeof Composer>[0],
): { doc: Document.Parsed; breach?: undefined } | { doc?: undefined; breach: LimitBreach } {
  const parser = new Parser();
  const tokens: CST.Token[] = [];
  let nodes = 0;
  let scalarSourceNext = false;
  for (const lexeme of new Lexer().lex(text)) {
    const offset = parser.offset;
    // The lexeme after a plain-scalar marker is the scalar's own text, not a token type.
    const type: string | null | undefined = scalarSourceNext ? undefined : CST.tokenType(lexeme);
    scalarSourceNext = type === 'scalar';
    if (typeof type === 'string' && NODE_TOKENS.has(type) && ++nodes > MAX_NODES)
      return { breach: tooManyNodes(offset) };
    for (const token of parser.next(lexeme)) tokens.push(token);
    // The parser keeps one stack entry per open collection (plus the document and the current scalar).
    if (parser.stack.length > MAX_NESTING_DEPTH + 2) return { breach: tooDeep(offset) };
  }
  for (const token of parser.end()) tokens.push(token);
  let doc: Document.Parsed | undefined;
  for (const composed of new Composer(options).compose(tokens, true, text.length)) {
    if (!doc) doc = composed;
    else {
      doc.errors.push(
        new YAMLParseError(
          [composed.range[0], composed.range[1]],
          'MULTIPLE_DOCS',
          'Source contains multiple documents; a layer file holds one.',
        ),
      );
      break;
    }
  }
  return { doc: doc! };
}

/**
 * Checks a JSON text against the depth and node limits with jsonc-parser's scanner (iterative), before its
 * recursive `parseTree` runs. Returns the first breach, or undefined.
 */
export function checkJsonLimits(text: string): LimitBreach | undefined {
  const scanner = createScanner(text, false);
  let depth = 0;
  let nodes = 0;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    switch (kind) {
      case SyntaxKind.OpenBraceToken:
      case SyntaxKind.OpenBracketToken:
        if (++depth > MAX_NESTING_DEPTH) return tooDeep(scanner.getTokenOffset());
        if (++nodes > MAX_NODES) return tooManyNodes(scanner.getTokenOffset());
        break;
      case SyntaxKind.CloseBraceToken:
      case SyntaxKind.CloseBracketToken:
        depth = Math.max(0, depth - 1);
        break;
      case SyntaxKind.StringLiteral:
      case SyntaxKind.NumericLiteral:
      case SyntaxKind.TrueKeyword:
      case SyntaxKind.FalseKeyword:
      case SyntaxKind.NullKeyword:
        if (++nodes > MAX_NODES) return tooManyNodes(scanner.getTokenOffset());
        break;
    }
  }
  return undefined;
}

/**
 * Why a number cannot be kept: JSON (the format of every file claude-env writes) has no infinities or NaN,
 * and an integer beyond 2^53 would be written as a different number. Undefined when the number is fine.
 */
export function unrepresentableNumber(value: number): string | undefined {
  if (Number.isNaN(value)) return 'NaN (not a number) cannot be written to JSON';
  if (!Number.isFinite(value)) return 'This number is out of range: JSON cannot hold an infinity';
  if (Number.isInteger(value) && !Number.isSafeInteger(value))
    return 'This integer is too large to be kept exactly (the limit is 2^53 - 1)';
  return undefined;
}
