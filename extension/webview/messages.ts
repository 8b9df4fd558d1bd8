/**
 * The messages between the extension and the dashboard webview, both ways. Plain data only: the webview gets
 * figures (the engine's usage summary), never paths it could open or commands it could run.
 */
import type { RateLimits, UsageSummary } from '@claude-env/engine';

export type { ScopeSummary, BudgetStatus } from '@claude-env/engine';

/** extension → webview: everything the dashboard shows. */
export interface DashboardData extends UsageSummary {
  type: 'data';
  /** The plan's real 5-hour and 7-day use, where Claude Code's statusline reported them (`claude-env usage statusline`). */
  rateLimits: RateLimits | undefined;
}

/** webview → extension: read the transcripts again now (`refresh`), or the page is ready for data (`ready`). */
export type WebviewRequest = { type: 'refresh' } | { type: 'ready' };
