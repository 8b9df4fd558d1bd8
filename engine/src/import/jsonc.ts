import { setOwn } from '../ownKeys';
import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { Diagnostic, Position, Range } from '../types';
import { DiagnosticCode, type DiagnosticCodeValue } from '../diagnosticCodes';

/** A JSONC document read for import: the tree (with offsets) and the syntax errors at their positions. */
export interface JsoncDocument {
  file: string;
  text: string;
  root: JsonNode | undefined;
  diagnostics: Diagnostic[];
}

/**
 * Parses the JSON-with-comments that Claude Code and VS Code accept (comments, trailing commas), keeping
 * offsets so every later finding can point at a line and column.
 */
export function parseJsonc(file: string, text: string): JsoncDocument {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // The parser repeats an error at the same place while it unwinds nested objects; one report is enough.
    const key = `${error.offset}:${error.error}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(
      importDiagnostic(
        file,
        rangeAt(text, error.offset, error.length),
        'error',
        DiagnosticCode.importSyntax,
        describeParseError(error),
      ),
    );
  }
  return { file, text, root, diagnostics };
}

function describeParseError(error: ParseError): string {
  const name = printParseErrorCode(error.error);
  // The library's codes are identifiers (`CommaExpected`); a sentence reads better in a terminal.
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `invalid JSON: ${words}`;
}

/** Converts an offset into a zero-based line and UTF-16 column (the engine's convention). */
export function positionAt(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) {
      line++;
      lineStart = i + 1;
    } else if (code === 13) {
      // A lone CR ends a line too; CRLF is counted once, at the LF.
      if (text.charCodeAt(i + 1) !== 10) {
        line++;
        lineStart = i + 1;
      }
    }
  }
  return { line, character: end - lineStart };
}

export function rangeAt(text: string, offset: number, length: number): Range {
  return { start: positionAt(text, offset), end: positionAt(text, offset + length) };
}

export function nodeRange(doc: JsoncDocument, node: JsonNode): Range {
  return rangeAt(doc.text, node.offset, node.length);
}

export function importDiagnostic(
  file: string,
  range: Range,
  severity: Diagnostic['severity'],
  code: DiagnosticCodeValue,
  message: string,
): Diagnostic {
  return { file, range, severity, code, message };
}

/** The plain value of a node (objects keep their key order; a later duplicate key wins, as JSON.parse does). */
export function nodeValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key && value) setOwn(result, String(key.value), nodeValue(value));
      }
      return result;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

/** The property nodes of an object node as (key, key node, value node). */
export function propertiesOf(node: JsonNode): { key: string; keyNode: JsonNode; valueNode: JsonNode }[] {
  if (node.type !== 'object') return [];
  const result: { key: string; keyNode: JsonNode; valueNode: JsonNode }[] = [];
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (keyNode && valueNode) result.push({ key: String(keyNode.value), keyNode, valueNode });
  }
  return result;
}
