/**
 * One server's row under the gateway: the daemon's instances of it for this workspace, the sessions on them,
 * and one state for the row. Imports no `vscode`.
 */
import type { ServerDefinition } from '@claude-env/engine';
import type { BackendStatus, FleetStatus, ServerCatalog, ServerState } from '@claude-env/mcp';
import type { FleetEntry } from './fleet';

/** Which instance's state the row shows when there are several: the most alive first. */
const STATE_ORDER: readonly ServerState[] = [
  'running',
  'degraded',
  'starting',
  'restarting',
  'crashed',
  'failed',
  'stopped',
  'blocked',
];

export const NO_DAEMON_REASON = 'not running (the claude-env gateway daemon is not running)';
export const NO_INSTANCE_REASON = 'not running (no client has a session of it)';

export function gatewayEntry(
  definition: ServerDefinition,
  workspace: string,
  status: FleetStatus | undefined,
  /** How old `status` is: the uptimes it carries have grown by that much. */
  ageMs: number,
  editor: { catalog?: ServerCatalog; serverInfo?: { name: string; version: string }; refusal?: string },
): FleetEntry {
  const name = definition.name;
  const instances = (status?.backends ?? [])
    .filter((backend) => backend.workspace === workspace && backend.server === name)
    .map((backend) => (backend.uptimeMs === undefined ? backend : { ...backend, uptimeMs: backend.uptimeMs + ageMs }));
  const attached = new Set(instances.flatMap((backend) => backend.sessions));
  const sessions = (status?.sessions ?? []).filter((session) => attached.has(session.id));
  const gateway = { instances, sessions };
  const primary = primaryOf(instances);
  if (!primary) {
    const state = editor.refusal ? 'failed' : 'stopped';
    const reason = editor.refusal ?? (status ? NO_INSTANCE_REASON : NO_DAEMON_REASON);
    return { definition, state, reason, gateway };
  }
  const state = primary.state as ServerState;
  return {
    definition,
    state,
    reason: primary.reason,
    gateway,
    status: {
      name,
      type: definition.type,
      state,
      reason: primary.reason,
      pid: primary.pid,
      serverInfo: editor.serverInfo,
      metrics: {
        uptimeMs: primary.uptimeMs,
        restarts: instances.reduce((sum, instance) => sum + instance.restarts, 0),
        failedPings: 0,
      },
      catalog: editor.catalog ?? { tools: [], resources: [], prompts: [] },
    },
  };
}

function primaryOf(instances: BackendStatus[]): BackendStatus | undefined {
  const rank = (instance: BackendStatus) => {
    const index = STATE_ORDER.indexOf(instance.state as ServerState);
    return index === -1 ? STATE_ORDER.length : index;
  };
  return [...instances].sort((a, b) => rank(a) - rank(b))[0];
}
