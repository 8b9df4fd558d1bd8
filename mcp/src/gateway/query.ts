import { connect } from 'node:net';
import { checkPrivateSocket, gatewayPaths, type GatewayPaths } from './paths';
import type { FleetStatus } from './status';
import { LineSplitter, WIRE_VERSION, frame, type ControlAction, type ControlAnswer, type GatewayHello } from './wire';

/**
 * Asks the running daemon one question (`status`, `stop`, `flush`) and returns its one-line answer, parsed; undefined
 * when no daemon answers. Never starts a daemon.
 */
export async function queryDaemon(
  kind: 'status' | 'stop' | 'flush',
  paths: GatewayPaths = gatewayPaths(),
): Promise<Record<string, unknown> | undefined> {
  return askDaemon({ gateway: WIRE_VERSION, kind }, paths);
}

/**
 * Starts, stops or restarts every instance of `server` in `workspace` on the running daemon; resolves once each
 * has an outcome, undefined when no daemon answers. Never starts a daemon, and creates no instance: a server
 * with no session has none to act on.
 */
export async function controlDaemon(
  action: ControlAction,
  workspace: string,
  server: string,
  paths: GatewayPaths = gatewayPaths(),
): Promise<ControlAnswer | undefined> {
  const answer = await askDaemon({ gateway: WIRE_VERSION, kind: 'control', action, workspace, server }, paths);
  return answer as ControlAnswer | undefined;
}

/** An open subscription to the daemon's fleet; `close` ends it. */
export interface DaemonSubscription {
  close(): void;
}

/**
 * Subscribes to the running daemon's fleet: `onStatus` gets the whole fleet at once and after every change;
 * `onEnd` is called once when the subscription ends (the daemon stopped, or it never answered: then with
 * `false`). Never starts a daemon.
 */
export function subscribeDaemon(
  onStatus: (status: FleetStatus) => void,
  onEnd: (answered: boolean) => void,
  paths: GatewayPaths = gatewayPaths(),
): DaemonSubscription {
  let answered = false;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    onEnd(answered);
  };
  let present = false;
  try {
    present = checkPrivateSocket(paths.socket);
  } catch {
    // An unsafe socket is not ours to talk to: the same as none.
  }
  if (!present) {
    queueMicrotask(end);
    return { close: () => undefined };
  }
  const socket = connect(paths.socket);
  const splitter = new LineSplitter((line) => {
    try {
      onStatus(JSON.parse(line) as FleetStatus);
      answered = true;
    } catch {
      // Not a status line: ignored, the next change brings a whole one.
    }
  });
  socket.once('connect', () => socket.write(frame({ gateway: WIRE_VERSION, kind: 'subscribe' })));
  socket.on('data', (chunk) => splitter.push(chunk));
  socket.on('error', () => undefined); // 'close' follows
  socket.once('close', end);
  return {
    close: () => {
      ended = true;
      socket.destroy();
    },
  };
}

async function askDaemon(hello: GatewayHello, paths: GatewayPaths): Promise<Record<string, unknown> | undefined> {
  if (!checkPrivateSocket(paths.socket)) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const socket = connect(paths.socket);
    let answered = false;
    const splitter = new LineSplitter((line) => {
      answered = true;
      socket.destroy();
      try {
        resolve(JSON.parse(line) as Record<string, unknown>);
      } catch (error) {
        reject(error as Error);
      }
    });
    socket.once('connect', () => socket.write(frame(hello)));
    socket.on('data', (chunk) => splitter.push(chunk));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') resolve(undefined);
      else reject(error);
    });
    socket.once('close', () => {
      if (!answered) resolve(undefined);
    });
  });
}
