import { chmodSync, lstatSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the daemon's socket lives, and the checks that make a Unix socket private to one user. Node has no
 * SO_PEERCRED, so the kernel's file permissions are the peer check: a 0700 folder owned by the user holding a
 * 0600 socket. Both are verified before use, by the daemon and by every shim. Node built-ins only (shim bundle).
 */

export const SOCKET_NAME = 'gateway.sock';
export const PID_NAME = 'gateway.pid';
export const LOG_NAME = 'gateway.log';
export const METRICS_TOKEN_NAME = 'metrics-token';

/** The daemon's files for this user: socket, pid file, lock, log and the metrics endpoint's bearer token. */
export interface GatewayPaths {
  dir: string;
  socket: string;
  pid: string;
  log: string;
  metricsToken: string;
}

/**
 * `$XDG_RUNTIME_DIR/claude-env` when that folder exists (it is per user, 0700 and cleared at logout), else
 * `$XDG_STATE_HOME/claude-env/gateway` (default `~/.local/state`).
 */
export function gatewayPaths(env: NodeJS.ProcessEnv = process.env): GatewayPaths {
  const runtime = env.XDG_RUNTIME_DIR;
  const runtimeUsable = runtime !== undefined && runtime !== '' && isDirectory(runtime);
  const dir = runtimeUsable
    ? join(runtime, 'claude-env')
    : join(env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state'), 'claude-env', 'gateway');
  return {
    dir,
    socket: join(dir, SOCKET_NAME),
    pid: join(dir, PID_NAME),
    log: join(dir, LOG_NAME),
    metricsToken: join(dir, METRICS_TOKEN_NAME),
  };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The folder or socket is not private to this user; the message says what is wrong with which path. */
export class UnsafePathError extends Error {}

/**
 * Creates the folder (0700) when missing and verifies it: a real folder (not a symbolic link), owned by this
 * user, writable by nobody else. A folder of ours that others may read is tightened to 0700.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const info = lstatSync(dir);
  const uid = process.getuid?.();
  if (!info.isDirectory())
    throw new UnsafePathError(`${dir} is not a folder (a symbolic link or a file is in the way)`);
  if (uid !== undefined && info.uid !== uid) {
    throw new UnsafePathError(`${dir} belongs to uid ${info.uid}, not to this user (uid ${uid}); refusing to use it`);
  }
  if (info.mode & 0o022) {
    throw new UnsafePathError(
      `${dir} is writable by other users (mode ${(info.mode & 0o777).toString(8)}); refusing to use it`,
    );
  }
  if (info.mode & 0o077) chmodSync(dir, 0o700);
}

/**
 * Verifies an existing socket before connecting to it: a socket, owned by this user, accessible to nobody else.
 * Returns false when there is no socket at all (no daemon).
 */
export function checkPrivateSocket(socket: string): boolean {
  let info;
  try {
    info = lstatSync(socket);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const uid = process.getuid?.();
  if (!info.isSocket()) throw new UnsafePathError(`${socket} is not a socket; refusing to use it`);
  if (uid !== undefined && info.uid !== uid) {
    throw new UnsafePathError(
      `${socket} belongs to uid ${info.uid}, not to this user (uid ${uid}); refusing to use it`,
    );
  }
  if (info.mode & 0o077) {
    throw new UnsafePathError(
      `${socket} is accessible to other users (mode ${(info.mode & 0o777).toString(8)}); refusing to use it`,
    );
  }
  return true;
}
