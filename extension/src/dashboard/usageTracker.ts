/**
 * Keeps Claude Code's usage for the window: one incremental transcript index (sharing the CLI's read state, so a
 * window opens on what `claude-env usage` already read), refreshed on a timer and on demand, summarised for the
 * dashboard, the status bar and the budget notifications.
 */
import * as vscode from 'vscode';
import {
  loadRateLimits,
  loadTranscriptIndex,
  loadWorkspace,
  priceTableFor,
  rateLimitsPath,
  readStatePath,
  saveTranscriptIndex,
  transcriptRoots,
  usageSummary,
  type PriceTable,
  type TranscriptIndex,
} from '@claude-env/engine';
import type { DashboardData } from '../../webview/messages';

const REFRESH_MS = 60_000;

export class UsageTracker implements vscode.Disposable {
  private index: TranscriptIndex | undefined;
  private running: Promise<DashboardData> | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly updated = new vscode.EventEmitter<DashboardData>();
  readonly onDidUpdate = this.updated.event;
  latest: DashboardData | undefined;

  constructor(
    private readonly folder: () => string | undefined,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
  }

  /** Reads what was appended since the last refresh and publishes the new figures (one refresh at a time). */
  refresh(): Promise<DashboardData> {
    this.running ??= this.read().finally(() => (this.running = undefined));
    return this.running;
  }

  private async read(): Promise<DashboardData> {
    const roots = transcriptRoots(process.env);
    const statePath = readStatePath(roots, process.env);
    if (!this.index || this.index.roots.join('\n') !== roots.join('\n'))
      this.index = loadTranscriptIndex(roots, statePath);
    const stats = await this.index.refresh();
    if (stats.filesRead > 0 || stats.rebuilt)
      await saveTranscriptIndex(this.index, statePath).catch((error: unknown) =>
        this.output.warn(`usage: the read state could not be saved: ${String(error)}`),
      );
    const now = new Date();
    const data = { ...this.summarise(this.index, now), rateLimits: loadRateLimits(rateLimitsPath(statePath), now) };
    this.latest = data;
    this.updated.fire(data);
    return data;
  }

  private summarise(index: TranscriptIndex, now: Date): Omit<DashboardData, 'rateLimits'> {
    const folder = this.folder();
    let prices: PriceTable = priceTableFor(undefined);
    let monthlyBudget: number | undefined;
    if (folder) {
      try {
        const environment = loadWorkspace({ workspace: folder, env: process.env, unreadableProject: 'report' });
        prices = priceTableFor(environment);
        monthlyBudget = environment.value.budgets?.monthly;
      } catch (error) {
        this.output.info(`usage: no layers for ${folder} (${String(error)}); bundled prices, no budget`);
      }
    }
    return { type: 'data', ...usageSummary(index, { prices, folder, monthlyBudget, now }) };
  }

  dispose(): void {
    clearInterval(this.timer);
    this.updated.dispose();
  }
}
