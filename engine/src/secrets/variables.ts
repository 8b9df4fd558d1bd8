import type { ValueReference } from './references';

/**
 * Turns a name into an environment variable name: upper case, runs of other characters become one `_`.
 * `magic-api-key` → `MAGIC_API_KEY`.
 */
export function variableNameOf(name: string): string {
  const upper = name
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!upper) return '_';
  return /^[0-9]/.test(upper) ? `_${upper}` : upper;
}

/**
 * The variable that stands for a reference in Claude Code's files. Claude Code only expands `${VAR}` from its
 * own environment, so secrets and files become variables that claude-env sets for the processes it starts:
 * `${secret:magic-api-key}` → `MAGIC_API_KEY`, `${file:~/.config/gh/token}` → `FILE_CONFIG_GH_TOKEN`.
 */
export function claudeVariableOf(reference: ValueReference): string {
  switch (reference.kind) {
    case 'env':
      return reference.name;
    case 'secret':
      return variableNameOf(reference.name);
    case 'file':
      return `FILE_${variableNameOf(reference.path.replace(/^~\//, ''))}`;
  }
}
