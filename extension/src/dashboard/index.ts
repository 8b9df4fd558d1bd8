/**
 * Claude Code's usage in the editor: the tracker (transcripts read incrementally), the status-bar item with
 * budget notifications, and the dashboard command.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { readSettings } from '../settings';
import { DashboardPanel } from './dashboardPanel';
import { UsageStatusBar } from './usageStatusBar';
import { UsageTracker } from './usageTracker';

export { DashboardPanel } from './dashboardPanel';
export { UsageStatusBar } from './usageStatusBar';
export { UsageTracker } from './usageTracker';

/** Sets up usage tracking for the window; the first read starts in the background. */
export function registerUsage(ctx: Ctx): { tracker: UsageTracker; statusBar: UsageStatusBar } {
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
  return { tracker, statusBar };
}

/** `claudeEnv.showDashboard`. */
export function showDashboard(ctx: Ctx) {
  return async (): Promise<DashboardPanel> => {
    if (!ctx.usage) throw new Error('usage tracking did not start');
    return DashboardPanel.show(ctx.extension.extensionUri, ctx.usage);
  };
}
