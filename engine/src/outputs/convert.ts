import { setOwn } from '../ownKeys';
import { mapReferences } from '../secrets/references';
import { claudeVariableOf } from '../secrets/variables';

export { claudeVariableOf, variableNameOf } from '../secrets/variables';

/** A string in Claude Code's syntax: `${NAME}` and `${NAME:-default}`. `$${` escapes become `${`. */
export function toClaudeCodeSyntax(text: string): string {
  return mapReferences(text, (reference) => {
    if (reference.kind === 'env' && reference.defaultValue !== undefined) {
      return `\${${reference.name}:-${reference.defaultValue}}`;
    }
    return `\${${claudeVariableOf(reference)}}`;
  });
}

/**
 * A string in VS Code's `mcp.json` syntax: secrets become `${input:name}` (VS Code prompts once and stores the
 * answer in its secret storage), environment variables `${env:NAME}`. VS Code has no defaults, so `:-default`
 * is dropped; files map to the same variable as for Claude Code.
 */
export function toVsCodeSyntax(text: string): string {
  return mapReferences(text, (reference) => {
    switch (reference.kind) {
      case 'secret':
        return `\${input:${reference.name}}`;
      case 'env':
        return `\${env:${reference.name}}`;
      case 'file':
        return `\${env:${claudeVariableOf(reference)}}`;
    }
  });
}

/** Copies a JSON-like value, converting every string (keys stay as written); key order is kept. */
export function mapStrings(value: unknown, convert: (text: string) => string): unknown {
  if (typeof value === 'string') return convert(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, convert));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>))
      setOwn(out, key, mapStrings(item, convert));
    return out;
  }
  return value;
}

/** Calls `visit` for every string inside a JSON-like value. */
export function forEachString(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) value.forEach((item) => forEachString(item, visit));
  else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value as Record<string, unknown>)) forEachString(item, visit);
  }
}
