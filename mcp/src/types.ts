/**
 * The supervisor's vocabulary: server states, status snapshots, events and tuning knobs. Pure Node; both the
 * extension and the CLI read these types.
 */

/**
 * Lifecycle of one supervised server.
 *
 * - `stopped`: not running, by request or never started.
 * - `starting`: process spawned or connection opening, MCP handshake not finished.
 * - `running`: handshake done, pings answered in time.
 * - `degraded`: still connected, but pings are slow or failing.
 * - `crashed`: the process exited, the connection dropped or the server stopped answering; a restart may follow.
 * - `restarting`: waiting out the backoff delay before the next start.
 * - `failed`: will not be restarted (crash-loop cap reached, or the failure cannot heal by retrying).
 * - `blocked`: refused by policy or because the workspace is not trusted; never started.
 */
export type ServerState = (typeof SERVER_STATES)[number];

/** Every {@link ServerState}, in lifecycle order. */
export const SERVER_STATES = [
  'stopped',
  'starting',
  'running',
  'degraded',
  'crashed',
  'restarting',
  'failed',
  'blocked',
] as const;

// What each state allows. The supervisor, the CLI and the extension decide with these, and the MCP Servers view's
// inline buttons (package.json `view/item/context`, keyed on `mcpServer.<state>`) follow the same sets; a test
// holds package.json to them. They take any string because the editor adds states of its own (`unresolved`),
// for which all of them are false.

/** Up or on its way up: a changed definition means a restart, and Stop has something to stop. */
export function isActive(state: string): boolean {
  return state === 'starting' || state === 'running' || state === 'degraded' || state === 'restarting';
}

/** Connected and answering (perhaps slowly): pings and the catalog mean something. */
export function isConnected(state: string): boolean {
  return state === 'running' || state === 'degraded';
}

/** Down, and allowed to be started (not blocked). */
export function canStart(state: string): boolean {
  return state === 'stopped' || state === 'crashed' || state === 'failed';
}

/** Something to stop: a process, a connection or a pending restart. */
export function canStop(state: string): boolean {
  return isActive(state);
}

/** Worth restarting: connected, broken, or waiting to restart (a stopped server is started instead). */
export function canRestart(state: string): boolean {
  return isConnected(state) || state === 'crashed' || state === 'failed' || state === 'restarting';
}

/** May have a log to show: any state of the supervisor but `blocked`, which never started anything. */
export function mayHaveLog(state: string): boolean {
  return (SERVER_STATES as readonly string[]).includes(state) && state !== 'blocked';
}

/** Where a log line came from. */
export type LogSource = 'stderr' | 'stdout' | 'server' | 'supervisor';

/** One line of a server's log, already redacted. */
export interface LogLine {
  /** Epoch milliseconds. */
  time: number;
  source: LogSource;
  /** For `server` lines: the MCP logging level (`info`, `error`, …). */
  level?: string;
  text: string;
}

/** Health figures of one server. Durations in milliseconds; undefined until measured. */
export interface ServerMetrics {
  /** Time since the current run reached `running`, or undefined when not connected. */
  uptimeMs?: number;
  /** Restarts since the server was first started (manual restarts included). */
  restarts: number;
  /** From spawn (or connect) to the end of the MCP initialize exchange, for the current or last run. */
  handshakeMs?: number;
  lastPingMs?: number;
  /** Median of the recent successful pings. */
  medianPingMs?: number;
  /** Consecutive pings that failed or timed out. */
  failedPings: number;
}

/** What the server offers, as last listed. */
export interface ServerCatalog {
  tools: { name: string; description?: string }[];
  resources: { uri: string; name: string }[];
  prompts: { name: string; description?: string }[];
}

/** A snapshot of one server for views, tables and JSON output. */
export interface ServerStatus {
  name: string;
  type: 'stdio' | 'http' | 'sse' | 'ws';
  state: ServerState;
  /** Why the server is in this state, in words a person can act on. */
  reason: string;
  /** Process id of the current run (stdio only). */
  pid?: number;
  /** Name and version the server announced in the handshake. */
  serverInfo?: { name: string; version: string };
  metrics: ServerMetrics;
  catalog: ServerCatalog;
}

/** A change of state. */
export interface StateChangeEvent {
  name: string;
  state: ServerState;
  previous: ServerState;
  reason: string;
  time: number;
}

/** A list of tools, resources or prompts was refreshed. */
export interface ListChangeEvent {
  name: string;
  kind: 'tools' | 'resources' | 'prompts';
  count: number;
}

/** Typed events of the supervisor (and of each server). */
export interface SupervisorEvents {
  state: [StateChangeEvent];
  log: [name: string, line: LogLine];
  lists: [ListChangeEvent];
}

/** Tuning that is not part of a server's definition: mostly for tests and the benchmark. */
export interface SupervisorTuning {
  /** First restart delay; doubles per restart within the crash-loop window. Default 500 ms. */
  backoffBaseMs: number;
  /** Ceiling of the restart delay. Default 30 s. */
  backoffMaxMs: number;
  /** Relative jitter applied to each delay (0.2 = ±20 %). */
  backoffJitter: number;
  /** Bytes of log kept per server (ring buffer). Default 1 MiB. */
  logBytes: number;
  /** Grace after closing stdin before SIGTERM, and after SIGTERM before SIGKILL. Default 2 s each. */
  stopGraceMs: number;
  /** Consecutive failed pings after which the server counts as hung and is killed. Default 2. */
  hangAfterFailedPings: number;
  /** Random source for the jitter, replaceable so that tests can pin it. */
  random: () => number;
  /** Client name announced in the handshake. */
  clientName: string;
  clientVersion: string;
}

export const DEFAULT_TUNING: SupervisorTuning = {
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  backoffJitter: 0.2,
  logBytes: 1024 * 1024,
  stopGraceMs: 2_000,
  hangAfterFailedPings: 2,
  random: Math.random,
  clientName: 'claude-env',
  clientVersion: '0.1.0',
};
