import { EventEmitter } from 'node:events';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ResolvedServer } from '@claude-env/engine';
import { RestartPolicy, formatMs, type ExitKind } from './backoff';
import { createCatalogWatch, emptyCatalog, redactCatalog } from './catalog';
import { createClient, openConnection, preflight } from './connection';
import { LogRing } from './logRing';
import { PingMonitor } from './pingMonitor';
import { StartupTimeout, describeEnd, shutDownRun, startFailure, truncate, type Run, type RunEnd } from './serverRun';
import { Redactor } from '@claude-env/engine';
import type {
  LogLine,
  LogSource,
  ServerCatalog,
  ServerState,
  ServerStatus,
  SupervisorEvents,
  SupervisorTuning,
} from './types';
import { isActive, isConnected } from './types';

/**
 * Supervises one MCP server: starts it, watches its health, restarts it by policy and stops it with its whole
 * process tree. Emits `state`, `log` and `lists` events.
 */
export class ServerSupervisor extends EventEmitter<SupervisorEvents> {
  private currentState: ServerState = 'stopped';
  private currentReason = 'not started';
  private run: Run | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private wantRunning = false;
  private readonly policy: RestartPolicy;
  private readonly logRing: LogRing;
  private readonly redactor: Redactor;
  private restarts = 0;
  private handshakeMs: number | undefined;
  private catalog: ServerCatalog = emptyCatalog();
  private serverInfo: { name: string; version: string } | undefined;
  private lastStderr = '';

  constructor(
    readonly server: ResolvedServer,
    private readonly tuning: SupervisorTuning,
    private blockedReason?: string,
  ) {
    super();
    this.policy = new RestartPolicy(server.supervision, tuning);
    this.logRing = new LogRing(tuning.logBytes);
    this.redactor = new Redactor(server.secretValues);
    if (blockedReason) {
      this.currentState = 'blocked';
      this.currentReason = blockedReason;
    }
  }

  get name(): string {
    return this.server.name;
  }

  get state(): ServerState {
    return this.currentState;
  }

  get reason(): string {
    return this.currentReason;
  }

  /**
   * The MCP client of the current run while it is connected (`running` or `degraded`), else undefined. The
   * gateway forwards its sessions' requests through it.
   */
  get connectedClient(): Client | undefined {
    const run = this.run;
    return run && !run.ended && run.connectedAt !== undefined ? run.client : undefined;
  }

  /** The kept log lines, oldest first (already redacted). */
  logs(): LogLine[] {
    return this.logRing.snapshot();
  }

  /** Bytes the log holds; bounded by `tuning.logBytes`. */
  get logBytes(): number {
    return this.logRing.size;
  }

  status(): ServerStatus {
    const run = this.run;
    const pings = run?.pings;
    const connected = isConnected(this.currentState);
    return {
      name: this.name,
      type: this.server.type,
      state: this.currentState,
      reason: this.currentReason,
      pid: run?.connection.process?.pid,
      serverInfo: this.serverInfo,
      metrics: {
        uptimeMs: connected && run?.connectedAt !== undefined ? Date.now() - run.connectedAt : undefined,
        restarts: this.restarts,
        handshakeMs: this.handshakeMs,
        lastPingMs: pings?.lastMs,
        medianPingMs: pings?.medianMs,
        failedPings: pings?.failures ?? 0,
      },
      catalog: this.catalog,
    };
  }

  /**
   * Starts the server unless it is blocked or already up. Resolves once this attempt has an outcome: `running`,
   * or the state its failure led to (`restarting`, `crashed`, `failed`, `stopped`).
   */
  async start(): Promise<ServerStatus> {
    if (this.currentState === 'blocked' || isActive(this.currentState)) return this.status();
    this.wantRunning = true;
    this.policy.reset();
    await this.launch();
    return this.status();
  }

  /** Stops the server and everything it started. Resolves when no process of it is left. */
  async stop(reason = 'stopped by request'): Promise<void> {
    this.wantRunning = false;
    const pendingRestart = this.restartTimer !== undefined;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const run = this.run;
    // A server that already crashed or failed keeps that state and its reason: there was nothing to stop.
    const active =
      pendingRestart || (run !== undefined && (!run.ended || run.closing !== undefined) && isActive(this.currentState));
    if (run && !run.ended) {
      run.ended = true;
      run.pings?.stop();
      await this.closeRun(run);
      run.settle();
    } else if (run?.closing) {
      // The run is already ending on its own (crash, hang): wait until its processes are gone too.
      await run.closing;
    }
    if (active) this.setState('stopped', reason);
  }

  /** Stop, then start again; counts as a restart. */
  async restart(): Promise<ServerStatus> {
    if (this.currentState === 'blocked') return this.status();
    await this.stop('restarting by request');
    this.restarts++;
    return this.start();
  }

  /** Pings the running server now; resolves to the latency in milliseconds, rejects when it does not answer. */
  async ping(): Promise<number> {
    const pings = this.run?.pings;
    if (!pings || this.run?.ended)
      throw new Error(`${this.name} is not running (${this.currentState}: ${this.currentReason})`);
    try {
      return await pings.pingNow();
    } catch (error) {
      // The server's error message is its own text, like its logs.
      throw new Error(this.redact(error instanceof Error ? error.message : String(error)));
    }
  }

  /** Blocks (policy, Workspace Trust) or unblocks the server. Blocking stops it first. */
  async setBlocked(reason: string | undefined): Promise<void> {
    this.blockedReason = reason;
    if (reason) {
      await this.stop(reason);
      this.setState('blocked', reason);
    } else if (this.currentState === 'blocked') {
      this.setState('stopped', 'unblocked');
    }
  }

  private async launch(): Promise<void> {
    const started = Date.now();
    const sink = {
      stderrLine: (text: string) => {
        if (text.trim()) this.lastStderr = text;
        this.log('stderr', text);
      },
      safeCut: (text: string) => this.redactor.safeCut(text),
      stdoutNoise: (text: string) => this.log('stdout', `not a protocol message: ${text}`),
    };
    const connection = openConnection(this.server, sink, this.tuning.stopGraceMs);
    const client = createClient(this.tuning.clientName, this.tuning.clientVersion);
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const run: Run = { connection, client, startedAt: started, ended: false, settled, settle };
    this.run = run;
    this.lastStderr = '';
    // Redacted before it is cut: a secret cut in half no longer matches, and its first half would show.
    const commandLine = truncate(this.redact([this.server.command, ...this.server.args].join(' ')), 160);
    this.setState(
      'starting',
      this.server.type === 'stdio' ? `starting ${commandLine}` : `connecting to ${this.server.url}`,
    );

    if (connection.process) connection.process.onexit = (exit) => void this.endRun(run, { kind: 'exit', exit });
    client.onclose = () => {
      // For stdio the process exit carries the better reason; for URLs the closed connection is all we get.
      // During the handshake the failed connect() carries the better reason (refused, 404, TLS).
      if (!connection.process && run.connectedAt !== undefined) void this.endRun(run, { kind: 'closed' });
    };
    client.onerror = (error) => this.log('supervisor', `transport error: ${error.message}`);
    client.fallbackNotificationHandler = async () => undefined;
    const watch = createCatalogWatch(
      client,
      (kind, catalog) => {
        if (this.run !== run) return;
        // Names and descriptions are the server's text: one that echoes its key must not show it in a view.
        this.catalog = redactCatalog(catalog, (text) => this.redact(text));
        this.emit('lists', { name: this.name, kind, count: catalog[kind].length });
      },
      (level, text) => this.log('server', text, level),
      (message) => this.log('supervisor', message),
    );

    const timeoutMs = this.server.supervision.startupTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StartupTimeout()), timeoutMs);
    });
    try {
      await Promise.race([
        (async () => {
          await preflight(this.server);
          // Our deadline decides; the SDK's own timeout would be indistinguishable from a server's -32001 error.
          await client.connect(connection.transport, { timeout: timeoutMs + 60_000 });
          this.handshakeMs = Date.now() - started;
          const info = client.getServerVersion();
          this.serverInfo = info && { name: this.redact(info.name), version: this.redact(info.version) };
          await watch.refreshAll();
        })(),
        deadline,
      ]);
    } catch (error) {
      clearTimeout(timer);
      if (run.ended) return run.settled;
      const end = await startFailure(error, connection, timeoutMs);
      await this.endRun(run, end);
      return run.settled;
    }
    clearTimeout(timer);
    if (run.ended) return run.settled;
    run.connectedAt = Date.now();
    const tools = this.catalog.tools.length;
    this.setState(
      'running',
      `ready in ${formatMs(Date.now() - started)} (handshake ${formatMs(this.handshakeMs ?? 0)}, ${tools} tool${tools === 1 ? '' : 's'})`,
    );
    run.pings = new PingMonitor(client, this.server.supervision, this.tuning.hangAfterFailedPings, {
      slow: (detail) => this.run === run && this.setState('degraded', detail),
      healthy: () =>
        this.run === run &&
        this.currentState === 'degraded' &&
        this.setState('running', 'pings answered in time again'),
      hung: (detail) => void this.endRun(run, { kind: 'hang', detail }),
    });
    run.pings.start();
    run.settle();
  }

  /** The single path for a run that ended without a stop request. */
  private async endRun(run: Run, end: RunEnd): Promise<void> {
    if (run.ended || this.run !== run) return;
    run.ended = true;
    run.pings?.stop();
    const reason = this.describeEnd(end);
    this.log('supervisor', reason);
    // Leave nothing behind before deciding anything: a crashed server's children, a hung server itself.
    await this.closeRun(run, end.kind === 'hang' || end.kind === 'startup');
    if (!this.wantRunning || this.run !== run) {
      // A stop (or a new start) arrived while we were cleaning up; it owns the state now.
      run.settle();
      return;
    }
    const exitKind: ExitKind =
      end.kind === 'exit' && end.exit.code === 0 && run.connectedAt !== undefined ? 'clean' : 'failure';
    if (end.kind === 'startup' && end.permanent) {
      this.setState('failed', reason);
      run.settle();
      return;
    }
    this.setState('crashed', reason);
    const decision = this.policy.decide(exitKind);
    if (decision.action === 'restart' && this.wantRunning) {
      this.restarts++;
      this.setState('restarting', `${reason}; restart ${decision.attempt} in ${formatMs(decision.delayMs)}`);
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (this.wantRunning && this.run === run) void this.launch();
      }, decision.delayMs);
    } else if (decision.action === 'fail') {
      this.setState('failed', `${decision.reason}; last: ${reason}`);
    } else if (decision.action === 'stay' && exitKind === 'clean') {
      this.setState('stopped', `${reason} (${decision.reason})`);
    }
    run.settle();
  }

  /** Shuts a run down once; later callers wait for the same shutdown. */
  private closeRun(run: Run, unresponsive = false): Promise<void> {
    run.closing ??= shutDownRun(run, unresponsive, (text) => this.log('supervisor', text));
    return run.closing;
  }

  private describeEnd(end: RunEnd): string {
    return describeEnd(end, this.lastStderr ? this.redact(this.lastStderr.trim()) : '', (text) => this.redact(text));
  }

  private setState(state: ServerState, reason: string): void {
    if (this.blockedReason && state !== 'blocked') return;
    const previous = this.currentState;
    const redacted = this.redact(reason);
    if (previous === state && this.currentReason === redacted) return;
    this.currentState = state;
    this.currentReason = redacted;
    this.emit('state', { name: this.name, state, previous, reason: redacted, time: Date.now() });
  }

  private redact(text: string): string {
    return this.redactor.redact(text);
  }

  private log(source: LogSource, text: string, level?: string): void {
    const line: LogLine = { time: Date.now(), source, text: this.redact(text), ...(level ? { level } : {}) };
    this.logRing.push(line);
    if (this.listenerCount('log') > 0) this.emit('log', this.name, line);
  }
}
