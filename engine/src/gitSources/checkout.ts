import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { UnsafePathError } from '../safePaths';
import { DiagnosticCode } from '../diagnosticCodes';
import { checkoutDir, layerContentHash } from './cache';
import { gitReason, SourceProblem } from './problems';
import type { GitRunner } from './runner';
import { processIsAlive } from '../processAlive';

/** The most files and bytes one checkout may hold: an org layer folder is small; a hostile repository is not. */
export const MAX_CHECKOUT_FILES = 10_000;
export const MAX_CHECKOUT_BYTES = 64 * 1024 * 1024;

/** One entry of `git ls-tree -r -l -z`. */
interface TreeEntry {
  mode: string;
  oid: string;
  size: number;
  path: string;
}

/**
 * Writes the read-only checkout of one commit's sub-folder into the cache from the mirror's objects: git checks out
 * nothing (so no filter, hook or LFS runs); claude-env writes the files in a temporary folder, makes it read-only and
 * renames it into place. A checkout already there with other content (changed by hand) is replaced; one with the
 * same content is kept, so two processes racing for one commit both succeed. Returns the folder and the content hash
 * of its layer files, computed from what git holds.
 */
export async function ensureCheckout(
  git: GitRunner,
  mirror: string,
  cacheDir: string,
  commit: string,
  subFolder: string,
): Promise<{ dir: string; content: string }> {
  const dir = checkoutDir(cacheDir, commit, subFolder);
  removeLeftovers(join(cacheDir, 'checkouts'));
  const entries = await listTree(git, mirror, commit, subFolder);
  const temp = join(
    cacheDir,
    'checkouts',
    `.${commit.slice(0, 12)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  mkdirSync(temp, { recursive: true });
  try {
    await writeEntries(git, mirror, temp, entries);
    makeReadOnly(temp);
    const content = checkedHash(temp, commit);
    if (existsSync(dir) && hashOrUndefined(dir) !== content) discardCheckout(dir);
    try {
      renameSync(temp, dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Another process put the same commit in place first: its folder has the same content.
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      removeCheckout(temp);
    }
    return { dir, content };
  } catch (error) {
    if (existsSync(temp)) removeCheckout(temp);
    throw error;
  }
}

/** The content hash of a fresh checkout; a layer file that is a link leading out of it is the repository's problem. */
function checkedHash(dir: string, commit: string): string {
  try {
    return layerContentHash(dir);
  } catch (error) {
    if (!(error instanceof UnsafePathError)) throw error;
    const file = relative(dir, error.path);
    throw new SourceProblem(
      DiagnosticCode.sourceUnsafeFile,
      `The layer file ${file} at commit ${commit.slice(0, 12)} ${error.reason.replace(dir, 'the checkout')}.`,
    );
  }
}

function hashOrUndefined(dir: string): string | undefined {
  try {
    return layerContentHash(dir);
  } catch {
    return undefined;
  }
}

/** Removes a checkout (read-only folders are made writable first). */
export function removeCheckout(dir: string): void {
  const writable = (path: string) => {
    let stat;
    try {
      stat = lstatSync(path);
    } catch {
      return;
    }
    if (!stat.isDirectory()) return;
    chmodSync(path, 0o755);
    for (const name of readdirSync(path)) writable(join(path, name));
  };
  writable(dir);
  rmSync(dir, { recursive: true, force: true });
}

/** Moves a checkout out of the way (a tampered one) so that a fresh one can take its name. */
export function discardCheckout(dir: string): void {
  if (!existsSync(dir)) return;
  const aside = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}.discarded.tmp`;
  renameSync(dir, aside);
  removeCheckout(aside);
}

async function listTree(git: GitRunner, mirror: string, commit: string, subFolder: string): Promise<TreeEntry[]> {
  const treeish = subFolder === '' ? commit : `${commit}:${subFolder}`;
  const result = await git.run(['ls-tree', '-r', '-l', '-z', '--end-of-options', treeish], { gitDir: mirror });
  if (result.code !== 0) {
    const missing = subFolder !== '' && /not a (valid object name|tree object)/i.test(result.stderr);
    throw new SourceProblem(
      missing ? DiagnosticCode.sourceFolderMissing : DiagnosticCode.sourceFetchFailed,
      missing
        ? `Commit ${commit.slice(0, 12)} has no folder '${subFolder}'.`
        : `Could not read commit ${commit.slice(0, 12)}: ${gitReason(result)}`,
    );
  }
  const entries: TreeEntry[] = [];
  let total = 0;
  for (const record of result.stdout.toString('utf8').split('\u0000')) {
    if (record === '') continue;
    const match = /^(\d{6}) (\w+) ([0-9a-f]{40,64}) +(-|\d+)\t(.+)$/s.exec(record);
    if (!match) continue;
    const [, mode, type, oid, size, path] = match;
    if (type !== 'blob') continue; // a submodule (commit) is not part of the layers
    checkPath(path);
    const entry = { mode, oid, size: size === '-' ? 0 : Number(size), path };
    total += entry.size;
    entries.push(entry);
    if (entries.length > MAX_CHECKOUT_FILES || total > MAX_CHECKOUT_BYTES) {
      throw new SourceProblem(
        DiagnosticCode.sourceTooLarge,
        `The source folder at commit ${commit.slice(0, 12)} holds more than ${MAX_CHECKOUT_FILES} files or ` +
          `${MAX_CHECKOUT_BYTES / 1024 / 1024} MiB; name the sub-folder of the layers with 'path'.`,
      );
    }
  }
  return entries;
}

/** A path claude-env writes only when every component is an ordinary name (fsck refuses the rest too). */
function checkPath(path: string): void {
  const parts = path.split('/');
  if (
    parts.some(
      (part) => part === '' || part === '.' || part === '..' || part.toLowerCase() === '.git' || part.includes('\\'),
    )
  ) {
    throw new SourceProblem(
      DiagnosticCode.sourceFetchFailed,
      `The repository holds a path claude-env does not write: '${path}'.`,
    );
  }
}

/** Reads every blob in one `cat-file --batch` and writes the files, then the symbolic links (so none is in the way). */
async function writeEntries(git: GitRunner, mirror: string, root: string, entries: TreeEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const result = await git.run(['cat-file', '--batch'], {
    gitDir: mirror,
    input: entries.map((e) => `${e.oid}\n`).join(''),
  });
  if (result.code !== 0)
    throw new SourceProblem(DiagnosticCode.sourceFetchFailed, `Could not read the files: ${gitReason(result)}`);
  const out = result.stdout;
  let offset = 0;
  const links: [string, string][] = [];
  for (const entry of entries) {
    const newline = out.indexOf(0x0a, offset);
    const header = out.subarray(offset, newline).toString('utf8').split(' ');
    const size = Number(header[2]);
    if (header[0] !== entry.oid || header[1] !== 'blob' || !Number.isInteger(size)) {
      throw new SourceProblem(DiagnosticCode.sourceFetchFailed, `Could not read ${entry.path} from the repository.`);
    }
    const bytes = out.subarray(newline + 1, newline + 1 + size);
    offset = newline + 1 + size + 1;
    const target = join(root, ...entry.path.split('/'));
    if (entry.mode === '120000') {
      links.push([bytes.toString('utf8'), target]);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes, { flag: 'wx', mode: 0o444 });
  }
  // Links are recreated as they are: discovery's safe reads refuse one that leads out of the checkout.
  for (const [value, target] of links) {
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(value, target);
  }
}

/** Files 0444 (set when written), folders 0555, deepest first. */
function makeReadOnly(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (lstatSync(path).isDirectory()) makeReadOnly(path);
  }
  chmodSync(dir, 0o555);
}

/** `.<commit>.<pid>.<hex>.tmp` and `….discarded.tmp`: the temporary folders of a checkout being written or removed. */
const LEFTOVER = /^.+\.(\d+)\.[0-9a-f]{8}\.(discarded\.)?tmp$/;

/** Removes the temporary folders that a killed fetch left (its process is gone); another run's are left alone. */
function removeLeftovers(folder: string): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    const match = LEFTOVER.exec(name);
    if (!match || processIsAlive(Number(match[1]))) continue;
    try {
      removeCheckout(join(folder, name));
    } catch {
      // Another run removed it first.
    }
  }
}
