/** Switching `claudeEnv.mcp.supervisor` for a suite, waiting on the supervision API's change event. */
import * as vscode from 'vscode';
import type { McpSupervisionApi } from '../../../extension/src/mcp';
import type { SupervisorMode } from '../../../extension/src/mcp/fleet';
import { whenEvent } from './helpers';

/** Sets the supervisor in the workspace's settings (the default, gateway, by removing it) and waits for it. */
export async function useSupervisor(api: McpSupervisionApi, mode: SupervisorMode): Promise<void> {
  await vscode.workspace
    .getConfiguration('claudeEnv')
    .update('mcp.supervisor', mode === 'gateway' ? undefined : mode, vscode.ConfigurationTarget.Workspace);
  await whenEvent(
    api.onDidChange,
    () => (api.mode() === mode && api.rows().length > 0 ? true : undefined),
    `the MCP servers to be run by the ${mode} supervisor`,
    30_000,
  );
}
