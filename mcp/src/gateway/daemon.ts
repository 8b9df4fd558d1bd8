import { readFileSync, rmSync } from 'node:fs';
import type { Server, Socket } from 'node:net';
import type { SupervisorTuning } from '../types';
import { FleetFeed, controlFleet } from './control';
import { Fleet, type ServerResolver } from './fleet';
import { DaemonMetrics, type MetricsSettingsSource } from './daemonMetrics';
import { healthRecorderFor, type HealthOptions } from '../health/daemonHealth';
import { RelayObserver, teeObservers, type GatewayObserver } from './observer';
import { gatewayPaths, type GatewayPaths } from './paths';
import { ClientSession } from './session';
import { listenExclusively } from './singleInstance';
import type { FleetStatus } from './status';
import {
  LineSplitter,
  MAX_LINE_BYTES,
  WIRE_VERSION,
  frame,
  parseMessage,
  type GatewayHello,
  type RpcMessage,
  type StderrLine,
} from './wire';

/**
 * Bytes the daemon holds for one client that does not read (its shim stops reading the socket when the client
 * stops reading stdout). One message may be as large as a line may be, so the cap is one such line and some.
 * Past it the client is disconnected: dropping some of its messages would leave it waiting for answers forever.
 */
export const MAX_UNREAD_BYTES = MAX_LINE_BYTES + 16 * 1024 * 1024;

/** Idle time with no client after which the daemon stops itself and its servers. */
export const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60_000;

export interface DaemonOptions {
  resolver: ServerResolver;
  paths?: GatewayPaths;
  idleTimeoutMs?: number;
  /** Receives every event before metrics do (tests, history). */
  observer?: GatewayObserver;
  /**
   * The resolved `gateway.metrics` of a workspace's layers. Asked once per workspace when its first session opens;
   * the first workspace that enables metrics starts them for the daemon's life (see docs/gateway-metrics.md).
   */
  metricsSettings?: MetricsSettingsSource;
  /**
   * Where the server health history goes (docs/server-health.md): by default `healthStoreDir()`, unless
   * `CLAUDE_ENV_GATEWAY_HEALTH=off`; `false` records nothing.
   */
  health?: HealthOptions | false;
  /** The daemon's version, reported by the metrics as `service.version`. */
  version?: string;
  tuning?: Partial<SupervisorTuning>;
  /** See `MAX_UNREAD_BYTES`. */
  maxUnreadBytes?: number;
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
  const maxUnreadBytes = options.maxUnreadBytes ?? MAX_UNREAD_BYTES;
  const relay = new RelayObserver();
  const health = healthRecorderFor(options.health, log);
  // The fleet's reports go to the caller's observer, the history, the metrics relay and the editor's event stream.
  const feed = new FleetFeed(
    () => fleet.instances(),
    () => status(),
  );
  const inner = [options.observer, health, relay].filter((observer) => observer !== undefined);
  const observer = feed.observing(teeObservers(...inner));
  const fleet = new Fleet(options.resolver, observer, options.tuning);
  const metrics = new DaemonMetrics(options.metricsSettings, relay, {
    tokenFile: paths.metricsToken,
    version: options.version,
    log,
    onStarted: () => fleet.replay(relay),
  });
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
    const send = (message: RpcMessage | StderrLine) => {
      if (socket.destroyed) return;
      socket.write(frame(message));
      if (socket.writableLength <= maxUnreadBytes) return;
      log(
        `session ${session?.id ?? '(opening)'} (${hello?.kind === 'connect' ? hello.server : 'no server'}): the client ` +
          `left ${Math.round(socket.writableLength / 1024)} KiB unread, over the ${Math.round(maxUnreadBytes / 1024)} ` +
          'KiB limit; disconnected it and cancelled its requests',
      );
      socket.destroy();
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
      if (hello.kind === 'flush') {
        // A reader is about to look: its open slots too, or an idle server's time up would wait for the slot's end.
        health?.flush(true);
        socket.end(frame({ flushed: health !== undefined }));
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
      await metrics.consider(hello.workspace);
      const target = await fleet.open(hello.workspace, hello.server);
      if (typeof target === 'string') log(`refused ${hello.server} for ${hello.workspace}: ${target}`);
      session = new ClientSession(nextSession++, send, target, observer, hello.stderr === true);
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
  if (!server) {
    health?.close(); // held nothing: writes nothing, and its timer ends
    return undefined;
  }
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
      health?.close();
      // After the fleet: the last push carries the final states.
      await metrics.close();
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
