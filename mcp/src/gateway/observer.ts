/** What the gateway reports as it works; metrics and history implement it. Never receives argument values or secrets. */
export interface GatewayObserver {
  callFinished(event: {
    server: string;
    method: 'tools/call' | 'resources/read' | 'prompts/get';
    target: string;
    outcome: 'ok' | 'error' | 'restart';
    seconds: number;
  }): void;
  stateChanged(event: { server: string; state: string; reason?: string }): void;
  restarted(event: { server: string; reason: string }): void;
  sessionsChanged(event: { server: string; sessions: number; instances: number }): void;
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
}
