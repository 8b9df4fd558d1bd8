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
