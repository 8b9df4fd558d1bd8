import { statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { DiagnosticCode } from '../diagnosticCodes';
import { ZERO_RANGE } from '../lineIndex';
import { writeFileAtomic } from '../outputs/atomic';
import { readRegularFile } from '../safePaths';
import type { Diagnostic, Range } from '../types';
import { credentialProblem, type GitSourceSpec } from './spec';

/** Where the lock lives, relative to the workspace. It is committed, like a package lock. */
export const LOCK_FILE = '.claude-env/lock.yaml';

/** One source as the lock pins it. */
export interface LockedSource {
  /** The project key that names the source (`source`). */
  name: string;
  /** The repository URL, the ref and the sub-folder as the project layer wrote them when the lock was made. */
  git: string;
  ref: string;
  path: string;
  /** The commit the ref resolved to (40 hex digits): every command uses this one. */
  commit: string;
  /** `sha256:<hex>` of the layer files of the sub-folder at that commit (see `layerContentHash`). */
  content: string;
  /** Range of the entry's name in lock.yaml, for diagnostics. */
  range: Range;
}

/** The lock as read: its entries, and what was wrong with the file (each at its line). */
export interface LockFile {
  /** Absolute path of lock.yaml. */
  file: string;
  /** Whether the file exists. */
  exists: boolean;
  sources: LockedSource[];
  problems: Diagnostic[];
}

const COMMIT = /^[0-9a-f]{40}$/;
const CONTENT = /^sha256:[0-9a-f]{64}$/;

/** Parsed locks by file, with the identity of the file they were parsed from (the language server rereads often). */
const parsed = new Map<string, { identity: string; lock: LockFile }>();

/** Reads `.claude-env/lock.yaml` (missing: an empty lock). Never throws for the file's content. */
export function readLockFile(workspace: string): LockFile {
  const file = join(workspace, ...LOCK_FILE.split('/'));
  let identity: string | undefined;
  try {
    const stat = statSync(file);
    // Written by rename, so a new lock is a new inode; an edit in place changes the time or the size.
    identity = `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
  } catch {
    identity = undefined;
  }
  const cached = parsed.get(file);
  if (identity !== undefined && cached?.identity === identity) return cached.lock;
  const lock = parseLockFile(workspace, file);
  if (identity !== undefined) parsed.set(file, { identity, lock });
  return lock;
}

function parseLockFile(workspace: string, file: string): LockFile {
  const lock: LockFile = { file, exists: false, sources: [], problems: [] };
  const problem = (range: Range, message: string) =>
    lock.problems.push({ file, range, severity: 'error', code: DiagnosticCode.stackLockInvalid, message });
  let text: string | undefined;
  try {
    text = readRegularFile(file, { within: workspace });
  } catch (error) {
    problem(ZERO_RANGE, `Cannot read the lock file: ${(error as Error).message}.`);
    return lock;
  }
  if (text === undefined) return lock;
  lock.exists = true;
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const rangeOf = (node: Node | null | undefined): Range => {
    if (!node?.range) return ZERO_RANGE;
    const start = lines.linePos(node.range[0]);
    const end = lines.linePos(node.range[1]);
    return {
      start: { line: start.line - 1, character: start.col - 1 },
      end: { line: end.line - 1, character: end.col - 1 },
    };
  };
  if (document.errors.length > 0) {
    const [first] = document.errors;
    const at = lines.linePos(first.pos[0]);
    const position = { line: at.line - 1, character: at.col - 1 };
    problem({ start: position, end: position }, `The lock file is not valid YAML: ${first.message.split('\n')[0]}`);
    return lock;
  }
  const root = document.contents;
  if (!isMap(root)) {
    problem(rangeOf(root as Node), "The lock file must be a map with 'version: 1' and 'sources'.");
    return lock;
  }
  const version = root.get('version', true);
  if (!isScalar(version) || (version as { value: unknown }).value !== 1) {
    problem(rangeOf(version ?? root), "The lock file must say 'version: 1' (written by a newer claude-env?).");
    return lock;
  }
  const sources = root.get('sources', true);
  if (sources === undefined) return lock;
  if (!isMap(sources)) {
    problem(rangeOf(sources as Node), "'sources' must map each source's name to its pinned commit.");
    return lock;
  }
  for (const pair of sources.items) {
    const key = pair.key as Node;
    const name = isScalar(key) ? String(key.value) : '';
    const entry = pair.value as Node;
    const range = rangeOf(key);
    if (!isMap(entry)) {
      problem(range, `The lock entry '${name}' must be a map with git, ref, commit and content.`);
      continue;
    }
    const text = (field: string): string | undefined => {
      const node = entry.get(field, true);
      return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
    };
    const [git, ref, commit, content] = ['git', 'ref', 'commit', 'content'].map(text);
    const path = text('path') ?? '';
    if (!git || !ref || !commit || !COMMIT.test(commit) || !content || !CONTENT.test(content)) {
      problem(
        range,
        `The lock entry '${name}' needs git, ref, commit (40 hex digits) and content (sha256:…); ` +
          "run 'claude-env fetch' to write it again.",
      );
      continue;
    }
    if (credentialProblem(git)) {
      problem(
        rangeOf(entry.get('git', true) as Node),
        `The lock entry '${name}' holds credentials in its URL (written by hand or by an older claude-env): remove ` +
          'them from the project layer and the lock, change them if the lock was ever pushed, give them to git with a ' +
          "credential helper, and run 'claude-env fetch'.",
      );
      continue;
    }
    lock.sources.push({ name, git, ref, path, commit, content, range });
  }
  return lock;
}

/** Whether a lock entry was made for the source as the project layer now writes it (same URL, ref, sub-folder). */
export function lockMatches(locked: LockedSource, spec: GitSourceSpec): boolean {
  return locked.name === spec.name && locked.git === spec.url && locked.ref === spec.ref && locked.path === spec.path;
}

/** The lock file's text: stable key order, one entry per source, so that a change reads well in a review. */
export function lockFileText(sources: readonly Omit<LockedSource, 'range'>[]): string {
  const lines = [
    '# Pinned by claude-env: the commits of the organisation layers this project uses.',
    "# Written by 'claude-env fetch' and 'claude-env update'; commit it.",
    'version: 1',
    'sources:',
  ];
  for (const source of [...sources].sort((a, b) => a.name.localeCompare(b.name))) {
    lines.push(`  ${yamlString(source.name)}:`);
    lines.push(`    git: ${yamlString(source.git)}`);
    lines.push(`    ref: ${yamlString(source.ref)}`);
    if (source.path !== '') lines.push(`    path: ${yamlString(source.path)}`);
    lines.push(`    commit: ${source.commit}`);
    lines.push(`    content: ${source.content}`);
  }
  if (sources.length === 0) lines[lines.length - 1] = 'sources: {}';
  return `${lines.join('\n')}\n`;
}

/** Writes the lock atomically inside the workspace. */
export async function writeLockFile(workspace: string, sources: readonly Omit<LockedSource, 'range'>[]): Promise<void> {
  await writeFileAtomic(join(workspace, ...LOCK_FILE.split('/')), lockFileText(sources), { within: workspace });
}

/** A string as plain YAML when it reads back as the same string, double-quoted (JSON's escapes) otherwise. */
function yamlString(value: string): string {
  const plain = /^[A-Za-z0-9_/.~][A-Za-z0-9_/.~@+-]*(:[A-Za-z0-9_/.~@+-]+)*$/.test(value);
  const special = /^(true|false|yes|no|on|off|null|~|[-+]?[0-9][0-9_.eE+-]*|0x[0-9a-f]+|\.inf|\.nan)$/i.test(value);
  return plain && !special ? value : JSON.stringify(value);
}
