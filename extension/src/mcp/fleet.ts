/**
 * The MCP servers of one workspace as the editor supervises them: the effective definitions (reloaded when the
 * layers change), their secrets resolved in memory, and the supervisor that runs them. Imports no `vscode`, so
 * the rules (Workspace Trust, policy, auto-start once, restart on a changed definition) live apart from the UI.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { loadEnvironment, type ServerDefinition } from '@claude-env/engine';
import { resolveServer, type SecretProvider } from '@claude-env/engine';
import {
  isActive,
  Supervisor,
  UNTRUSTED_REASON,
  type BackendStatus,
  type LogLine,
  type ServerState,
  type ServerStatus,
  type SessionStatus,
  type SupervisorTuning,
} from '@claude-env/mcp';

/** A server's state as the view shows it: the supervisor's, or `unresolved` when a reference has no value. */
export type FleetState = ServerState | 'unresolved';

/** One effective server with what the editor knows about it. */
export interface FleetEntry {
  definition: ServerDefinition;
  state: FleetState;
  /** Why it is in this state (policy, Workspace Trust, a missing secret, the supervisor's reason). */
  reason: string;
  /** The supervisor's snapshot; undefined for servers that can never start here (blocked, unresolved). */
  status?: ServerStatus;
  /** Under the gateway: the daemon's instances of this server for this workspace and the sessions on them. */
  gateway?: GatewayView;
}

/** What the gateway daemon holds of one server of the workspace. */
export interface GatewayView {
  instances: BackendStatus[];
  sessions: SessionStatus[];
}

/** Who runs the servers: the shared per-user gateway daemon, or a supervisor inside this extension host. */
export type SupervisorMode = 'gateway' | 'inProcess';

/**
 * The servers of one workspace as the view, the status bar and the commands see them, whoever runs them
 * ({@link McpFleet} in this extension host, or the gateway daemon's fleet).
 */
export interface EditorFleet {
  readonly mode: SupervisorMode;
  readonly workspace: string;
  /** Files the last load read (layer files), so the caller can watch those outside the workspace. */
  readonly layerFiles: string[];
  list(): FleetEntry[];
  entry(name: string): FleetEntry | undefined;
  setTrusted(trusted: boolean): Promise<void>;
  reload(): Promise<void>;
  start(name: string): Promise<FleetEntry>;
  stop(name: string): Promise<FleetEntry>;
  restart(name: string): Promise<FleetEntry>;
  startAll(): Promise<FleetEntry[]>;
  stopAll(): Promise<void>;
  /** The server's recent log lines (redacted), for a log channel opened late. */
  logs(name: string): LogLine[];
  dispose(): Promise<void>;
  on<E extends keyof FleetEvents>(event: E, listener: (...args: FleetEvents[E]) => void): unknown;
  off<E extends keyof FleetEvents>(event: E, listener: (...args: FleetEvents[E]) => void): unknown;
}

/** What the fleet needs from outside: where the workspace is, how to read secrets, and a few choices. */
export interface FleetOptions {
  workspace: string;
  secrets: SecretProvider;
  /** Folder of the user layer (the `claudeEnv.userConfigDir` setting), default per XDG. */
  userConfigDir?: () => string | undefined;
  /** Whether servers marked `autoStart` start on their own (setting, and not handed to VS Code's MCP support). */
  autoStartEnabled: () => boolean;
  tuning?: Partial<SupervisorTuning>;
  /** Receives problems of the fleet itself (a layer that cannot be loaded); never a secret. */
  log: (message: string) => void;
}

export interface FleetEvents {
  /** The list or a state changed: views re-render. */
  changed: [];
  /** A server wrote a log line (already redacted). */
  log: [name: string, line: LogLine];
}

export class McpFleet extends EventEmitter<FleetEvents> implements EditorFleet {
  readonly mode = 'inProcess';
  readonly supervisor: Supervisor;
  private entries: FleetEntry[] = [];
  private readonly fingerprints = new Map<string, string>();
  /** Servers already auto-started this session: a server a person stopped is not started again by a reload. */
  private readonly autoStarted = new Set<string>();
  private trusted = false;
  private queue: Promise<void> = Promise.resolve();
  private disposed = false;
  /** Files the last load read (layer files), so the caller can watch those outside the workspace. */
  layerFiles: string[] = [];

  constructor(private readonly options: FleetOptions) {
    super();
    this.supervisor = new Supervisor({ clientName: 'claude-env-vscode', ...options.tuning });
    this.supervisor.on('state', () => this.emit('changed'));
    this.supervisor.on('lists', () => this.emit('changed'));
    this.supervisor.on('log', (name, line) => this.emit('log', name, line));
  }

  logs(name: string): LogLine[] {
    return this.supervisor.get(name)?.logs() ?? [];
  }

  get workspace(): string {
    return this.options.workspace;
  }

  /** Every effective server with its current state, in definition order. */
  list(): FleetEntry[] {
    return this.entries.map((entry) => this.current(entry));
  }

  entry(name: string): FleetEntry | undefined {
    const found = this.entries.find((entry) => entry.definition.name === name);
    return found && this.current(found);
  }

  /** Workspace Trust changed (it only ever goes from untrusted to trusted while VS Code runs). */
  setTrusted(trusted: boolean): Promise<void> {
    this.trusted = trusted;
    return this.reload();
  }

  /**
   * Reads the layers from disk again, resolves every server and reconciles the supervisor: new servers are
   * added, removed ones stopped, changed ones replaced (and started again when they were up). Reloads are queued
   * so that two file events never reconcile at the same time.
   */
  reload(): Promise<void> {
    this.queue = this.queue
      .then(() => this.reconcile())
      .catch((error: unknown) => {
        this.options.log(`reloading the MCP servers failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    return this.queue;
  }

  async start(name: string): Promise<FleetEntry> {
    const supervised = this.supervisor.get(name);
    if (supervised) await supervised.start();
    return this.require(name);
  }

  async stop(name: string): Promise<FleetEntry> {
    await this.supervisor.get(name)?.stop();
    return this.require(name);
  }

  async restart(name: string): Promise<FleetEntry> {
    await this.supervisor.get(name)?.restart();
    return this.require(name);
  }

  async startAll(): Promise<FleetEntry[]> {
    await this.supervisor.startAll();
    return this.list();
  }

  async stopAll(): Promise<void> {
    await this.supervisor.stopAll();
  }

  /** Stops every server with its whole process tree; the fleet is unusable afterwards. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.queue;
    await this.supervisor.dispose();
    this.removeAllListeners();
  }

  private async reconcile(): Promise<void> {
    if (this.disposed) return;
    const environment = loadEnvironment(this.options.workspace, { userConfigDir: this.options.userConfigDir?.() });
    this.layerFiles = environment.stack.layers.map((layer) => layer.file).filter((file) => !file.startsWith('env:'));
    const next: FleetEntry[] = [];
    const startable = new Set<string>();
    for (const definition of environment.servers) {
      if (!this.trusted) {
        // Not even resolved: in Restricted Mode a `${file:…}` reference must not make us read anything.
        next.push({ definition, state: 'blocked', reason: UNTRUSTED_REASON });
        continue;
      }
      if (definition.blockedReason) {
        next.push({ definition, state: 'blocked', reason: definition.blockedReason });
        continue;
      }
      const resolution = await resolveServer(definition, {
        workspace: this.options.workspace,
        secrets: this.options.secrets,
        environment: process.env,
      });
      if (!resolution.server) {
        next.push({ definition, state: 'unresolved', reason: resolution.errors.join('; ') });
        continue;
      }
      startable.add(definition.name);
      next.push({ definition, state: 'stopped', reason: 'not started' });
      // The fingerprint covers resolved values too, so a changed secret restarts the server; only its hash is kept.
      const fingerprint = createHash('sha256').update(JSON.stringify(resolution.server)).digest('hex');
      if (this.fingerprints.get(definition.name) === fingerprint && this.supervisor.get(definition.name)) continue;
      const previous = this.supervisor.get(definition.name);
      const wasActive = previous !== undefined && isActive(previous.state);
      await this.supervisor.add(resolution.server);
      this.fingerprints.set(definition.name, fingerprint);
      if (wasActive) {
        this.options.log(`${definition.name}: its definition changed; restarting it`);
        void this.supervisor.start(definition.name);
      }
    }
    for (const name of this.supervisor.names()) {
      if (startable.has(name)) continue;
      await this.supervisor.remove(name);
      this.fingerprints.delete(name);
    }
    this.entries = next;
    this.emit('changed');
    this.autoStart();
  }

  private autoStart(): void {
    if (!this.trusted || !this.options.autoStartEnabled()) return;
    for (const name of this.supervisor.names()) {
      const supervised = this.supervisor.get(name);
      if (!supervised?.server.supervision.autoStart || this.autoStarted.has(name)) continue;
      this.autoStarted.add(name);
      this.options.log(`${name}: starting (autoStart)`);
      void supervised.start();
    }
  }

  private current(entry: FleetEntry): FleetEntry {
    const supervised = this.supervisor.get(entry.definition.name);
    if (!supervised || entry.state === 'blocked' || entry.state === 'unresolved') return entry;
    const status = supervised.status();
    return { definition: entry.definition, state: status.state, reason: status.reason, status };
  }

  private require(name: string): FleetEntry {
    const found = this.entry(name);
    if (!found) throw new Error(`no MCP server named "${name}" in ${this.options.workspace}`);
    return found;
  }
}
