import { readFileSync, rmSync } from 'node:fs';
import type { Server, Socket } from 'node:net';
import type { SupervisorTuning } from '../types';
import { FleetFeed, controlFleet } from './control';
import { Fleet, type ServerResolver } from './fleet';
import { NO_OBSERVER, type GatewayObserver } from './observer';
import { gatewayPaths, type GatewayPaths } from './paths';
import { ClientSession } from './session';
import { listenExclusively } from './singleInstance';
import type { FleetStatus } from './status';
import { LineSplitter, WIRE_VERSION, frame, parseMessage, type GatewayHello, type RpcMessage } from './wire';

/** Idle time with no client after which the daemon stops itself and its servers. */
export const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60_000;

export interface DaemonOptions {
  resolver: ServerResolver;
  paths?: GatewayPaths;
  idleTimeoutMs?: number;
  observer?: GatewayObserver;
  tuning?: Partial<SupervisorTuning>;
  /** The daemon's own notes (start, stop, refusals); never a secret, never a message's content. */
  log?: (line: string) => void;
}

/** A daemon that is listening. */
export interface RunningDaemon {
  readonly paths: GatewayPaths;
  /** Settles once the daemon stopped (idle, `stop`, or a stop request over the socket). */
  readonly stopped: Promise<void>;
  stop(reason?: string): Promise<void>;
}

/**
 * Starts the gateway daemon: listens on the user's private socket, unless a daemon already does (then resolves
 * undefined). Sessions are served until the daemon has had no client for `idleTimeoutMs`.
 */
export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon | undefined> {
  const paths = options.paths ?? gatewayPaths();
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const log = options.log ?? (() => undefined);
  // The fleet's reports go to the caller's observer and to the editor's event stream (`subscribe`).
  const feed = new FleetFeed(
    () => fleet.instances(),
    () => status(),
  );
  const observer = feed.observing(options.observer ?? NO_OBSERVER);
  const fleet = new Fleet(options.resolver, observer, options.tuning);
  const startedAt = new Date().toISOString();
  const sockets = new Set<Socket>();
  let nextSession = 1;
  let idleTimer: NodeJS.Timeout | undefined;
  let stopping: Promise<void> | undefined;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));

  const armIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = undefined;
    if (fleet.sessionCount > 0 || stopping) return;
    idleTimer = setTimeout(
      () => void stop(`idle for ${Math.round(idleTimeoutMs / 1000)} s with no client`),
      idleTimeoutMs,
    );
  };

  const status = (): FleetStatus => ({
    pid: process.pid,
    startedAt,
    socket: paths.socket,
    idleTimeoutMs,
    ...fleet.status(),
  });

  const onConnection = (socket: Socket) => {
    sockets.add(socket);
    let session: ClientSession | undefined;
    let opening = true;
    let hello: GatewayHello | undefined;
    const early: RpcMessage[] = [];
    const send = (message: RpcMessage) => {
      if (!socket.destroyed) socket.write(frame(message));
    };
    const splitter = new LineSplitter(
      (line) => {
        const message = parseMessage(line);
        if (!hello) {
          hello = message as GatewayHello | undefined;
          void begin();
          return;
        }
        if (!message) return;
        if (opening) early.push(message);
        else handle(message);
      },
      () => log('a client sent a line over the size limit; it was dropped'),
    );
    const handle = (message: RpcMessage) => {
      session?.handle(message);
      // The client's name is known from its initialize on: the view labels the session with it.
      if (message.method === 'initialize') feed.changed();
    };
    const begin = async () => {
      if (!hello || hello.gateway !== WIRE_VERSION) {
        socket.end(frame({ error: `unknown gateway hello; expected version ${WIRE_VERSION}` }));
        return;
      }
      if (hello.kind === 'status') {
        socket.end(frame(status()));
        return;
      }
      if (hello.kind === 'subscribe') {
        feed.subscribe(socket);
        return;
      }
      if (hello.kind === 'control') {
        const answer = await controlFleet(fleet, hello);
        if (!answer.ok) log(`refused a control request: ${answer.error}`);
        socket.end(frame(answer));
        return;
      }
      if (hello.kind === 'stop') {
        socket.end(frame({ stopping: true }));
        void stop('stopped by request');
        return;
      }
      if (hello.kind !== 'connect' || typeof hello.server !== 'string' || typeof hello.workspace !== 'string') {
        socket.end(frame({ error: 'a connect hello names a server and a workspace' }));
        return;
      }
      clearTimeout(idleTimer);
      const target = await fleet.open(hello.workspace, hello.server);
      if (typeof target === 'string') log(`refused ${hello.server} for ${hello.workspace}: ${target}`);
      session = new ClientSession(nextSession++, send, target, observer);
      fleet.attach(session);
      opening = false;
      if (socket.destroyed) {
        void closeSession();
        return;
      }
      for (const message of early.splice(0)) handle(message);
    };
    const closeSession = async () => {
      sockets.delete(socket);
      const ended = session;
      session = undefined;
      if (ended) await fleet.detach(ended);
      armIdle();
    };
    socket.on('data', (chunk) => splitter.push(chunk));
    socket.on('error', () => undefined); // a client that vanished; 'close' follows
    socket.on('close', () => void closeSession());
  };

  const server = await listenExclusively(paths, onConnection);
  if (!server) return undefined;
  log(`listening on ${paths.socket} (pid ${process.pid}, idle timeout ${idleTimeoutMs} ms)`);

  const stop = (reason = 'stopped') => {
    stopping ??= (async () => {
      clearTimeout(idleTimer);
      log(`stopping: ${reason}`);
      feed.close();
      // close() waits for open connections: end them while it waits.
      const closing = closeServer(server);
      for (const socket of sockets) socket.destroy();
      await closing;
      await fleet.stopAll(`the gateway daemon stopped (${reason})`);
      removeOwnFiles(paths);
      resolveStopped();
    })();
    return stopping;
  };
  armIdle();
  return { paths, stopped, stop };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Removes the socket and pid file, unless a newer daemon owns them already. */
function removeOwnFiles(paths: GatewayPaths): void {
  try {
    if (readFileSync(paths.pid, 'utf8').trim() !== String(process.pid)) return;
  } catch {
    return;
  }
  rmSync(paths.socket, { force: true });
  rmSync(paths.pid, { force: true });
}
