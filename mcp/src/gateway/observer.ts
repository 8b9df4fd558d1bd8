/**
 * What the gateway reports as it works; metrics and history implement it. Never receives argument values or secrets.
 * `workspace` is the folder whose layers define the server; `instance` the backend's id (`name#n`).
 */
export interface GatewayObserver {
  callFinished(event: {
    server: string;
    workspace: string;
    method: 'tools/call' | 'resources/read' | 'prompts/get';
    target: string;
    outcome: 'ok' | 'error' | 'restart';
    seconds: number;
  }): void;
  stateChanged(event: { server: string; workspace: string; instance: string; state: string; reason?: string }): void;
  restarted(event: { server: string; workspace: string; instance: string; reason: string }): void;
  sessionsChanged(event: { server: string; sessions: number; instances: number }): void;
  /** The daemon dropped an instance (its session ended, or the daemon stops), in whatever state it was. */
  instanceEnded?(event: { server: string; workspace: string; instance: string }): void;
}
export const NO_OBSERVER: GatewayObserver = {
  callFinished() {},
  stateChanged() {},
  restarted() {},
  sessionsChanged() {},
};

/**
 * Forwards to an observer that can be set later: the daemon starts serving before it knows whether a workspace's
 * layers ask for metrics, and the fleet keeps this one relay for its whole life.
 */
export class RelayObserver implements GatewayObserver {
  target: GatewayObserver = NO_OBSERVER;

  callFinished(event: Parameters<GatewayObserver['callFinished']>[0]): void {
    this.target.callFinished(event);
  }

  stateChanged(event: Parameters<GatewayObserver['stateChanged']>[0]): void {
    this.target.stateChanged(event);
  }

  restarted(event: Parameters<GatewayObserver['restarted']>[0]): void {
    this.target.restarted(event);
  }

  sessionsChanged(event: Parameters<GatewayObserver['sessionsChanged']>[0]): void {
    this.target.sessionsChanged(event);
  }

  instanceEnded(event: Parameters<NonNullable<GatewayObserver['instanceEnded']>>[0]): void {
    this.target.instanceEnded?.(event);
  }
}

/** Every observer sees every event, in the order given. */
export function teeObservers(...observers: GatewayObserver[]): GatewayObserver {
  return {
    callFinished: (event) => observers.forEach((observer) => observer.callFinished(event)),
    stateChanged: (event) => observers.forEach((observer) => observer.stateChanged(event)),
    restarted: (event) => observers.forEach((observer) => observer.restarted(event)),
    sessionsChanged: (event) => observers.forEach((observer) => observer.sessionsChanged(event)),
    instanceEnded: (event) => observers.forEach((observer) => observer.instanceEnded?.(event)),
  };
}
