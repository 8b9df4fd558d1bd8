/**
 * The Review document of an org layer update: what moving the lock changes in the effective environment, each
 * change and conflict with the file and line it comes from (an org file as its path in the repository and commit).
 */
import { relative } from 'node:path';
import { findLiteralSecrets, setOwn } from '@claude-env/engine';
import type { EnvironmentChange, Origin, UpdateConflict, UpdateReport } from '@claude-env/engine';

/** What a literal credential shows as (the language server's views mask the same way). */
export const HIDDEN_CREDENTIAL = '•••••• (literal credential hidden)';

/** A checkout file in the cache: `…/checkouts/<commit>[-<folder hash>]/<file>`. */
const CHECKOUT_FILE = /[/\\]checkouts[/\\]([0-9a-f]{40})(?:-[0-9a-f]{12})?[/\\](.+)$/;

/** `claude-env/base.yaml:4 @ 1a2b3c4d5e6f` for an org file, `.claude-env/project.yaml:7` for the workspace's own. */
export function placeText(file: string, line: number, workspace: string, subFolder: string): string {
  const match = CHECKOUT_FILE.exec(file);
  if (!match) {
    const inside = relative(workspace, file);
    return `${inside.startsWith('..') ? file : inside.split(/[/\\]/).join('/')}:${line + 1}`;
  }
  const path = [subFolder, match[2]!.split(/[/\\]/).join('/')].filter((part) => part !== '').join('/');
  return `${path}:${line + 1} @ ${match[1]!.slice(0, 12)}`;
}

/** `value` with each string that looks like a credential (judged with the key that holds it) hidden. */
function masked(value: unknown, keyName: string): unknown {
  if (typeof value === 'string') return findLiteralSecrets(value, keyName).length > 0 ? HIDDEN_CREDENTIAL : value;
  if (Array.isArray(value)) return value.map((item) => masked(item, keyName));
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) setOwn(result, key, masked(item, key));
    return result;
  }
  return value;
}

/** The value as JSON, credentials hidden: the document is shown on screen (and in a screen share). */
function valueText(value: unknown, path: string): string {
  const keyName =
    path
      .split('.')
      .filter((segment) => !/^\d+$/.test(segment))
      .pop() ?? '';
  const text = JSON.stringify(masked(value, keyName)) ?? String(value);
  return text.length > 100 ? `${text.slice(0, 97)}…` : text;
}

function where(origin: Origin, workspace: string, subFolder: string): string {
  return `${origin.label} ${placeText(origin.file, origin.keyRange.start.line, workspace, subFolder)}`;
}

function changeLine(change: EnvironmentChange, workspace: string, subFolder: string): string {
  const at = `(${where(change.origin, workspace, subFolder)})`;
  if (change.kind === 'added') return `+ ${change.path} = ${valueText(change.after, change.path)}  ${at}`;
  if (change.kind === 'removed') return `- ${change.path} (was ${valueText(change.before, change.path)})  ${at}`;
  return `~ ${change.path}: ${valueText(change.before, change.path)} → ${valueText(change.after, change.path)}  ${at}`;
}

function conflictLines(conflict: UpdateConflict, workspace: string, subFolder: string): string[] {
  const lines = [`! ${conflict.message}`];
  if (conflict.org) lines.push(`    org:     ${where(conflict.org, workspace, subFolder)}`);
  if (conflict.winner) lines.push(`    wins:    ${where(conflict.winner, workspace, subFolder)}`);
  const refused = conflict.diagnostic;
  if (refused) lines.push(`    refused: ${placeText(refused.file, refused.range.start.line, workspace, subFolder)}`);
  return lines;
}

/** The document's text: the commits, then the changes, then the conflicts. */
export function reviewText(report: UpdateReport): string {
  const { workspace } = report;
  const lines = ['Org layer update (nothing has changed yet: Update moves the lock, then applies)', ''];
  const subFolder = report.sources[0]?.path ?? '';
  for (const source of report.sources) {
    const from = source.from ? source.from.slice(0, 12) : 'not pinned';
    const how = source.rewritten
      ? 'history rewritten'
      : `${source.commits} new commit${source.commits === 1 ? '' : 's'}`;
    lines.push(`${source.name}: ${source.url} ${source.ref} ${from} → ${source.to.slice(0, 12)} (${how})`);
  }
  for (const diagnostic of report.diagnostics) lines.push(`error: ${diagnostic.message}`);
  lines.push('');
  if (report.changes.length === 0) lines.push('The effective environment does not change.');
  else {
    lines.push(`Changes to the effective environment (${report.changes.length}):`);
    for (const change of report.changes) lines.push(`  ${changeLine(change, workspace, subFolder)}`);
  }
  if (report.conflicts.length > 0) {
    lines.push('', `Conflicts (${report.conflicts.length}):`);
    for (const conflict of report.conflicts)
      lines.push(...conflictLines(conflict, workspace, subFolder).map((line) => `  ${line}`));
  }
  return `${lines.join('\n')}\n`;
}
