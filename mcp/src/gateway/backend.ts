import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ResolvedServer } from '@claude-env/engine';
import { ServerSupervisor } from '../serverSupervisor';
import type { ListChangeEvent, LogLine, ServerState, StateChangeEvent, SupervisorTuning } from '../types';
import type { GatewayObserver } from './observer';
import type { RpcMessage } from './wire';

/** What a backend needs of a session attached to it. */
export interface AttachedSession {
  readonly id: number;
  /** The session answered the client's `initialize`: it may now receive notifications. */
  readonly initialized: boolean;
  notify(message: RpcMessage): void;
  /** A line the instance wrote on stderr, redacted. */
  stderr(text: string): void;
}

/** One finished call, for `mcp status`: no arguments, no results. */
export interface CallRecord {
  method: string;
  target: string;
  outcome: 'ok' | 'error' | 'restart';
  ms: number;
  /** Epoch milliseconds. */
  at: number;
}

/** The backend cannot serve requests; the message says why (state and reason, or the policy rule). */
export class BackendUnavailable extends Error {}

const RECENT_CALLS = 20;
/** States in which the backend will not come back by itself. */
const AT_REST: readonly ServerState[] = ['stopped', 'failed', 'blocked', 'crashed'];

/**
 * One supervised instance of a server, held by the daemon for one session or shared by a workspace's sessions.
 * The supervisor restarts it by policy; the backend turns that into what sessions see: requests wait for a
 * running instance, list changes after a restart reach every initialized session, and a crash names itself.
 */
export class Backend {
  readonly supervisor: ServerSupervisor;
  readonly sessions = new Set<AttachedSession>();
  readonly recentCalls: CallRecord[] = [];
  /** Why the run behind each client ended, for the error of requests that were in flight on it. */
  private readonly endReasons = new WeakMap<Client, string>();
  private runningClient: Client | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly id: string,
    readonly workspace: string,
    server: ResolvedServer,
    tuning: SupervisorTuning,
    private readonly observer: GatewayObserver,
  ) {
    this.supervisor = new ServerSupervisor(server, tuning);
    this.supervisor.on('state', (event) => this.onState(event));
    this.supervisor.on('lists', (event) => this.onLists(event));
    this.supervisor.on('log', (_name, line) => this.onLog(line));
  }

  get name(): string {
    return this.supervisor.name;
  }

  /** What the observer's events name this instance by. */
  get identity(): { server: string; workspace: string; instance: string } {
    return { server: this.name, workspace: this.workspace, instance: this.id };
  }

  get share(): 'session' | 'workspace' {
    return this.supervisor.server.supervision.share;
  }

  /** Starts the instance unless it is up or on its way (a failed shared instance gets a fresh attempt). */
  ensureStarted(): void {
    if (AT_REST.includes(this.supervisor.state)) void this.supervisor.start();
  }

  /** Resolves with the connected client once the instance is running; rejects when it will not run. */
  async ready(signal?: AbortSignal): Promise<Client> {
    for (;;) {
      const client = this.supervisor.connectedClient;
      if (client) return client;
      const { state, reason } = this.supervisor;
      if (AT_REST.includes(state)) throw new BackendUnavailable(`${this.name} is ${state}: ${reason}`);
      if (signal?.aborted) throw new BackendUnavailable('cancelled');
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        this.waiters.add(wake);
        signal?.addEventListener('abort', wake, { once: true });
      });
    }
  }

  /**
   * Why the run behind `client` ended. The closed connection can reach a request before the supervisor has
   * seen the exit, so this waits (boundedly) for the supervisor's verdict.
   */
  async endReason(client: Client, waitMs = 3_000): Promise<string | undefined> {
    const deadline = Date.now() + waitMs;
    // The run is marked ended before its processes are reaped, and the verdict (with the exit's signal or code)
    // only comes after: wait for the state change rather than the client's disappearance.
    while (!this.endReasons.has(client) && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, Math.max(1, deadline - Date.now()));
        function wake() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(() => wake());
      });
    }
    return this.endReasons.get(client);
  }

  recordCall(record: CallRecord): void {
    this.recentCalls.push(record);
    if (this.recentCalls.length > RECENT_CALLS) this.recentCalls.shift();
  }

  /** A restart asked for (the editor's Restart, `mcp restart`): recorded as a restart, as the supervisor's own are. */
  async restart(): Promise<void> {
    this.observer.restarted({ ...this.identity, reason: 'restarted by request' });
    await this.supervisor.restart();
  }

  async stop(reason: string): Promise<void> {
    await this.supervisor.stop(reason);
    this.supervisor.removeAllListeners();
    this.observer.instanceEnded?.(this.identity);
    this.wakeAll();
  }

  private onState(event: StateChangeEvent): void {
    this.observer.stateChanged({ ...this.identity, state: event.state, reason: event.reason });
    if (event.state === 'running' || event.state === 'degraded') {
      const client = this.supervisor.connectedClient;
      if (client && client !== this.runningClient) {
        this.runningClient = client;
        // Notifications the catalog watch does not consume (resources/updated, custom ones) go to the sessions.
        client.fallbackNotificationHandler = async (notification) => {
          for (const session of this.sessions)
            if (session.initialized) session.notify({ jsonrpc: '2.0', ...notification });
        };
      }
    } else if (this.runningClient && !this.endReasons.has(this.runningClient)) {
      this.endReasons.set(this.runningClient, event.reason);
      this.runningClient = undefined;
    }
    if (event.state === 'restarting') this.observer.restarted({ ...this.identity, reason: event.reason });
    this.wakeAll();
  }

  /** A listing finished: after a restart or a list_changed of the server. Sessions list again when told. */
  private onLists(event: ListChangeEvent): void {
    const method = `notifications/${event.kind}/list_changed`;
    for (const session of this.sessions) if (session.initialized) session.notify({ jsonrpc: '2.0', method });
  }

  /**
   * What the instance logs reaches its sessions as it would from a server of their own, redacted by the
   * supervisor: its `notifications/message` as MCP notifications (the supervisor's catalog watch consumes them),
   * its stderr as lines for the shim's stderr.
   */
  private onLog(line: LogLine): void {
    if (line.source === 'server') {
      const params = { level: line.level ?? 'info', logger: this.name, data: line.text };
      for (const session of this.sessions)
        if (session.initialized) session.notify({ jsonrpc: '2.0', method: 'notifications/message', params });
    } else if (line.source === 'stderr') {
      for (const session of this.sessions) session.stderr(line.text);
    }
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
    this.waiters.clear();
  }
}
