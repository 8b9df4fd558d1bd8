import type { Socket } from 'node:net';
import { canRestart, canStart, canStop } from '../types';
import type { Backend } from './backend';
import type { Fleet } from './fleet';
import type { GatewayObserver } from './observer';
import type { FleetStatus } from './status';
import { frame, type ControlAction, type ControlAnswer } from './wire';

/** Changes within this time become one pushed status: a restart is a handful of events within milliseconds. */
const COALESCE_MS = 50;
const ACTIONS: readonly ControlAction[] = ['start', 'stop', 'restart'];

/**
 * The daemon's event stream for the editor: every subscriber gets the whole `FleetStatus` when it subscribes
 * and again after each change of the fleet (a state, a session, a call, a listing), coalesced. The status holds
 * no secret and no argument value, so neither does a pushed line.
 */
export class FleetFeed {
  private readonly subscribers = new Set<Socket>();
  private readonly watched = new WeakSet<object>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly instances: () => Backend[],
    private readonly status: () => FleetStatus,
  ) {}

  subscribe(socket: Socket): void {
    this.subscribers.add(socket);
    socket.on('close', () => this.subscribers.delete(socket));
    this.send(socket);
  }

  /** Something changed: push the fleet to every subscriber soon. */
  changed(): void {
    // Listings (tools after a restart, a server's own list_changed) do not pass the observer: watch them here.
    for (const backend of this.instances()) {
      if (this.watched.has(backend.supervisor)) continue;
      this.watched.add(backend.supervisor);
      backend.supervisor.on('lists', () => this.changed());
    }
    if (this.timer || this.subscribers.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const line = frame(this.status());
      for (const socket of this.subscribers) this.send(socket, line);
    }, COALESCE_MS);
  }

  /** The observer the fleet reports to: `inner` (metrics, history) first, then this feed. */
  observing(inner: GatewayObserver): GatewayObserver {
    const after =
      <K extends Exclude<keyof GatewayObserver, 'instanceEnded'>>(name: K) =>
      (event: Parameters<GatewayObserver[K]>[0]) => {
        (inner[name] as (value: typeof event) => void)(event);
        this.changed();
      };
    return {
      callFinished: after('callFinished'),
      stateChanged: after('stateChanged'),
      restarted: after('restarted'),
      sessionsChanged: after('sessionsChanged'),
      instanceEnded: (event) => inner.instanceEnded?.(event),
    };
  }

  close(): void {
    clearTimeout(this.timer);
    for (const socket of this.subscribers) socket.destroy();
    this.subscribers.clear();
  }

  private send(socket: Socket, line?: string): void {
    if (socket.destroyed) return;
    // A subscriber that does not read gets the newest status once it drains, not every one in between.
    if (socket.writableNeedDrain) {
      if (socket.listenerCount('drain') === 0) socket.once('drain', () => this.send(socket));
      return;
    }
    socket.write(line ?? frame(this.status()));
  }
}

/** A `control` hello as it arrives: checked here, since it comes from outside. */
export interface ControlRequest {
  action?: unknown;
  workspace?: unknown;
  server?: unknown;
}

/**
 * Starts, stops or restarts every instance of `server` in `workspace` that the daemon holds, and resolves once
 * each has an outcome. Sessions stay attached: a stopped instance answers their requests with its state until it
 * is started again; a restarted one tells them to list again. An instance is only ever created by a session.
 */
export async function controlFleet(fleet: Fleet, request: ControlRequest): Promise<ControlAnswer> {
  const { action, workspace, server } = request;
  if (!ACTIONS.includes(action as ControlAction) || typeof workspace !== 'string' || typeof server !== 'string')
    return { ok: false, error: `a control hello names an action (${ACTIONS.join(', ')}), a workspace and a server` };
  const instances = fleet.instances().filter((backend) => backend.workspace === workspace && backend.name === server);
  await Promise.all(
    instances.map(async (backend) => {
      const { supervisor } = backend;
      const state = supervisor.state;
      if (action === 'stop') {
        if (canStop(state)) await supervisor.stop('stopped by a control request');
      } else if (action === 'restart' && canRestart(state)) await backend.restart();
      else if (canStart(state)) await supervisor.start();
    }),
  );
  return { ok: true, instances: instances.map((backend) => backend.id) };
}
