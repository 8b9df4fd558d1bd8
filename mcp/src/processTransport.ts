import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { RUN_MARKER_VAR, killRunNow, terminateRun, type Termination } from './processTree';

/** How a server process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** What the transport needs to start one server process. */
export interface ProcessSpec {
  command: string;
  args: string[];
  /** Merged on top of the supervisor's full environment. */
  env: Record<string, string>;
  cwd: string;
}

/** Receives what a server process prints outside the protocol. */
export interface ProcessOutputSink {
  stderrLine(text: string): void;
  /**
   * Where a stderr line too long to keep whole may be cut (see `Redactor.safeCut`): the part before is logged
   * now, the rest starts the next line, so that a secret across the cut is never split into two visible halves.
   */
  safeCut?(text: string): number;
  /** A stdout line that is not a JSON-RPC message (servers that print banners, or garbage). */
  stdoutNoise(text: string): void;
}

/** A JSON-RPC line longer than this is dropped: no tool list is that big, and a runaway line must not eat memory. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Partial stderr kept while waiting for a newline; beyond this the fragment is logged as is. */
const MAX_STDERR_FRAGMENT = 64 * 1024;

/** Processes of every live run in this host, so that a dying host can take them along. */
const liveRuns = new Set<ProcessTransport>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Only synchronous work is possible in 'exit': SIGKILL, no grace. Graceful stops are the host's job on SIGINT.
  process.on('exit', () => {
    for (const run of liveRuns) run.killNow();
  });
}

/**
 * An MCP stdio transport over a process we spawn ourselves, so that we control what the SDK's
 * StdioClientTransport does not: the full environment, a process group, stderr capture, tolerance of
 * non-protocol stdout lines, and whole-tree shutdown.
 */
export class ProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /** Called once when the process exits, with the exit code or signal. */
  onexit?: (exit: ProcessExit) => void;

  readonly marker = randomUUID();
  private child: ChildProcess | undefined;
  private stdoutChunks: Buffer[] = [];
  private stdoutBytes = 0;
  private stderrFragment = '';
  private exitInfo: ProcessExit | undefined;
  private closing: Promise<Termination | undefined> | undefined;
  /** Resolves when the process has exited and its pipes are drained (or 200 ms after exit, whichever first). */
  readonly exited: Promise<ProcessExit>;
  private resolveExited!: (exit: ProcessExit) => void;

  constructor(
    private readonly spec: ProcessSpec,
    private readonly sink: ProcessOutputSink,
    private readonly graceMs: number,
  ) {
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get exit(): ProcessExit | undefined {
    return this.exitInfo;
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.spec.command, this.spec.args, {
        cwd: this.spec.cwd,
        env: { ...process.env, ...this.spec.env, [RUN_MARKER_VAR]: this.marker },
        stdio: ['pipe', 'pipe', 'pipe'],
        // Own process group: one signal reaches the server and everything it forked.
        detached: true,
        windowsHide: true,
      });
      this.child = child;
      child.once('spawn', () => {
        liveRuns.add(this);
        installExitHook();
        resolve();
      });
      child.on('error', (error) => {
        // Only spawn failures reach here before 'spawn'; later errors (kill on a dead pid) are harmless.
        if (!liveRuns.has(this)) reject(error);
      });
      child.stdout!.on('data', (chunk: Buffer) => this.readStdout(chunk));
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (text: string) => this.readStderr(text));
      child.stdin!.on('error', () => {
        // EPIPE when the server is gone; the exit handler reports that.
      });
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        liveRuns.delete(this);
        // Let the pipes drain so the last stderr line (often the reason of a crash) is captured, but do not wait
        // for a grandchild that still holds them open.
        const drained = new Promise<void>((done) => child.once('close', () => done()));
        const timeout = new Promise<void>((done) => setTimeout(done, 200).unref());
        void Promise.race([drained, timeout]).then(() => {
          this.flushStderr();
          const exit = this.exitInfo!;
          this.resolveExited(exit);
          this.onexit?.(exit);
          this.onclose?.();
        });
      });
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed || this.exitInfo) throw new Error('Not connected: the server process has exited');
    const line = JSON.stringify(message) + '\n';
    if (!stdin.write(line)) await new Promise<void>((resolve) => stdin.once('drain', resolve));
  }

  /**
   * Ends the server's input only. The SDK calls this on its own, e.g. when a handshake fails; whether and when
   * signals follow is the supervisor's decision (`terminate`), which knows if the server is hung.
   */
  async close(): Promise<void> {
    this.child?.stdin?.end();
  }

  /**
   * Stops the whole tree: closes stdin and waits `graceMs`, then SIGTERM, then SIGKILL. Idempotent; says which
   * processes needed a signal. `unresponsive` skips the stdin grace: a server that hung or never finished its
   * handshake is not reading its input.
   */
  terminate(unresponsive = false): Promise<Termination | undefined> {
    this.closing ??= this.shutDown(unresponsive);
    return this.closing;
  }

  /** Ends what is left of the run after the server itself exited (a crash can leave children behind). */
  async reapLeftovers(): Promise<Termination> {
    return terminateRun(undefined, this.child?.pid, this.marker, this.graceMs);
  }

  /** Immediate SIGKILL of the whole run, for a host that is exiting. */
  killNow(): void {
    killRunNow(this.child?.pid, this.child?.pid, this.marker);
  }

  private async shutDown(unresponsive: boolean): Promise<Termination | undefined> {
    const child = this.child;
    if (!child || child.pid === undefined) return undefined;
    if (!this.exitInfo && !unresponsive) {
      // Well-behaved stdio servers exit when their input ends; give them that chance before any signal.
      child.stdin?.end();
      await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, this.graceMs).unref())]);
    }
    const termination = await terminateRun(this.exitInfo ? undefined : child.pid, child.pid, this.marker, this.graceMs);
    if (!this.exitInfo) await this.exited;
    return termination;
  }

  private readStdout(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
      this.stdoutChunks.push(chunk.subarray(start, newline));
      const line = Buffer.concat(this.stdoutChunks).toString('utf8');
      this.stdoutChunks = [];
      this.stdoutBytes = 0;
      this.handleLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      start = newline + 1;
    }
    if (start < chunk.length) {
      this.stdoutChunks.push(chunk.subarray(start));
      this.stdoutBytes += chunk.length - start;
      if (this.stdoutBytes > MAX_MESSAGE_BYTES) {
        this.sink.stdoutNoise(`dropped ${this.stdoutBytes} bytes of stdout without a newline`);
        this.stdoutChunks = [];
        this.stdoutBytes = 0;
      }
    }
  }

  private handleLine(line: string): void {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.sink.stdoutNoise(line);
      return;
    }
    const message = JSONRPCMessageSchema.safeParse(parsed);
    if (!message.success) {
      this.sink.stdoutNoise(line);
      return;
    }
    this.onmessage?.(message.data);
  }

  private readStderr(text: string): void {
    const lines = (this.stderrFragment + text).split('\n');
    this.stderrFragment = lines.pop() ?? '';
    for (const line of lines) this.sink.stderrLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (this.stderrFragment.length > MAX_STDERR_FRAGMENT) {
      const cut = this.sink.safeCut?.(this.stderrFragment) ?? this.stderrFragment.length;
      this.sink.stderrLine(this.stderrFragment.slice(0, cut));
      this.stderrFragment = this.stderrFragment.slice(cut);
    }
  }

  private flushStderr(): void {
    if (this.stderrFragment) this.sink.stderrLine(this.stderrFragment);
    this.stderrFragment = '';
  }
}
