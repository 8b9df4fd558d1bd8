import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { assertFileTarget, FileProblem } from '../safePaths';
import { processIsAlive } from '../processAlive';

/** Marks claude-env's temporary files so that a crash leaves something recognisable (and git-ignorable). */
export const TEMP_SUFFIX = '.claude-env.tmp';

/** `.<name>.<pid>.<8 hex>.claude-env.tmp`: claude-env's own temporary files, and only those. */
const TEMP_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.claude-env\.tmp$/;

/** Options of the atomic writes. */
export interface AtomicWriteOptions {
  /**
   * The folder the write must stay in: the target and every folder on its way are checked first, and a symbolic
   * link leading out (or a file where a folder belongs, or a folder where the file belongs) is refused with an
   * `UnsafePathError` before anything is created.
   */
  within?: string;
}

/**
 * A write failure in words: `Could not write <path>: <reason>`, with the OS code kept. `reason` says what a person
 * can act on (the folder is read-only, the disk is full) rather than the raw error.
 */
export class FileWriteError extends FileProblem {
  readonly code?: string;

  constructor(path: string, reason: string, cause: unknown) {
    super(path, reason, `Could not write ${path}: ${reason}`, { cause });
    this.name = 'FileWriteError';
    this.code = (cause as NodeJS.ErrnoException | undefined)?.code;
  }
}

/** A fresh temporary name next to `path`: random, so that nothing committed can be waiting under it. */
function temporaryName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
}

/**
 * Writes a file so that readers see either the old or the new content, never a mix: the text goes to a
 * temporary file created exclusively (`wx`: never through something already there) in the same folder (same
 * file system, so the rename is atomic), is flushed to disk, and replaces the target by rename. The existing
 * file's permission bits are kept; parent folders are created. On failure the temporary file is removed and the
 * old file is left as it was.
 */
export async function writeFileAtomic(
  path: string,
  content: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  if (options.within !== undefined) assertFileTarget(options.within, path);
  const folder = dirname(path);
  const mode = existingMode(path);
  let temp: string | undefined;
  try {
    makeFolders(folder);
    temp = temporaryName(path);
    const handle = await fsp.open(temp, 'wx', mode ?? 0o666);
    try {
      await handle.writeFile(content);
      // `open` applies the umask; chmod restores the exact bits the person had.
      if (mode !== undefined) await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(temp, path);
  } catch (error) {
    if (temp !== undefined) await fsp.rm(temp, { force: true }).catch(() => undefined);
    throw new FileWriteError(path, writeFailureReason(folder, error), error);
  }
  await syncFolder(folder);
}

/**
 * Removes the temporary files an interrupted claude-env run left in `folders` (its own naming only, written by
 * a process that no longer runs; another run's file in progress is left alone). Returns the removed paths.
 */
export function removeStaleTemporaryFiles(folders: Iterable<string>): string[] {
  const removed: string[] = [];
  for (const folder of new Set(folders)) {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      continue; // no folder, no leftovers
    }
    for (const name of names) {
      const match = TEMP_NAME.exec(name);
      if (!match || processIsAlive(Number(match[2]))) continue;
      const path = join(folder, name);
      try {
        rmSync(path);
        removed.push(path);
      } catch {
        // Gone already (another run cleaned it) or not ours to remove: nothing to report.
      }
    }
  }
  return removed;
}

function existingMode(path: string): number | undefined {
  try {
    const stat = statSync(path);
    return stat.isFile() ? stat.mode & 0o7777 : undefined;
  } catch {
    return undefined;
  }
}

/** What a person can act on, for the common ways a write fails. */
function writeFailureReason(folder: string, error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EACCES':
    case 'EPERM':
      return `the folder ${nearestExisting(folder)} is read-only for you (permission denied)`;
    case 'EROFS':
      return `the folder ${nearestExisting(folder)} is on a read-only file system`;
    case 'ENOSPC':
    case 'EDQUOT':
      return 'no space left on the device (nothing was changed)';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a file is in the way of a folder it needs';
    default:
      return (error as Error).message;
  }
}

/**
 * `mkdir -p`, one level at a time: a recursive mkdir reports ENOENT on a read-only file system, where the
 * person needs to hear EROFS.
 */
function makeFolders(folder: string): void {
  const missing: string[] = [];
  for (let current = folder; !existsSync(current) && dirname(current) !== current; current = dirname(current)) {
    missing.unshift(current);
  }
  for (const path of missing) {
    try {
      mkdirSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** The folder that refused the write: the target's own, or the first ancestor that exists when it is missing. */
function nearestExisting(folder: string): string {
  for (let current = folder; ; current = dirname(current)) {
    if (existsSync(current) || dirname(current) === current) return current;
  }
}

/** Makes the rename itself durable. Not every platform can open a folder (Windows cannot), hence best effort. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await fsp.open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The data is already flushed; only the folder entry's durability is left to the OS.
  }
}
