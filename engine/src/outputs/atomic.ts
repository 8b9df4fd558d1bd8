import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Marks claude-env's temporary files so that a crash leaves something recognisable (and git-ignorable). */
export const TEMP_SUFFIX = '.claude-env.tmp';

/**
 * Writes a file so that readers see either the old or the new content, never a mix: the text goes to a
 * temporary file in the same folder (same file system, so the rename is atomic), is flushed to disk, and
 * replaces the target by rename. The existing file's permission bits are kept; parent folders are created.
 * On failure the temporary file is removed and the old file is left as it was.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const folder = dirname(path);
  await fsp.mkdir(folder, { recursive: true });
  let mode: number | undefined;
  try {
    const stat = await fsp.stat(path);
    if (stat.isFile()) mode = stat.mode & 0o7777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const temp = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
  try {
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
    await fsp.rm(temp, { force: true }).catch(() => undefined);
    throw new Error(`Could not write ${path}: ${(error as Error).message}`, { cause: error });
  }
  await syncFolder(folder);
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
