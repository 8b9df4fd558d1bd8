/**
 * Secret and variable references inside string values: `${env:NAME}`, `${env:NAME:-default}`,
 * `${secret:name}`, `${file:path}`. `$${` stands for a literal `${`.
 *
 * Scanning never throws: a reference that cannot be understood is returned as a `MalformedReference` so that
 * callers can report it at the value that holds it.
 */

/** A well-formed reference found in a string. Offsets are UTF-16 indices into that string, end exclusive. */
export type ValueReference = EnvReference | SecretReference | FileReference;

interface ReferenceBase {
  /** The reference exactly as written, e.g. `${secret:magic-api-key}`. */
  raw: string;
  start: number;
  end: number;
}

export interface EnvReference extends ReferenceBase {
  kind: 'env';
  /** Variable name. */
  name: string;
  /** Text after `:-`; undefined when no default was written (the reference is then required). */
  defaultValue?: string;
}

export interface SecretReference extends ReferenceBase {
  kind: 'secret';
  /** Secret name as written, e.g. `magic-api-key`. */
  name: string;
}

export interface FileReference extends ReferenceBase {
  kind: 'file';
  /** Path as written: relative to the workspace, absolute, or starting with `~/`. */
  path: string;
}

/** Something that starts like a reference but is not one of the known forms. */
export interface MalformedReference {
  raw: string;
  start: number;
  end: number;
  /** Why it is malformed, phrased so that a person can fix it. */
  reason: string;
}

/** Everything `scanReferences` finds in one string. */
export interface ReferenceScan {
  references: ValueReference[];
  malformed: MalformedReference[];
}

/** One piece of a string: literal text (escapes already undone) or a reference. */
export type StringPart = { kind: 'text'; text: string } | { kind: 'reference'; reference: ValueReference };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Well-formed references in `text`, in order. Malformed ones are left out; see `scanReferences`. */
export function findReferences(text: string): ValueReference[] {
  return scanReferences(text).references;
}

/** Well-formed and malformed references in `text`, each in order. */
export function scanReferences(text: string): ReferenceScan {
  const references: ValueReference[] = [];
  const malformed: MalformedReference[] = [];
  for (const part of tokenize(text)) {
    if (part.kind === 'reference') references.push(part.reference);
    else if (part.kind === 'malformed') malformed.push(part.malformed);
  }
  return { references, malformed };
}

/**
 * Splits `text` into literal text and references, undoing `$${` escapes. Malformed references stay as
 * literal text, so a caller that substitutes values still produces something a person recognises.
 */
export function splitReferences(text: string): StringPart[] {
  const parts: StringPart[] = [];
  for (const part of tokenize(text)) {
    const literal = part.kind === 'text' ? part.text : part.kind === 'malformed' ? part.malformed.raw : undefined;
    if (literal === undefined) {
      parts.push({ kind: 'reference', reference: (part as { reference: ValueReference }).reference });
    } else if (parts.length > 0 && parts[parts.length - 1].kind === 'text') {
      (parts[parts.length - 1] as { text: string }).text += literal;
    } else {
      parts.push({ kind: 'text', text: literal });
    }
  }
  return parts;
}

/** Rebuilds a string with each reference replaced by `replace(reference)`; `$${` escapes become `${`. */
export function mapReferences(text: string, replace: (reference: ValueReference) => string): string {
  return splitReferences(text)
    .map((part) => (part.kind === 'text' ? part.text : replace(part.reference)))
    .join('');
}

/** True when `text` holds at least one reference (well-formed or not). */
export function hasReferenceSyntax(text: string): boolean {
  const scan = scanReferences(text);
  return scan.references.length > 0 || scan.malformed.length > 0;
}

type Token =
  | { kind: 'text'; text: string }
  | { kind: 'reference'; reference: ValueReference }
  | { kind: 'malformed'; malformed: MalformedReference };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      literal += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      literal += text[i];
      i += 1;
      continue;
    }
    if (literal) tokens.push({ kind: 'text', text: literal });
    literal = '';
    const close = text.indexOf('}', i + 2);
    if (close < 0) {
      tokens.push({
        kind: 'malformed',
        malformed: { raw: text.slice(i), start: i, end: text.length, reason: 'is not closed with `}`' },
      });
      break;
    }
    const raw = text.slice(i, close + 1);
    tokens.push(parseReference(raw, text.slice(i + 2, close), i, close + 1));
    i = close + 1;
  }
  if (literal) tokens.push({ kind: 'text', text: literal });
  return tokens;
}

function parseReference(raw: string, body: string, start: number, end: number): Token {
  const malformed = (reason: string): Token => ({ kind: 'malformed', malformed: { raw, start, end, reason } });
  const colon = body.indexOf(':');
  if (colon < 0) {
    return malformed(
      'has no kind: write `${env:NAME}`, `${secret:name}` or `${file:path}` (or `$${` for a literal `${`)',
    );
  }
  const kind = body.slice(0, colon);
  const rest = body.slice(colon + 1);
  switch (kind) {
    case 'env': {
      const dash = rest.indexOf(':-');
      const name = dash < 0 ? rest : rest.slice(0, dash);
      if (!name) return malformed('names no variable: write `${env:NAME}`');
      if (!ENV_NAME.test(name)) {
        return malformed(
          `has an invalid variable name \`${name}\`: use letters, digits and \`_\`, not starting with a digit`,
        );
      }
      const reference: EnvReference = { kind: 'env', raw, start, end, name };
      if (dash >= 0) reference.defaultValue = rest.slice(dash + 2);
      return { kind: 'reference', reference };
    }
    case 'secret':
      if (!rest) return malformed('names no secret: write `${secret:name}`');
      if (!SECRET_NAME.test(rest)) {
        return malformed(`has an invalid secret name \`${rest}\`: use letters, digits, \`.\`, \`_\` and \`-\``);
      }
      return { kind: 'reference', reference: { kind: 'secret', raw, start, end, name: rest } };
    case 'file':
      if (!rest.trim()) return malformed('names no file: write `${file:path}`');
      return { kind: 'reference', reference: { kind: 'file', raw, start, end, path: rest } };
    default:
      return malformed(`has an unknown kind \`${kind}\`: use \`env\`, \`secret\` or \`file\``);
  }
}
