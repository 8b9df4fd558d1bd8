import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * The most bytes claude-env reads from any one file (layer, output, state, secrets file, `${file:…}`): 16 MiB,
 * above the 5 MB a layer may hold (parse reports that at the file).
 * Counted while reading, so a file that grows, or reports a size of 0 (`/proc`), is stopped at the limit too.
 */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** Why a path was refused: each one is a sentence about the file, never an internal error. */
export type UnsafePathKind = 'outside' | 'notRegular' | 'tooLarge' | 'notFolder' | 'isFolder';

/**
 * A problem with a file or folder that a person can act on (as opposed to a bug): `path` is where, `reason` the
 * sentence without the path. The CLI prints these as errors at the path, never as internal errors.
 */
export class FileProblem extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    message = `${path}: ${reason}`,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'FileProblem';
  }
}

/**
 * A path claude-env will not read or write: a symbolic link leading out of the folder it must stay in, a
 * device, FIFO or socket where a file belongs, a file larger than the limit, a file where a folder belongs.
 */
export class UnsafePathError extends FileProblem {
  /** Node-style code, so callers that switch on `error.code` see something specific. */
  readonly code: string;

  constructor(
    path: string,
    readonly kind: UnsafePathKind,
    reason: string,
  ) {
    super(path, reason);
    this.name = 'UnsafePathError';
    this.code = `ECLAUDEENV_${kind.toUpperCase()}`;
  }
}

/**
 * Checks that `path`, and every folder between `root` and it, stays inside `root` on disk: a component that
 * is a symbolic link must resolve inside `root` (a link leading out is refused, as is one that points nowhere),
 * and every existing folder component must be a folder. Components that do not exist yet are fine (they will be
 * created as real folders). `root` itself may sit behind a link (`/tmp` on macOS). Throws `UnsafePathError`.
 */
export function assertInside(root: string, path: string): void {
  const base = resolve(root);
  const target = resolve(path);
  const rest = relative(base, target);
  if (rest === '') return;
  if (rest.startsWith('..') || isAbsolute(rest)) {
    throw new UnsafePathError(target, 'outside', `is outside ${base}; claude-env neither reads nor writes there`);
  }
  const realBase = realpathOrSelf(base);
  const parts = rest.split(sep);
  let current = base;
  for (let index = 0; index < parts.length; index++) {
    current = join(current, parts[index]);
    const last = index === parts.length - 1;
    let stat: Stats;
    try {
      stat = lstatSync(current);
    } catch (error) {
      if (isMissing(error)) return; // nothing there yet: it will be created as a real file or folder
      throw error;
    }
    if (stat.isSymbolicLink()) {
      let real: string;
      try {
        real = realpathSync(current);
      } catch {
        throw new UnsafePathError(current, 'outside', 'is a symbolic link that points nowhere; remove it or fix it');
      }
      if (!isWithin(realBase, real)) {
        throw new UnsafePathError(
          current,
          'outside',
          `is a symbolic link to ${real}, outside ${base}; claude-env neither reads nor writes through it`,
        );
      }
      stat = lstatSync(real);
    }
    if (!last && !stat.isDirectory()) {
      throw new UnsafePathError(current, 'notFolder', `is a file, but claude-env needs a folder there`);
    }
  }
}

/** Like `assertInside`, and the last component must not be a folder (a file is expected there). */
export function assertFileTarget(root: string, path: string): void {
  assertInside(root, path);
  try {
    if (lstatSync(realpathSync(path)).isDirectory()) {
      throw new UnsafePathError(resolve(path), 'isFolder', 'is a folder, but claude-env needs a file there');
    }
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}

/** Options of `readRegularFile`. */
export interface ReadOptions {
  /** Refuse the file if it, or a folder on its way, leads out of this folder (see `assertInside`). */
  within?: string;
  /** Byte limit, counted while reading (default `MAX_FILE_BYTES`). */
  maxBytes?: number;
}

// Absent on Windows: there a FIFO cannot be opened by path anyway.
const NON_BLOCKING = constants.O_NONBLOCK ?? 0;
const CHUNK = 64 * 1024;

/**
 * The one way the engine reads a file: only a regular file is read (a FIFO, a terminal, `/dev/stdin`,
 * `/dev/zero` or a socket is refused without blocking: it is opened non-blocking and checked with `fstat` on
 * the open descriptor, so a swap between check and read cannot sneak a device in), and reading stops with an
 * error past `maxBytes`. Returns undefined when the file does not exist (a dangling link included). Other
 * failures throw: `UnsafePathError` for the cases above, the OS error (EACCES, EISDIR…) otherwise.
 */
export function readRegularFile(path: string, options: ReadOptions = {}): string | undefined {
  const bytes = readRegularFileBytes(path, options);
  return bytes === undefined ? undefined : bytes.toString('utf8');
}

/** `readRegularFile` without decoding: the exact bytes, e.g. for a byte-for-byte backup. */
export function readRegularFileBytes(path: string, options: ReadOptions = {}): Buffer | undefined {
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  if (options.within !== undefined) assertInside(options.within, path);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | NON_BLOCKING);
  } catch (error) {
    if (isMissing(error)) return undefined;
    // `/dev/stdin` when it is a socket: there is nothing to open as a file.
    if ((error as NodeJS.ErrnoException).code === 'ENXIO') {
      throw new UnsafePathError(
        resolve(path),
        'notRegular',
        'is a socket or device, not a regular file; claude-env only reads regular files',
      );
    }
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw Object.assign(new Error(`EISDIR: is a folder: ${path}`), { code: 'EISDIR' });
    if (!stat.isFile()) {
      throw new UnsafePathError(
        resolve(path),
        'notRegular',
        `is ${kindOf(stat)}, not a regular file; claude-env only reads regular files`,
      );
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      total += read;
      if (total > maxBytes) {
        throw new UnsafePathError(
          resolve(path),
          'tooLarge',
          `is larger than ${formatBytes(maxBytes)}, the most claude-env reads from one file`,
        );
      }
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** What a non-regular file is, in words. */
function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/** Whether `path` is `folder` or inside it (both absolute, already resolved). */
export function isWithin(folder: string, path: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

/** The real path when it exists; the path itself otherwise (it is then compared as written). */
export function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
