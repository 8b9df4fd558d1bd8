import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';
import { ensurePrivateDir, type GatewayPaths } from './paths';

/** How long a starting daemon waits for another one that holds the start lock. */
const LOCK_WAIT_MS = 10_000;

/**
 * Listens on the gateway socket unless a daemon already answers there. The check, the removal of a stale socket
 * (left by a daemon killed with SIGKILL) and the listen happen under one lock, so two daemons started at the
 * same moment cannot both listen: the second finds the first. Resolves undefined when a daemon is running.
 */
export async function listenExclusively(
  paths: GatewayPaths,
  onConnection: (socket: Socket) => void,
): Promise<Server | undefined> {
  ensurePrivateDir(paths.dir);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    if (await answers(paths.socket)) return undefined;
    let release: () => Promise<void>;
    try {
      // The lock lives only for the check-remove-listen step; a daemon that died inside it leaves a lock that
      // goes stale after 2 s (proper-lockfile's minimum).
      release = await lock(paths.dir, { lockfilePath: join(paths.dir, 'gateway.lock'), stale: 2_000, realpath: false });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOCKED' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        continue;
      }
      throw error;
    }
    try {
      if (await answers(paths.socket)) return undefined;
      rmSync(paths.socket, { force: true });
      const server = await listenPrivately(paths.socket, onConnection);
      writeFileSync(paths.pid, `${process.pid}\n`, { mode: 0o600 });
      return server;
    } finally {
      await release();
    }
  }
}

/** Listens with a umask that leaves the socket 0600 from its first moment, then says so explicitly. */
function listenPrivately(path: string, onConnection: (socket: Socket) => void): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(onConnection);
    const previous = process.umask(0o177);
    server.once('error', (error) => {
      process.umask(previous);
      reject(error);
    });
    server.listen(path, () => {
      process.umask(previous);
      chmodSync(path, 0o600);
      resolve(server);
    });
  });
}

/** Whether something accepts connections on the socket (a live daemon), as opposed to a stale file or nothing. */
export function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
