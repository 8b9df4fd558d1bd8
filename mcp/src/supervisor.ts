import { EventEmitter } from 'node:events';
import type { ResolvedServer } from '@claude-env/engine';
import { ServerSupervisor } from './serverSupervisor';
import { DEFAULT_TUNING, type ServerStatus, type SupervisorEvents, type SupervisorTuning } from './types';

/** Reason shown for every server while the workspace is not trusted. */
export const UNTRUSTED_REASON = 'workspace is not trusted: MCP servers can run code, trust the workspace to start them';

/** How a server joins the fleet. */
export interface AddServerOptions {
  /** Policy verdict from the engine (`ServerDefinition.blockedReason`): the server is shown but never started. */
  blockedReason?: string;
}

/**
 * The fleet: every effective server of a workspace, keyed by name. Re-emits the events of each server so that a
 * view or the CLI subscribes once.
 */
export class Supervisor extends EventEmitter<SupervisorEvents> {
  private readonly servers = new Map<string, ServerSupervisor>();
  private readonly policyBlocks = new Map<string, string | undefined>();
  private trusted = true;
  readonly tuning: SupervisorTuning;

  constructor(tuning: Partial<SupervisorTuning> = {}) {
    super();
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
  }

  /** Adds a server (stopped, or blocked). A server of the same name is stopped and replaced. */
  async add(server: ResolvedServer, options: AddServerOptions = {}): Promise<ServerSupervisor> {
    await this.remove(server.name);
    this.policyBlocks.set(server.name, options.blockedReason);
    const supervised = new ServerSupervisor(server, this.tuning, this.blockReasonFor(server.name));
    supervised.on('state', (event) => this.emit('state', event));
    supervised.on('log', (name, line) => this.emit('log', name, line));
    supervised.on('lists', (event) => this.emit('lists', event));
    this.servers.set(server.name, supervised);
    return supervised;
  }

  async remove(name: string): Promise<void> {
    const existing = this.servers.get(name);
    if (!existing) return;
    await existing.stop('removed from the environment');
    existing.removeAllListeners();
    this.servers.delete(name);
    this.policyBlocks.delete(name);
  }

  get(name: string): ServerSupervisor | undefined {
    return this.servers.get(name);
  }

  names(): string[] {
    return [...this.servers.keys()];
  }

  statuses(): ServerStatus[] {
    return [...this.servers.values()].map((server) => server.status());
  }

  /** Starts the named server; resolves when this attempt has an outcome. */
  start(name: string): Promise<ServerStatus> {
    return this.require(name).start();
  }

  stop(name: string): Promise<void> {
    return this.require(name).stop();
  }

  restart(name: string): Promise<ServerStatus> {
    return this.require(name).restart();
  }

  /** Starts every server (or only those with `autoStart`), in parallel. */
  async startAll(options: { autoStartOnly?: boolean } = {}): Promise<ServerStatus[]> {
    const chosen = [...this.servers.values()].filter(
      (server) => !options.autoStartOnly || server.server.supervision.autoStart,
    );
    return Promise.all(chosen.map((server) => server.start()));
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.servers.values()].map((server) => server.stop()));
  }

  /** Workspace Trust: an untrusted workspace blocks every server (and stops those running). */
  async setWorkspaceTrusted(trusted: boolean): Promise<void> {
    this.trusted = trusted;
    await Promise.all(
      [...this.servers.entries()].map(([name, server]) => server.setBlocked(this.blockReasonFor(name))),
    );
  }

  /** Stops everything and forgets the servers. */
  async dispose(): Promise<void> {
    await this.stopAll();
    for (const server of this.servers.values()) server.removeAllListeners();
    this.servers.clear();
    this.removeAllListeners();
  }

  private blockReasonFor(name: string): string | undefined {
    return this.policyBlocks.get(name) ?? (this.trusted ? undefined : UNTRUSTED_REASON);
  }

  private require(name: string): ServerSupervisor {
    const server = this.servers.get(name);
    if (!server) throw new Error(`no MCP server named "${name}" (known: ${this.names().join(', ') || 'none'})`);
    return server;
  }
}
