import { setOwn } from '../ownKeys';
/**
 * Rewrites the variable syntax of Claude Code and VS Code files into claude-env references, so that secrets
 * stay references in the layer and `apply` can write each target's own syntax back.
 */

// Claude Code expands `${VAR}` and `${VAR:-default}` in `.mcp.json`; any other `${` is literal text there.
const CLAUDE_VARIABLE = /\$\{(?:([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\})?/g;

// VS Code's `mcp.json` knows `${input:id}` (a prompted value, usually a key) and `${env:NAME}`; its other
// variables (`${workspaceFolder}`) are kept as literal text.
const VSCODE_VARIABLE = /\$\{(?:(input|env):([^}]+)\})?/g;

/**
 * `${VAR}` → `${env:VAR}`, `${VAR:-x}` → `${env:VAR:-x}`; any other `${` becomes `$${`, claude-env's escape for
 * a literal `${`, so it is written back unchanged.
 */
export function fromClaudeSyntax(text: string): string {
  return text.replace(CLAUDE_VARIABLE, (_match, name: string | undefined, fallback: string | undefined) =>
    name === undefined ? '$${' : `\${env:${name}${fallback ?? ''}}`,
  );
}

/** `${input:id}` → `${secret:id}`; `${env:NAME}` is already claude-env syntax; any other `${` is escaped. */
export function fromVscodeSyntax(text: string): string {
  return text.replace(VSCODE_VARIABLE, (match, scheme: string | undefined, name: string | undefined) => {
    if (scheme === 'input') return `\${secret:${name}}`;
    if (scheme === 'env') return match;
    return '$${';
  });
}

/** Text that Claude Code takes literally (settings values): every `${` is escaped so no reference is read into it. */
export function escapeLiteral(text: string): string {
  return text.replace(/\$\{/g, () => '$${');
}

/** VS Code variables that have no meaning outside VS Code (`${workspaceFolder}`, `${userHome}`, …). */
export function vscodeOnlyVariables(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/\$\{([A-Za-z][A-Za-z0-9]*)(?::[^}]*)?\}/g)) {
    const name = match[1] ?? '';
    if (name !== 'env' && name !== 'input') names.push(match[0]);
  }
  return names;
}

/** Applies `rewrite` to every string inside a JSON value, keys untouched. */
export function mapStrings(value: unknown, rewrite: (text: string) => string): unknown {
  if (typeof value === 'string') return rewrite(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, rewrite));
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) setOwn(result, key, mapStrings(item, rewrite));
    return result;
  }
  return value;
}
