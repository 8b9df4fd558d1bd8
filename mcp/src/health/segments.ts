import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UnsafePathError } from '../gateway/paths';

/**
 * The health store's files: one append-only segment of JSON lines per UTC day (`YYYY-MM-DD.jsonl`) in a private
 * folder. Files are opened with O_NOFOLLOW and checked after opening (a regular file of this user with one link),
 * so a symbolic or hard link put in a segment's place is refused, never written or read through.
 */

export const RETENTION_DAYS = 8;
export const MAX_STORE_BYTES = 64 * 1024 * 1024;
const SEGMENT = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;
const DAY_MS = 24 * 3_600_000;
/** The flags a segment is opened with for reading: never through a link, never waiting on a FIFO. */
export const SEGMENT_READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** `$XDG_STATE_HOME/claude-env/health` (default `~/.local/state`): kept across logins, unlike the runtime folder. */
export function healthStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'claude-env', 'health');
}

export function segmentName(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 10)}.jsonl`;
}

/** The segments in the folder, oldest first, with their size (a link in a segment's place counts as one). */
export function listSegments(dir: string): { name: string; day: number; bytes: number }[] {
  const segments: { name: string; day: number; bytes: number }[] = [];
  for (const name of readdirSync(dir)) {
    const match = SEGMENT.exec(name);
    if (!match) continue;
    const day = Date.parse(`${match[1]}T00:00:00Z`);
    if (Number.isNaN(day)) continue;
    let bytes = 0;
    try {
      bytes = lstatSync(join(dir, name)).size;
    } catch {
      continue; // removed while we looked
    }
    segments.push({ name, day, bytes });
  }
  return segments.sort((a, b) => a.day - b.day);
}

/**
 * Opens a segment safely: never through a symbolic link (O_NOFOLLOW), and only a regular file of this user with
 * a single link. Throws `UnsafePathError` naming the file otherwise.
 */
export function openSegment(path: string, mode: 'append' | 'read'): number {
  const flags =
    mode === 'append'
      ? constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW
      : SEGMENT_READ_FLAGS;
  let fd: number;
  try {
    fd = openSync(path, flags, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      throw new UnsafePathError(`${path} is a symbolic link; refusing to follow it`);
    throw error;
  }
  const problem = segmentProblem(fstatSync(fd));
  if (problem) {
    closeSync(fd);
    throw new UnsafePathError(`${path} ${problem}; refusing to use it`);
  }
  return fd;
}

/** Why an opened segment must not be used (not a regular file of this user with one link), else undefined. */
export function segmentProblem(info: Stats): string | undefined {
  const uid = process.getuid?.();
  return !info.isFile()
    ? 'is not a regular file'
    : uid !== undefined && info.uid !== uid
      ? `belongs to uid ${info.uid}, not to this user`
      : info.nlink !== 1
        ? `has ${info.nlink} links (a hard link to another file)`
        : undefined;
}

/** Appends `text` to an open segment; starts on a new line if the last write was cut off (a killed daemon). */
export function appendToSegment(fd: number, text: string): number {
  const size = fstatSync(fd).size;
  let data = Buffer.from(text, 'utf8');
  if (size > 0) {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] !== 10) data = Buffer.concat([Buffer.from('\n'), data]);
  }
  let written = 0;
  while (written < data.length) written += writeSync(fd, data, written, data.length - written);
  return written;
}

/**
 * Deletes segments older than the retention, then the oldest others while the folder would pass `maxBytes` with
 * `incoming` more bytes. Never the segment of `now`. Returns the bytes the folder holds afterwards.
 */
export function pruneSegments(
  dir: string,
  now: number,
  incoming: number,
  limits: { retentionDays: number; maxBytes: number },
): number {
  const current = segmentName(now);
  const oldestKept = Date.parse(`${current.slice(0, 10)}T00:00:00Z`) - limits.retentionDays * DAY_MS;
  let total = 0;
  const others: { name: string; bytes: number }[] = [];
  for (const segment of listSegments(dir)) {
    if (segment.name !== current && segment.day < oldestKept) {
      removeQuietly(join(dir, segment.name));
      continue;
    }
    total += segment.bytes;
    if (segment.name !== current) others.push(segment);
  }
  while (total + incoming > limits.maxBytes && others.length > 0) {
    const oldest = others.shift()!;
    removeQuietly(join(dir, oldest.name));
    total -= oldest.bytes;
  }
  return total;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/**
 * Verifies the folder without creating it, as `ensurePrivateDir` does: false when missing, `UnsafePathError`
 * when it is a link, not this user's, or writable by others.
 */
export function checkPrivateDir(dir: string): boolean {
  let info;
  try {
    info = lstatSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const uid = process.getuid?.();
  if (!info.isDirectory())
    throw new UnsafePathError(`${dir} is not a folder (a symbolic link or a file is in the way)`);
  if (uid !== undefined && info.uid !== uid)
    throw new UnsafePathError(`${dir} belongs to uid ${info.uid}, not to this user`);
  if (info.mode & 0o022) throw new UnsafePathError(`${dir} is writable by other users; refusing to read it`);
  return true;
}

export { DAY_MS };
