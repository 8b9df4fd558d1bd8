/**
 * What the shim and the daemon say to each other over the Unix socket: one JSON object per line. The first line
 * from the shim is a `GatewayHello`; after it, the lines are the client's MCP JSON-RPC messages, unchanged in
 * both directions. Imported by the shim bundle: Node built-ins only.
 */

/** Version of the hello line; a daemon refuses a hello it does not know. */
export const WIRE_VERSION = 1;

/** The shim's first line. */
export type GatewayHello =
  | {
      gateway: typeof WIRE_VERSION;
      kind: 'connect';
      server: string;
      workspace: string;
      clientPid: number;
      /** Send the instance's stderr lines as `StderrLine`s (the shim writes them to its own stderr). */
      stderr?: boolean;
    }
  /** `mcp status`: the daemon answers with one `FleetStatus` line and closes. */
  | { gateway: typeof WIRE_VERSION; kind: 'status' }
  /** `mcp health` and the dashboard: the daemon appends the health history it holds, answers `{ flushed }`. */
  | { gateway: typeof WIRE_VERSION; kind: 'flush' }
  /** `mcp daemon --stop`: the daemon stops every backend and exits. */
  | { gateway: typeof WIRE_VERSION; kind: 'stop' }
  /** The editor's view: one `FleetStatus` line now and one after every change, until either side closes. */
  | { gateway: typeof WIRE_VERSION; kind: 'subscribe' }
  /** Start, stop or restart every instance of a server in a workspace; answered with one `ControlAnswer` line. */
  | {
      gateway: typeof WIRE_VERSION;
      kind: 'control';
      action: ControlAction;
      workspace: string;
      server: string;
    };

/** What a `control` hello asks of a server's instances. */
export type ControlAction = 'start' | 'stop' | 'restart';

/** The daemon's answer to a `control` hello: the instances it acted on, or why it did not. */
export type ControlAnswer = { ok: true; instances: string[] } | { ok: false; error: string };

/**
 * A line of the instance's stderr (already redacted), from the daemon to a shim that asked for them in its hello.
 * Not JSON-RPC: the shim writes it to its own stderr, where a client looks for a stdio server's log.
 */
export interface StderrLine {
  gateway: typeof WIRE_VERSION;
  stderr: string;
}

export function isStderrLine(message: unknown): message is StderrLine {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as StderrLine).gateway === WIRE_VERSION &&
    typeof (message as StderrLine).stderr === 'string'
  );
}

/** JSON-RPC error codes the gateway itself answers with (the implementation-defined server-error range). */
export const GatewayErrorCode = {
  /** The backend crashed or hung while the request was in flight and is being restarted. */
  backendRestarted: -32003,
  /** The backend cannot serve: failed (crash loop, missing command), blocked by policy, or not resolvable. */
  backendUnavailable: -32004,
  /** The shim lost the daemon while the request was in flight. */
  daemonLost: -32005,
} as const;

/** Largest line accepted in either direction (a tool result may carry a large image). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Splits a byte stream into lines. A line longer than `maxBytes` is reported through `onOverflow` and
 * discarded up to its newline, so memory stays bounded whatever the peer sends.
 */
export class LineSplitter {
  private chunks: Buffer[] = [];
  private size = 0;
  private discarding = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: () => void = () => undefined,
    private readonly maxBytes = MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline === -1) break;
      const piece = chunk.subarray(start, newline);
      start = newline + 1;
      if (this.discarding) {
        this.discarding = false;
        continue;
      }
      const line = this.size ? Buffer.concat([...this.chunks, piece]).toString('utf8') : piece.toString('utf8');
      this.chunks = [];
      this.size = 0;
      if (line.trim()) this.onLine(line);
    }
    if (start >= chunk.length || this.discarding) return;
    const rest = chunk.subarray(start);
    this.size += rest.length;
    if (this.size > this.maxBytes) {
      this.chunks = [];
      this.size = 0;
      this.discarding = true;
      this.onOverflow();
      return;
    }
    // Copy: the caller's buffer may be reused.
    this.chunks.push(Buffer.from(rest));
  }
}

/** A JSON-RPC message as the gateway routes it; the rest of its fields are forwarded untouched. */
export interface RpcMessage {
  jsonrpc?: string;
  id?: string | number | null;
  method?: string;
  params?: Record<string, unknown> & { _meta?: Record<string, unknown> };
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
}

/** Parses one line; undefined when it is not a JSON object. */
export function parseMessage(line: string): RpcMessage | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as RpcMessage) : undefined;
  } catch {
    return undefined;
  }
}

export function errorResponse(id: string | number | null, code: number, message: string): RpcMessage {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

export function frame(message: unknown): string {
  return `${JSON.stringify(message)}\n`;
}
