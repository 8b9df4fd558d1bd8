/**
 * Claude Code's usage in the editor: the tracker (transcripts read incrementally), the status-bar item with
 * budget notifications, the MCP servers' history, and the dashboard command.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { readSettings } from '../settings';
import { gatewayPaths } from '@claude-env/mcp';
import { DashboardPanel } from './dashboardPanel';
import { followFleetChanges } from './fleetChanges';
import type { FollowChanges } from './liveRefresh';
import { ServerHistory } from './serverHistory';
import { UsageStatusBar } from './usageStatusBar';
import { UsageTracker } from './usageTracker';

export { DashboardPanel } from './dashboardPanel';
export { ServerHistory } from './serverHistory';
export { UsageStatusBar } from './usageStatusBar';
export { UsageTracker } from './usageTracker';

/** Sets up usage tracking for the window (the first read starts in the background) and the server history. */
export function registerUsage(ctx: Ctx): { tracker: UsageTracker; statusBar: UsageStatusBar; history: ServerHistory } {
  // The folder of the active file, else the window's first: an org layer open from outside the folder (a team
  // file) still shows this project's usage.
  const folder = () => {
    const uri = ctx.currentWorkspaceUri();
    const workspace =
      (uri ? vscode.workspace.getWorkspaceFolder(uri)?.uri : undefined) ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    return workspace?.scheme === 'file' ? workspace.fsPath : undefined;
  };
  const tracker = new UsageTracker(folder, ctx.output);
  const statusBar = new UsageStatusBar(tracker, ctx.extension.workspaceState, () => readSettings().usage.statusBar);
  ctx.usage = tracker;
  void tracker.refresh().catch((error: unknown) => ctx.output.error(`usage: ${String(error)}`));
  // Read when the dashboard opens, shows again or is refreshed, and after the fleet changes while it is visible:
  // nothing is read for a window that never opens it.
  const history = new ServerHistory(folder, () => readSettings().mcp.supervisor, ctx.output);
  ctx.serverHistory = history;
  return { tracker, statusBar, history };
}

/** `claudeEnv.showDashboard`. */
export function showDashboard(ctx: Ctx) {
  return async (): Promise<DashboardPanel> => {
    if (!ctx.usage || !ctx.serverHistory) throw new Error('usage tracking did not start');
    const log = (message: string) => ctx.output.info(`dashboard: ${message}`);
    // ctx.mcp is read when a change is followed: the view's fleet, set up before the dashboard.
    const followChanges: FollowChanges = (changed) =>
      followFleetChanges(
        { fleet: ctx.mcp?.fleet, trusted: () => vscode.workspace.isTrusted, paths: gatewayPaths(process.env), log },
        changed,
      );
    return DashboardPanel.show(ctx.extension.extensionUri, ctx.usage, ctx.serverHistory, followChanges);
  };
}
