import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes a fresh random bearer token to `path`, readable by the owner only, and returns it. The file is written
 * under a temporary name with mode 0600 and renamed into place, so no reader ever sees a half-written token or a
 * moment where the file is readable by others. Its folder is created 0700 when missing.
 */
export async function writeTokenFile(path: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await fsp.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await fsp.open(temporary, 'wx', 0o600);
  try {
    // The umask cannot widen 0600, but a file system that ignores the mode at creation is set straight here.
    await handle.chmod(0o600);
    await handle.writeFile(`${token}\n`);
  } finally {
    await handle.close();
  }
  try {
    await fsp.rename(temporary, path);
  } catch (error) {
    await fsp.rm(temporary, { force: true });
    throw error;
  }
  return token;
}

/** Removes the token file if it still holds `token` (a newer daemon may have replaced it). */
export async function removeTokenFile(path: string, token: string): Promise<void> {
  const current = await fsp.readFile(path, 'utf8').catch(() => undefined);
  if (current?.trim() === token) await fsp.rm(path, { force: true });
}
