/**
 * The messages between the extension and the dashboard webview, both ways. Plain data only: the webview gets
 * figures (the engine's usage summary, the gateway's server history), never paths it could open or commands it
 * could run.
 */
import type { RateLimits, UsageSummary } from '@claude-env/engine';
import type { HealthWindow, ServerHealth } from '@claude-env/mcp';

export type { ScopeSummary, BudgetStatus } from '@claude-env/engine';
export type { HealthBucket, HealthWindow } from '@claude-env/mcp';

/** extension → webview: everything the dashboard shows. */
export interface DashboardData extends UsageSummary {
  type: 'data';
  /** The plan's real 5-hour and 7-day use, where Claude Code's statusline reported them (`claude-env usage statusline`). */
  rateLimits: RateLimits | undefined;
}

/** One MCP server of one workspace over a window, as the page shows it: its workspace by name, not by path. */
export interface ServerHistoryRow extends Omit<ServerHealth, 'workspace'> {
  /** The workspace folder's last path segment. */
  workspaceName: string;
  /** The server belongs to this window's project (the folder the usage figures are for). */
  thisProject: boolean;
}

/** The servers' history over the last day or week (mcp/src/health/report.ts, without the store's folder). */
export interface ServerHistoryWindow {
  window: HealthWindow;
  from: string;
  to: string;
  bucketMinutes: number;
  servers: ServerHistoryRow[];
}

/** extension → webview: the gateway daemon's history of the MCP servers, both windows. */
export interface ServersData {
  type: 'servers';
  day: ServerHistoryWindow;
  week: ServerHistoryWindow;
  /** The name of this window's project folder; undefined without one (then only "all projects" applies). */
  projectName: string | undefined;
  /** Lines of the store that were not whole records, skipped. */
  damagedRecords: number;
  /** Files of the store refused or unreadable, with why (named by file name, not path). */
  problems: string[];
  /** Why there may be no history: who runs this window's servers (`claudeEnv.mcp.supervisor`)… */
  supervisor: 'gateway' | 'inProcess';
  /** …and whether `CLAUDE_ENV_GATEWAY_HEALTH=off` is set in the editor's environment (a daemon it starts records nothing). */
  recordingOff: boolean;
}

/** Every message the extension posts to the dashboard. */
export type DashboardMessage = DashboardData | ServersData;

/** webview → extension: read the transcripts and the server history again now (`refresh`), or the page is ready. */
export type WebviewRequest = { type: 'refresh' } | { type: 'ready' };
