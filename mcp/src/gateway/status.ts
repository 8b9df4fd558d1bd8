import type { CallRecord } from './backend';

/** One backend instance as `mcp status` shows it. No secret, no argument value. */
export interface BackendStatus {
  /** `name#n`: the server and the instance number within this daemon. */
  id: string;
  server: string;
  workspace: string;
  share: 'session' | 'workspace';
  state: string;
  reason: string;
  pid?: number;
  restarts: number;
  uptimeMs?: number;
  tools: number;
  /** Ids of the sessions attached to this instance. */
  sessions: number[];
  /** The last calls (tools/call, resources/read, prompts/get), oldest first: name, duration and outcome. */
  recentCalls: CallRecord[];
}

export interface SessionStatus {
  id: number;
  server?: string;
  backend?: string;
  /** The client's name and version from its `initialize`. */
  client?: string;
  openedAt: string;
  inFlight: number;
}

/** The daemon's answer to a `status` hello. */
export interface FleetStatus {
  pid: number;
  startedAt: string;
  socket: string;
  idleTimeoutMs: number;
  backends: BackendStatus[];
  sessions: SessionStatus[];
}
