import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { checkPrivateSocket, ensurePrivateDir, gatewayPaths, type GatewayPaths } from './paths';
import {
  GatewayErrorCode,
  LineSplitter,
  WIRE_VERSION,
  errorResponse,
  frame,
  isStderrLine,
  parseMessage,
  type GatewayHello,
  type RpcMessage,
} from './wire';

/**
 * The stdio shim: what Claude Code starts for a server written with `outputs.mcpVia: gateway`. It forwards the
 * client's MCP lines to the daemon unchanged and back, starting the daemon when none answers. Built as its own
 * small bundle (dist/mcp-connect.js): Node built-ins only, no layer or schema work; the daemon does that.
 *
 * When the daemon dies under it, the shim fails the requests in flight with a clear error, starts or finds a
 * new daemon, initializes the session again with the client's own `initialize`, and tells the client to list
 * its tools (and resources and prompts) again.
 */

export interface ShimOptions {
  server: string;
  workspace: string;
  env: NodeJS.ProcessEnv;
  /** argv that starts the daemon, e.g. `[node, dist/cli.js, 'mcp', 'daemon']`. */
  daemonCommand: string[];
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The shim's own notes, for the client's server log (stderr). */
  note: (text: string) => void;
  paths?: GatewayPaths;
}

/** Id of the shim's own `initialize` after a reconnect; its answer is not forwarded. */
const REINIT_ID = 'claude-env-gateway-reinit';
/** Reconnects allowed within `RECONNECT_WINDOW_MS` before the shim gives up and answers every request with why. */
const MAX_RECONNECTS = 3;
const RECONNECT_WINDOW_MS = 60_000;
/** How long a daemon may take to say it listens. */
const DAEMON_START_MS = 30_000;

export function runShim(options: ShimOptions): Promise<number> {
  return new Promise((resolve) => new Shim(options, resolve).start());
}

class Shim {
  private readonly paths: GatewayPaths;
  private socket: Socket | undefined;
  private connected = false;
  private readonly queue: string[] = [];
  private readonly pending = new Map<string, string | number>();
  private initialize: RpcMessage | undefined;
  private initialized = false;
  private capabilities: Record<string, unknown> = {};
  private inputEnded = false;
  /** Set when the daemon cannot be reached: every request is answered with it. */
  private dead: string | undefined;
  private reconnectTimes: number[] = [];
  private finished = false;

  constructor(
    private readonly options: ShimOptions,
    private readonly done: (code: number) => void,
  ) {
    this.paths = options.paths ?? gatewayPaths(options.env);
  }

  start(): void {
    const splitter = new LineSplitter(
      (line) => this.fromClient(line),
      () => this.options.note('claude-env gateway: dropped a client message over the size limit'),
    );
    this.options.input.on('data', (chunk: Buffer) => splitter.push(chunk));
    this.options.input.on('end', () => {
      this.inputEnded = true;
      if (this.socket && this.connected) this.socket.end();
      else this.finish(0);
    });
    void this.open(false);
  }

  private fromClient(line: string): void {
    const message = parseMessage(line);
    if (message && typeof message.method === 'string' && message.id !== undefined && message.id !== null) {
      if (this.dead) {
        this.toClient(frame(errorResponse(message.id, GatewayErrorCode.daemonLost, this.dead)));
        return;
      }
      this.pending.set(JSON.stringify(message.id), message.id);
      if (message.method === 'initialize') this.initialize = message;
    }
    if (this.connected) this.socket!.write(`${line}\n`);
    else if (!this.dead) this.queue.push(line);
  }

  private fromDaemon(line: string): void {
    const message = parseMessage(line);
    // The instance's stderr: to ours, where the client keeps a stdio server's log.
    if (isStderrLine(message)) return void this.options.note(message.stderr);
    if (message && message.method === undefined && message.id !== undefined && message.id !== null) {
      if (message.id === REINIT_ID) {
        this.reinitialized(message);
        return;
      }
      this.pending.delete(JSON.stringify(message.id));
      if (this.initialize && message.id === this.initialize.id && message.result) {
        this.initialized = true;
        this.capabilities = (message.result.capabilities as Record<string, unknown>) ?? {};
      }
    }
    this.toClient(`${line}\n`);
  }

  private toClient(text: string): void {
    if (this.finished) return;
    // Back-pressure: a client that does not read stops the daemon's socket, not the shim's memory.
    if (!this.options.output.write(text) && this.socket) {
      const socket = this.socket;
      socket.pause();
      this.options.output.once('drain', () => socket.resume());
    }
  }

  private async open(reconnecting: boolean): Promise<void> {
    let socket: Socket;
    try {
      socket = await connectOrStart(this.paths, this.options.daemonCommand, this.options.env);
    } catch (error) {
      this.giveUp(`claude-env gateway unavailable: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.socket = socket;
    this.connected = true;
    const splitter = new LineSplitter((line) => this.fromDaemon(line));
    socket.on('data', (chunk) => splitter.push(chunk));
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => this.lost(socket));
    const hello: GatewayHello = {
      gateway: WIRE_VERSION,
      kind: 'connect',
      server: this.options.server,
      workspace: this.options.workspace,
      clientPid: process.pid,
      stderr: true,
    };
    socket.write(frame(hello));
    if (reconnecting && this.initialize) {
      if (this.initialized) {
        socket.write(frame({ ...this.initialize, id: REINIT_ID }));
        socket.write(frame({ jsonrpc: '2.0', method: 'notifications/initialized' }));
      } else {
        // The client's own initialize was in flight: send it again, its answer goes to the client.
        socket.write(frame(this.initialize));
        this.pending.set(JSON.stringify(this.initialize.id), this.initialize.id!);
      }
    }
    for (const line of this.queue.splice(0)) socket.write(`${line}\n`);
    if (this.inputEnded) socket.end();
  }

  /** The daemon's socket closed. Expected after our stdin ended; otherwise the daemon died. */
  private lost(socket: Socket): void {
    if (socket !== this.socket) return;
    this.connected = false;
    if (this.inputEnded) {
      this.finish(0);
      return;
    }
    for (const [key, id] of this.pending) {
      if (this.initialize && id === this.initialize.id && !this.initialized) continue;
      this.pending.delete(key);
      this.toClient(
        frame(
          errorResponse(
            id,
            GatewayErrorCode.daemonLost,
            'the claude-env gateway daemon stopped while this request was in flight; the request was not completed. ' +
              'The shim is connecting to a new daemon; tools will be listed again once it is back.',
          ),
        ),
      );
    }
    const now = Date.now();
    this.reconnectTimes = this.reconnectTimes.filter((time) => now - time < RECONNECT_WINDOW_MS);
    if (this.reconnectTimes.length >= MAX_RECONNECTS) {
      this.giveUp(
        `claude-env gateway daemon stopped ${MAX_RECONNECTS} times within ${RECONNECT_WINDOW_MS / 1000} s; ` +
          `not reconnecting again (see ${this.paths.log})`,
      );
      return;
    }
    this.reconnectTimes.push(now);
    this.options.note('claude-env gateway: the daemon stopped; reconnecting');
    void this.open(true);
  }

  private reinitialized(message: RpcMessage): void {
    if (message.error) {
      this.options.note(`claude-env gateway: re-initializing after a reconnect failed: ${message.error.message}`);
      return;
    }
    this.capabilities = (message.result?.capabilities as Record<string, unknown>) ?? this.capabilities;
    for (const kind of ['tools', 'resources', 'prompts']) {
      if (this.capabilities[kind])
        this.toClient(frame({ jsonrpc: '2.0', method: `notifications/${kind}/list_changed` }));
    }
  }

  private giveUp(reason: string): void {
    this.dead = reason;
    this.options.note(reason);
    for (const line of this.queue.splice(0)) {
      const message = parseMessage(line);
      if (message?.id !== undefined && message.id !== null && message.method) {
        this.toClient(frame(errorResponse(message.id, GatewayErrorCode.daemonLost, reason)));
      }
    }
    for (const id of this.pending.values())
      this.toClient(frame(errorResponse(id, GatewayErrorCode.daemonLost, reason)));
    this.pending.clear();
    if (this.inputEnded) this.finish(1);
  }

  private finish(code: number): void {
    if (this.finished) return;
    this.finished = true;
    this.done(code);
  }
}

/** Connects to the running daemon, or starts one (detached, so that it outlives this shim) and connects. */
export async function connectOrStart(paths: GatewayPaths, command: string[], env: NodeJS.ProcessEnv): Promise<Socket> {
  ensurePrivateDir(paths.dir);
  if (checkPrivateSocket(paths.socket)) {
    const socket = await tryConnect(paths.socket);
    if (socket) return socket;
  }
  await spawnDaemon(paths, command, env);
  if (!checkPrivateSocket(paths.socket)) throw new Error(`the daemon started but ${paths.socket} does not exist`);
  const socket = await tryConnect(paths.socket);
  if (!socket) throw new Error(`the daemon started but does not accept connections on ${paths.socket}`);
  return socket;
}

function tryConnect(path: string): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', () => resolve(undefined));
  });
}

/**
 * Starts `claude-env mcp daemon` in its own session and waits for its first line: `ready` (it listens) or
 * `running` (another daemon was faster). Its stderr goes to the gateway log.
 */
function spawnDaemon(paths: GatewayPaths, command: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const log = openSync(paths.log, 'a', 0o600);
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), {
      detached: true,
      stdio: ['ignore', 'pipe', log],
      env,
      cwd: paths.dir,
    });
    closeSync(log);
    let output = '';
    const timer = setTimeout(
      () => settle(new Error(`the daemon did not start within ${DAEMON_START_MS / 1000} s`)),
      DAEMON_START_MS,
    );
    const settle = (error?: Error) => {
      clearTimeout(timer);
      child.stdout!.removeAllListeners();
      child.removeAllListeners();
      child.stdout!.destroy();
      child.unref();
      if (error) reject(error);
      else resolve();
    };
    child.once('error', (error) =>
      settle(new Error(`cannot start the daemon (${command.join(' ')}): ${error.message}`)),
    );
    // 'close' (not 'exit') so that a daemon that printed `running` and exited is read before it is judged.
    child.once('close', (code, signal) =>
      output.includes('\n')
        ? settle()
        : settle(new Error(`the daemon exited before listening (${signal ?? `code ${code}`}); see ${paths.log}`)),
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('\n')) settle();
    });
  });
}
