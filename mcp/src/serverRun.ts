import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { formatMs } from './backoff';
import { PermanentStartError, type Connection } from './connection';
import type { PingMonitor } from './pingMonitor';
import type { ProcessExit } from './processTransport';

/**
 * One run of a supervised server: a launched process (or URL connection) with its MCP client, from start to the
 * end of its processes. `ServerSupervisor` decides over runs (states, restarts, policy); this file says how a
 * run's start failed, why it ended, and how it is shut down.
 */
export interface Run {
  connection: Connection;
  client: Client;
  startedAt: number;
  connectedAt?: number;
  pings?: PingMonitor;
  ended: boolean;
  /** Set once the run's processes and connection are being shut down; settles when they are gone. */
  closing?: Promise<void>;
  /** Settles when the start attempt has an outcome (running, or ended). */
  settled: Promise<void>;
  settle: () => void;
}

/** Why a run ended. */
export type RunEnd =
  | { kind: 'exit'; exit: ProcessExit }
  | { kind: 'closed' }
  | { kind: 'hang'; detail: string }
  | { kind: 'startup'; detail: string; permanent: boolean };

/** The startup deadline passed (spawn or connect, handshake and first listing). */
export class StartupTimeout extends Error {}

/**
 * Why a start attempt failed. A server that died during the handshake makes connect() fail with "Connection
 * closed"; its exit code and last stderr line say far more, so this waits briefly for them.
 */
export async function startFailure(error: unknown, connection: Connection, timeoutMs: number): Promise<RunEnd> {
  const permanent = error instanceof PermanentStartError || isSpawnFailure(error) || isRefusal(error);
  const timedOut = error instanceof StartupTimeout;
  const exit =
    permanent || timedOut
      ? connection.process?.exit
      : connection.process && (connection.process.exit ?? (await raceExit(connection, 250)));
  if (exit) return { kind: 'exit', exit };
  const detail = timedOut
    ? `no MCP handshake within ${formatMs(timeoutMs)}`
    : error instanceof McpError && isRefusal(error)
      ? `the server refused the handshake (${error.code}): ${error.message.replace(/^MCP error -?\d+: /, '')}`
      : error instanceof Error
        ? error.message
        : String(error);
  return { kind: 'startup', detail, permanent };
}

/** The end of a run in words; `lastStderr` is already redacted and `redact` covers the startup detail. */
export function describeEnd(end: RunEnd, lastStderr: string, redact: (text: string) => string): string {
  const stderr = lastStderr ? `: ${truncate(lastStderr, 200)}` : '';
  switch (end.kind) {
    case 'exit':
      return end.exit.signal ? `killed by ${end.exit.signal}${stderr}` : `exited with code ${end.exit.code}${stderr}`;
    case 'closed':
      return 'connection closed by the server';
    case 'hang':
      return `not answering pings (${end.detail})`;
    case 'startup':
      return `${redact(end.detail)}${stderr ? `; stderr${stderr}` : ''}`;
  }
}

/**
 * Ends a run's processes (the whole tree; an unresponsive one without the grace period) and closes its client,
 * telling a streamable HTTP server that the session is over. Reports what it did, never throws.
 */
export async function shutDownRun(run: Run, unresponsive: boolean, note: (text: string) => void): Promise<void> {
  const process = run.connection.process;
  try {
    if (process) {
      const termination = process.exit ? await process.reapLeftovers() : await process.terminate(unresponsive);
      if (termination?.signalled.length) {
        const { signalled, killed } = termination;
        const forced = killed.length ? `, ${killed.length} needed SIGKILL (${killed.join(', ')})` : '';
        note(`ended ${signalled.length} process(es) with SIGTERM (${signalled.join(', ')})${forced}`);
      }
    }
    const transport = run.connection.transport;
    if (!unresponsive && run.connectedAt !== undefined && transport instanceof StreamableHTTPClientTransport) {
      // So that the server frees the session now rather than at its timeout.
      await Promise.race([transport.terminateSession().catch(() => undefined), delay(1_000)]);
    }
    await run.client.close();
  } catch (error) {
    note(`while closing: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function raceExit(connection: Connection, ms: number): Promise<ProcessExit | undefined> {
  return Promise.race([
    connection.process!.exited,
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref()),
  ]);
}

function isSpawnFailure(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'EACCES';
}

/**
 * The server answered the handshake with an error of its own (a missing or rejected API key, typically): it is
 * up and says no, so retrying with the same configuration cannot help.
 */
function isRefusal(error: unknown): boolean {
  return error instanceof McpError && error.code !== ErrorCode.ConnectionClosed;
}
