import { createHash } from 'node:crypto';
import type { ResolvedServer } from '@claude-env/engine';
import { DEFAULT_TUNING, type SupervisorTuning } from '../types';
import { Backend } from './backend';
import type { GatewayObserver } from './observer';
import type { ClientSession } from './session';
import type { BackendStatus, FleetStatus } from './status';

/** The engine's verdict on one server of one workspace: resolved, or refused with a reason a person can act on. */
export type Resolution = { server: ResolvedServer } | { refusal: string };

/**
 * Loads a workspace's layers and resolves one server (secrets included, in memory). Supplied by the CLI, which
 * owns the engine work, so that this part stays free of layer loading.
 */
export type ServerResolver = (workspace: string, server: string) => Promise<Resolution>;

/**
 * Every backend of the daemon. A session of a `share: session` server gets a backend of its own; sessions of a
 * `share: workspace` server share one per workspace and configuration, so that changing the layers gives new
 * sessions a new instance while the old one serves its sessions to the end.
 */
export class Fleet {
  private readonly backends = new Map<string, Backend>();
  private readonly sharedByKey = new Map<string, Backend>();
  private readonly sessions = new Set<ClientSession>();
  /** Instances that left the fleet with their session and are still stopping: stopAll waits for them too. */
  private readonly leaving = new Set<Promise<void>>();
  private nextInstance = 1;
  /** Set by stopAll: a session that was still opening then must not start an instance nobody will stop. */
  private stoppedReason: string | undefined;
  private readonly tuning: SupervisorTuning;

  constructor(
    private readonly resolver: ServerResolver,
    private readonly observer: GatewayObserver,
    tuning: Partial<SupervisorTuning> = {},
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** The backend a new session of `server` in `workspace` talks to, or the reason it may not have one. */
  async open(workspace: string, server: string): Promise<Backend | string> {
    let resolution: Resolution;
    try {
      resolution = await this.resolver(workspace, server);
    } catch (error) {
      return `cannot load the claude-env layers of ${workspace}: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (this.stoppedReason) return `the gateway daemon is stopping: ${this.stoppedReason}`;
    if ('refusal' in resolution) return resolution.refusal;
    const resolved = resolution.server;
    if (resolved.supervision.share === 'workspace') {
      const key = `${workspace}\0${fingerprint(resolved)}`;
      let shared = this.sharedByKey.get(key);
      if (!shared) {
        shared = this.create(workspace, resolved);
        this.sharedByKey.set(key, shared);
      }
      shared.ensureStarted();
      return shared;
    }
    const own = this.create(workspace, resolved);
    own.ensureStarted();
    return own;
  }

  attach(session: ClientSession): void {
    this.sessions.add(session);
    session.backend?.sessions.add(session);
    if (session.backend) this.reportSessions(session.backend.name);
  }

  /** The session ended: its own backend stops; a shared one stays warm for the next session. */
  async detach(session: ClientSession): Promise<void> {
    session.close();
    this.sessions.delete(session);
    const backend = session.backend;
    if (!backend) return;
    backend.sessions.delete(session);
    if (backend.share === 'session') {
      this.backends.delete(backend.id);
      this.reportSessions(backend.name);
      const stopped = backend.stop('the client session ended');
      this.leaving.add(stopped);
      try {
        await stopped;
      } finally {
        this.leaving.delete(stopped);
      }
    } else {
      this.reportSessions(backend.name);
    }
  }

  async stopAll(reason: string): Promise<void> {
    this.stoppedReason = reason;
    for (const session of this.sessions) session.close();
    const all = [...this.backends.values()];
    this.backends.clear();
    this.sharedByKey.clear();
    await Promise.all([...all.map((backend) => backend.stop(reason)), ...this.leaving]);
  }

  /** The instances the daemon holds, for the control messages (start, stop, restart) and change events. */
  instances(): Backend[] {
    return [...this.backends.values()];
  }

  status(): Pick<FleetStatus, 'backends' | 'sessions'> {
    const backends: BackendStatus[] = [...this.backends.values()].map((backend) => {
      const status = backend.supervisor.status();
      return {
        id: backend.id,
        server: backend.name,
        workspace: backend.workspace,
        share: backend.share,
        state: status.state,
        reason: status.reason,
        pid: status.pid,
        restarts: status.metrics.restarts,
        uptimeMs: status.metrics.uptimeMs,
        tools: status.catalog.tools.length,
        sessions: [...backend.sessions].map((session) => session.id),
        recentCalls: [...backend.recentCalls],
      };
    });
    const sessions = [...this.sessions].map((session) => ({
      id: session.id,
      server: session.backend?.name,
      backend: session.backend?.id,
      client: session.clientInfo ? `${session.clientInfo.name} ${session.clientInfo.version}`.trim() : undefined,
      openedAt: new Date(session.openedAt).toISOString(),
      inFlight: session.inFlightCount,
    }));
    return { backends, sessions };
  }

  /** Tells a newly attached observer what runs now: each instance's state, each server's sessions. */
  replay(observer: GatewayObserver): void {
    for (const backend of this.backends.values()) {
      const { state, reason } = backend.supervisor;
      observer.stateChanged({ ...backend.identity, state, reason });
    }
    for (const name of new Set([...this.backends.values()].map((backend) => backend.name))) this.reportSessions(name);
  }

  private create(workspace: string, server: ResolvedServer): Backend {
    const backend = new Backend(`${server.name}#${this.nextInstance++}`, workspace, server, this.tuning, this.observer);
    this.backends.set(backend.id, backend);
    return backend;
  }

  private reportSessions(server: string): void {
    const instances = [...this.backends.values()].filter((backend) => backend.name === server);
    const sessions = instances.reduce((sum, backend) => sum + backend.sessions.size, 0);
    this.observer.sessionsChanged({ server, sessions, instances: instances.length });
  }
}

/** Identifies a configuration without holding it: secrets go into the hash, never into a key anyone reads. */
function fingerprint(server: ResolvedServer): string {
  const { name, type, command, args, env, cwd, url, headers, supervision } = server;
  return createHash('sha256')
    .update(JSON.stringify({ name, type, command, args, env, cwd, url, headers, supervision }))
    .digest('hex');
}
