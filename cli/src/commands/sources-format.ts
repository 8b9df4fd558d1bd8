import { displayUrl, type EnvironmentChange, type Origin, type UpdateConflict } from '@claude-env/engine';
import type { Palette } from '../format/colour';
import { formatScalar } from '../format/origin';
import { placeOf } from '../format/origin';

/** A checkout file in the cache: `…/checkouts/<commit>[-<folder hash>]/<file>`. */
const CHECKOUT_FILE = /[/\\]checkouts[/\\]([0-9a-f]{40})(?:-[0-9a-f]{12})?[/\\](.+)$/;

/**
 * Where a write is, as people read it: an org file from a git source as its path in the repository and the commit
 * (`claude-env/base.yaml:4 @ 1a2b3c4d5e6f`), anything else as the other commands show it.
 */
export function writePlace(origin: Origin, cwd: string, subFolder: string): string {
  const match = CHECKOUT_FILE.exec(origin.file);
  if (!match) return placeOf(origin, cwd);
  const file = [subFolder, match[2].split(/[/\\]/).join('/')].filter((part) => part !== '').join('/');
  return `${file}:${origin.keyRange.start.line + 1} @ ${match[1].slice(0, 12)}`;
}

function short(value: unknown): string {
  const text = value !== null && typeof value === 'object' ? JSON.stringify(value) : formatScalar(value);
  return text.length > 100 ? `${text.slice(0, 97)}…` : text;
}

/** One line per change: `+ settings.model = opus  (claude-env/base.yaml:3 @ 1a2b…)`. */
export function changeLine(change: EnvironmentChange, cwd: string, subFolder: string, colour: Palette): string {
  const where = colour.dim(`(${change.origin.label} ${writePlace(change.origin, cwd, subFolder)})`);
  if (change.kind === 'added') return `  ${colour.green('+')} ${change.path} = ${short(change.after)}  ${where}`;
  if (change.kind === 'removed') return `  ${colour.red('-')} ${change.path} (was ${short(change.before)})  ${where}`;
  return `  ${colour.yellow('~')} ${change.path}: ${short(change.before)} → ${short(change.after)}  ${where}`;
}

/** A conflict with both places. */
export function conflictLines(conflict: UpdateConflict, cwd: string, subFolder: string, colour: Palette): string[] {
  const lines = [`  ${colour.yellow('!')} ${conflict.message}`];
  if (conflict.org) lines.push(`      org:    ${writePlace(conflict.org, cwd, subFolder)}`);
  if (conflict.winner)
    lines.push(`      wins:   ${conflict.winner.label} ${writePlace(conflict.winner, cwd, subFolder)}`);
  const diagnostic = conflict.diagnostic;
  if (diagnostic) {
    const at = { ...diagnostic.range.start };
    lines.push(`      refused: ${placeOf({ file: diagnostic.file, keyRange: { start: at, end: at } } as Origin, cwd)}`);
    for (const related of diagnostic.related ?? []) {
      const origin = { file: related.file, keyRange: related.range } as Origin;
      lines.push(`      ${related.message}: ${writePlace(origin, cwd, subFolder)}`);
    }
  }
  return lines;
}

export { displayUrl };
