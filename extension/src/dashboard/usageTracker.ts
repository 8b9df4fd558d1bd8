/**
 * Keeps Claude Code's usage for the window: one incremental transcript index (sharing the CLI's read state, so a
 * window opens on what `claude-env usage` already read), refreshed on a timer and on demand, summarised for the
 * dashboard, the status bar and the budget notifications.
 */
import * as vscode from 'vscode';
import {
  budgetStatus,
  loadTranscriptIndex,
  loadWorkspace,
  priceTableFor,
  projectSlug,
  readStatePath,
  saveTranscriptIndex,
  totalOf,
  transcriptRoots,
  usageRows,
  type PriceTable,
  type TranscriptIndex,
  type UsageRow,
} from '@claude-env/engine';
import type { DashboardData, DayFigures, Figures, ScopeFigures } from '../../webview/messages';

const REFRESH_MS = 60_000;
const CHART_DAYS = 30;

function figures(totals: { totalTokens: number; costUSD: number; unknownPriceTokens: number }): Figures {
  return { tokens: totals.totalTokens, costUSD: totals.costUSD, unknownPriceTokens: totals.unknownPriceTokens };
}

function localDay(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

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
    const data = this.summarise(this.index, new Date());
    this.latest = data;
    this.updated.fire(data);
    return data;
  }

  private summarise(index: TranscriptIndex, now: Date): DashboardData {
    const folder = this.folder();
    let prices: PriceTable = priceTableFor(undefined);
    let monthly: number | undefined;
    if (folder) {
      try {
        const environment = loadWorkspace({ workspace: folder, env: process.env, unreadableProject: 'report' });
        prices = priceTableFor(environment);
        monthly = environment.value.budgets?.monthly;
      } catch (error) {
        this.output.info(`usage: no layers for ${folder} (${String(error)}); bundled prices, no budget`);
      }
    }
    const slug = folder ? projectSlug(folder) : undefined;
    const inProject = (projectFolder: string) =>
      projectFolder === slug || (folder !== undefined && index.projectPaths.get(projectFolder) === folder);
    const hasProject = slug !== undefined && [...index.buckets.values()].some((b) => inProject(b.project));
    const scope = (filter: ((projectFolder: string) => boolean) | undefined): ScopeFigures =>
      this.scopeFigures(index, prices, now, filter);
    const budget =
      monthly !== undefined
        ? budgetStatus(index.buckets, { budgetUSD: monthly, prices, now, project: inProject })
        : undefined;
    const all = scope(undefined);
    const unknown = new Set<string>();
    for (const day of all.days)
      for (const [model, totals] of Object.entries(day.models)) if (totals.unknownPriceTokens > 0) unknown.add(model);
    return {
      type: 'data',
      generatedAt: now.toISOString(),
      projectName: folder ? (folder.split(/[\\/]/).pop() ?? folder) : 'no folder',
      project: hasProject ? scope(inProject) : undefined,
      all,
      budget,
      unknownPriceModels: [...unknown].sort(),
      pricesChecked: prices.checked,
      malformedLines: index.malformedCount,
      transcriptFolders: index.roots.length,
    };
  }

  private scopeFigures(
    index: TranscriptIndex,
    prices: PriceTable,
    now: Date,
    project: ((projectFolder: string) => boolean) | undefined,
  ): ScopeFigures {
    const since = localDay(new Date(now.getFullYear(), now.getMonth(), now.getDate() - (CHART_DAYS - 1)));
    const today = localDay(now);
    const days: DayFigures[] = usageRows(index.buckets, { groupBy: 'day', prices, since, project }).map((row) => ({
      day: row.key,
      models: Object.fromEntries(Object.entries(row.models).map(([model, totals]) => [model, figures(totals)])),
    }));
    const monthStart = `${today.slice(0, 7)}-01`;
    const month = totalOf(usageRows(index.buckets, { groupBy: 'month', prices, since: monthStart, project }));
    const sessions: UsageRow[] = usageRows(index.buckets, { groupBy: 'session', prices, since: today, project });
    return {
      days,
      month: { ...figures(month), month: today.slice(0, 7) },
      sessionsToday: sessions.reverse().map((row) => ({
        ...figures(row),
        session: row.key,
        project: row.projects.map((p) => index.projectPaths.get(p) ?? p).join(', '),
        models: Object.keys(row.models).sort(),
        lastActivity: new Date(row.lastActivity).toTimeString().slice(0, 5),
      })),
    };
  }

  dispose(): void {
    clearInterval(this.timer);
    this.updated.dispose();
  }
}
