import { budgetStatus, type BudgetStatus } from './budget';
import { projectSlug } from './locations';
import type { PriceTable } from './prices';
import { dayOf, totalOf, usageRows, type CostedTotals } from './report';
import type { TranscriptIndex } from './transcriptIndex';

/** Tokens and known cost. */
export interface SummaryFigures {
  tokens: number;
  costUSD: number;
  /** Tokens of models without a known price: their cost is unknown, not zero. */
  unknownPriceTokens: number;
}

export interface DaySummary {
  day: string;
  models: Record<string, SummaryFigures>;
}

export interface SessionSummary extends SummaryFigures {
  session: string;
  /** The projects' working folders. */
  project: string;
  models: string[];
  /** Milliseconds since the epoch. */
  lastActivity: number;
}

/** What one scope (one project, or all) shows. */
export interface ScopeSummary {
  days: DaySummary[];
  month: SummaryFigures & { month: string };
  /** Today's sessions, the latest first. */
  sessionsToday: SessionSummary[];
}

/** Everything a dashboard shows about Claude Code's usage for one folder and for all projects. */
export interface UsageSummary {
  generatedAt: string;
  projectName: string;
  /** Undefined when the transcripts hold nothing for the folder. */
  project: ScopeSummary | undefined;
  all: ScopeSummary;
  budget: BudgetStatus | undefined;
  unknownPriceModels: string[];
  pricesChecked: string;
  malformedLines: number;
  transcriptFolders: number;
}

export interface SummaryOptions {
  prices: PriceTable;
  /** The project's folder (its transcripts are found by their folder name or their `cwd`). */
  folder?: string;
  monthlyBudget?: number;
  now: Date;
  /** Days in the chart, today included (30). */
  chartDays?: number;
}

function figures(totals: CostedTotals): SummaryFigures {
  return { tokens: totals.totalTokens, costUSD: totals.costUSD, unknownPriceTokens: totals.unknownPriceTokens };
}

/** Days, month and today's sessions in the local time zone, for the folder's project and for all projects. */
export function usageSummary(index: TranscriptIndex, options: SummaryOptions): UsageSummary {
  const { prices, folder, now } = options;
  const slug = folder ? projectSlug(folder) : undefined;
  const inProject = (projectFolder: string) =>
    projectFolder === slug || (folder !== undefined && index.projectPaths.get(projectFolder) === folder);
  const today = dayOf(now.getTime(), false);
  const chartDays = options.chartDays ?? 30;
  const since = dayOf(new Date(now.getFullYear(), now.getMonth(), now.getDate() - (chartDays - 1)).getTime(), false);
  const scope = (project: ((projectFolder: string) => boolean) | undefined): ScopeSummary => {
    const days = usageRows(index.buckets, { groupBy: 'day', prices, since, project });
    const month = totalOf(
      usageRows(index.buckets, { groupBy: 'month', prices, since: `${today.slice(0, 7)}-01`, project }),
    );
    const sessions = usageRows(index.buckets, { groupBy: 'session', prices, since: today, project });
    return {
      days: days.map((row) => ({
        day: row.key,
        models: Object.fromEntries(Object.entries(row.models).map(([model, totals]) => [model, figures(totals)])),
      })),
      month: { ...figures(month), month: today.slice(0, 7) },
      sessionsToday: sessions.reverse().map((row) => ({
        ...figures(row),
        session: row.key,
        project: row.projects.map((p) => index.projectPaths.get(p) ?? p).join(', '),
        models: Object.keys(row.models).sort(),
        lastActivity: row.lastActivity,
      })),
    };
  };
  const hasProject = slug !== undefined && [...index.buckets.values()].some((bucket) => inProject(bucket.project));
  const all = scope(undefined);
  const unknown = new Set<string>();
  for (const day of all.days)
    for (const [model, totals] of Object.entries(day.models)) if (totals.unknownPriceTokens > 0) unknown.add(model);
  return {
    generatedAt: now.toISOString(),
    projectName: folder ? (folder.split(/[\\/]/).pop() ?? folder) : 'no folder',
    project: hasProject ? scope(inProject) : undefined,
    all,
    budget:
      options.monthlyBudget !== undefined && hasProject
        ? budgetStatus(index.buckets, { budgetUSD: options.monthlyBudget, prices, now, project: inProject })
        : options.monthlyBudget !== undefined
          ? budgetStatus(new Map(), { budgetUSD: options.monthlyBudget, prices, now })
          : undefined,
    unknownPriceModels: [...unknown].sort(),
    pricesChecked: prices.checked,
    malformedLines: index.malformedCount,
    transcriptFolders: index.roots.length,
  };
}
