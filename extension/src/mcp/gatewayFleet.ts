/**
 * The MCP servers of one workspace as the shared per-user gateway daemon runs them: the effective definitions
 * from the layers (for the rows, policy, Workspace Trust and the line that defines each), joined with the
 * daemon's fleet, which a subscription pushes on every change. Start opens the editor's own session of the server
 * (the daemon starts on demand, as the shim starts it); stop and restart act on every instance of the server
 * in this workspace, whoever's session it serves. In an untrusted folder nothing is ever asked of the daemon.
 * Imports no `vscode`.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { loadEnvironment, resolveServer, type ServerDefinition, type SecretProvider } from '@claude-env/engine';
import {
  GatewaySessionTransport,
  UNTRUSTED_REASON,
  controlDaemon,
  type GatewayPaths,
  type LogLine,
  type ServerCatalog,
} from '@claude-env/mcp';
import type { EditorFleet, FleetEntry, FleetEvents } from './fleet';
import { DaemonFollower } from './daemonFollower';
import { gatewayEntry } from './gatewayEntry';

export interface GatewayFleetOptions {
  workspace: string;
  /** What the daemon will resolve with (its environment and the secrets file): for the `unresolved` rows. */
  secrets: SecretProvider;
  userConfigDir?: () => string | undefined;
  autoStartEnabled: () => boolean;
  paths: GatewayPaths;
  /** argv and environment that start the daemon when none runs (the bundled CLI's `mcp daemon`). */
  daemon: { command: string[]; env: NodeJS.ProcessEnv };
  /** How the editor's own sessions introduce themselves: the view labels sessions by this name. */
  clientInfo: { name: string; version: string };
  log: (message: string) => void;
}

/** The editor's session of one server: its SDK client and what it last listed. */
interface EditorSession {
  client: Client;
  catalog: ServerCatalog;
  fingerprint: string;
}

type Row = { definition: ServerDefinition; state?: 'blocked' | 'unresolved'; reason: string; fingerprint?: string };

export class GatewayFleet extends EventEmitter<FleetEvents> implements EditorFleet {
  readonly mode = 'gateway';
  layerFiles: string[] = [];
  private rows: Row[] = [];
  private readonly daemon: DaemonFollower;
  private readonly sessions = new Map<string, EditorSession>();
  /** Why the editor's session of a server could not open (the daemon's refusal), until it opens. */
  private readonly refusals = new Map<string, string>();
  private readonly autoStarted = new Set<string>();
  /** Editor sessions that ended with their daemon, to open again on the next one (not a daemon of their own). */
  private readonly lost = new Set<string>();
  private trusted = false;
  private queue: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(private readonly options: GatewayFleetOptions) {
    super();
    this.daemon = new DaemonFollower(
      options.paths,
      () => this.emit('changed'),
      options.log,
      () => this.reopenLost(),
    );
  }

  get workspace(): string {
    return this.options.workspace;
  }

  list(): FleetEntry[] {
    return this.rows.map((row) => this.current(row));
  }

  entry(name: string): FleetEntry | undefined {
    const row = this.rows.find((candidate) => candidate.definition.name === name);
    return row && this.current(row);
  }

  /** The daemon keeps its servers' output; the channel says where, rather than staying empty. */
  logs(name: string): LogLine[] {
    const pids = this.entry(name)?.gateway?.instances.map((instance) => `${instance.id} pid ${instance.pid ?? '-'}`);
    const text =
      `${name} runs in the claude-env gateway daemon${pids?.length ? ` (${pids.join(', ')})` : ''}; its output is not ` +
      `forwarded to the editor. The daemon's own log is ${this.options.paths.log}; \`claude-env mcp status\` shows the fleet.`;
    return [{ time: Date.now(), source: 'supervisor', text }];
  }

  setTrusted(trusted: boolean): Promise<void> {
    this.trusted = trusted;
    if (trusted) this.daemon.follow();
    return this.reload();
  }

  reload(): Promise<void> {
    this.queue = this.queue
      .then(() => this.reconcile())
      .catch((error: unknown) => this.options.log(`reloading the MCP servers failed: ${messageOf(error)}`));
    return this.queue;
  }

  async start(name: string): Promise<FleetEntry> {
    const row = this.require(name);
    if (!this.trusted || row.state) return this.current(row);
    await this.openSession(row);
    await controlDaemon('start', this.workspace, name, this.options.paths).catch(() => undefined);
    await this.daemon.refresh();
    return this.current(this.require(name));
  }

  async stop(name: string): Promise<FleetEntry> {
    await this.closeSession(name);
    this.refusals.delete(name);
    if (this.trusted) await controlDaemon('stop', this.workspace, name, this.options.paths).catch(() => undefined);
    await this.daemon.refresh();
    return this.current(this.require(name));
  }

  async restart(name: string): Promise<FleetEntry> {
    const row = this.require(name);
    if (!this.trusted || row.state) return this.current(row);
    if (!this.current(row).gateway?.instances.length) return this.start(name);
    await controlDaemon('restart', this.workspace, name, this.options.paths).catch(() => undefined);
    await this.daemon.refresh();
    return this.current(this.require(name));
  }

  async startAll(): Promise<FleetEntry[]> {
    await Promise.all(this.rows.filter((row) => !row.state).map((row) => this.start(row.definition.name)));
    return this.list();
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.rows.map((row) => this.stop(row.definition.name)));
  }

  /** Closes the editor's sessions and the subscription. The daemon and other clients' sessions go on. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.queue;
    this.daemon.dispose();
    await Promise.all([...this.sessions.keys()].map((name) => this.closeSession(name)));
    this.removeAllListeners();
  }

  private async reconcile(): Promise<void> {
    if (this.disposed) return;
    const environment = loadEnvironment(this.workspace, { userConfigDir: this.options.userConfigDir?.() });
    this.layerFiles = environment.stack.layers.map((layer) => layer.file).filter((file) => !file.startsWith('env:'));
    const next: Row[] = [];
    for (const definition of environment.servers) {
      if (!this.trusted) next.push({ definition, state: 'blocked', reason: UNTRUSTED_REASON });
      else if (definition.blockedReason) next.push({ definition, state: 'blocked', reason: definition.blockedReason });
      else {
        const resolution = await resolveServer(definition, {
          workspace: this.workspace,
          secrets: this.options.secrets,
          environment: process.env,
        });
        if (!resolution.server) next.push({ definition, state: 'unresolved', reason: resolution.errors.join('; ') });
        else next.push({ definition, reason: '', fingerprint: fingerprintOf(resolution.server) });
      }
    }
    this.rows = next;
    // The editor's session of a changed server opens again, so that it gets an instance of the new definition.
    for (const [name, session] of this.sessions) {
      const row = next.find((candidate) => candidate.definition.name === name);
      if (row?.fingerprint === session.fingerprint) continue;
      await this.closeSession(name);
      if (row && !row.state) {
        this.options.log(`${name}: its definition changed; opening its session again`);
        void this.openSession(row);
      }
    }
    this.emit('changed');
    this.autoStart();
  }

  private autoStart(): void {
    if (!this.trusted || !this.options.autoStartEnabled()) return;
    for (const row of this.rows) {
      const name = row.definition.name;
      if (row.state || !row.definition.supervision?.autoStart || this.autoStarted.has(name)) continue;
      this.autoStarted.add(name);
      this.options.log(`${name}: starting through the gateway (autoStart)`);
      void this.start(name).catch((error: unknown) => this.options.log(`${name}: ${messageOf(error)}`));
    }
  }

  /** Opens the editor's session of a server: the daemon (started on demand) gives it an instance. */
  private async openSession(row: Row): Promise<void> {
    const name = row.definition.name;
    if (this.sessions.has(name) || this.disposed) return;
    const client = new Client(this.options.clientInfo, { capabilities: {} });
    const session: EditorSession = { client, catalog: emptyCatalog(), fingerprint: row.fingerprint ?? '' };
    this.sessions.set(name, session);
    const relist = () => void this.listCatalog(session);
    client.setNotificationHandler(ToolListChangedNotificationSchema, relist);
    client.setNotificationHandler(ResourceListChangedNotificationSchema, relist);
    client.setNotificationHandler(PromptListChangedNotificationSchema, relist);
    let opened = false;
    client.onclose = () => {
      if (this.sessions.get(name) !== session) return;
      this.sessions.delete(name);
      // Not closed by us: the daemon went away. The session opens again once a new daemon is followed.
      if (opened) this.lost.add(name);
      this.emit('changed');
    };
    const { command, env } = this.options.daemon;
    const transport = new GatewaySessionTransport({
      server: name,
      workspace: this.workspace,
      paths: this.options.paths,
      daemonCommand: command,
      env,
    });
    try {
      await client.connect(transport);
      opened = true;
      this.refusals.delete(name);
    } catch (error) {
      if (this.sessions.get(name) === session) this.sessions.delete(name);
      this.refusals.set(name, messageOf(error).replace(/^MCP error -?\d+: /, ''));
      this.options.log(`${name}: the gateway refused the session: ${this.refusals.get(name)}`);
      await client.close().catch(() => undefined);
      this.daemon.follow();
      return;
    }
    this.daemon.follow();
    await this.listCatalog(session);
  }

  /** A new daemon is followed (a shim or the CLI started it): the editor's sessions lost with the old one reopen. */
  private reopenLost(): void {
    for (const name of [...this.lost]) {
      this.lost.delete(name);
      const row = this.rows.find((candidate) => candidate.definition.name === name);
      if (row && !row.state && this.trusted) void this.openSession(row);
    }
  }

  private async closeSession(name: string): Promise<void> {
    this.lost.delete(name);
    const session = this.sessions.get(name);
    if (!session) return;
    this.sessions.delete(name);
    await session.client.close().catch(() => undefined);
  }

  private async listCatalog(session: EditorSession): Promise<void> {
    const { client } = session;
    const capabilities = client.getServerCapabilities() ?? {};
    try {
      const [tools, resources, prompts] = await Promise.all([
        capabilities.tools ? client.listTools() : { tools: [] },
        capabilities.resources ? client.listResources() : { resources: [] },
        capabilities.prompts ? client.listPrompts() : { prompts: [] },
      ]);
      session.catalog = {
        tools: tools.tools.map(({ name: tool, description }) => ({ name: tool, description })),
        resources: resources.resources.map(({ uri, name: resource }) => ({ uri, name: resource })),
        prompts: prompts.prompts.map(({ name: prompt, description }) => ({ name: prompt, description })),
      };
    } catch {
      // The instance is restarting or stopped: its list_changed brings the next listing.
    }
    this.emit('changed');
  }

  private current(row: Row): FleetEntry {
    if (row.state) return { definition: row.definition, state: row.state, reason: row.reason };
    const name = row.definition.name;
    const session = this.sessions.get(name);
    return gatewayEntry(row.definition, this.workspace, this.daemon.status, this.daemon.ageMs(), {
      catalog: session?.catalog,
      serverInfo: session?.client.getServerVersion(),
      refusal: this.refusals.get(name),
    });
  }

  private require(name: string): Row {
    const found = this.rows.find((row) => row.definition.name === name);
    if (!found) throw new Error(`no MCP server named "${name}" in ${this.workspace}`);
    return found;
  }
}

function emptyCatalog(): ServerCatalog {
  return { tools: [], resources: [], prompts: [] };
}

function fingerprintOf(server: unknown): string {
  return createHash('sha256').update(JSON.stringify(server)).digest('hex');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
