import type { Bucket } from './buckets';
import type { PriceTable } from './prices';
import { dayOf, totalOf, usageRows } from './report';

/** The month so far against a budget, and where a straight line through it ends. */
export interface BudgetStatus {
  /** `YYYY-MM`. */
  month: string;
  budgetUSD: number;
  spentUSD: number;
  /** Tokens this month of models without a known price: the spend is at least spentUSD. */
  unknownPriceTokens: number;
  /** spentUSD / budgetUSD. */
  fraction: number;
  /** spentUSD extended in a straight line from the month's start to its end. */
  forecastUSD: number;
  /** The last day of the month, `YYYY-MM-DD`. */
  monthEnd: string;
}

export interface BudgetOptions {
  budgetUSD: number;
  prices: PriceTable;
  now: Date;
  utc?: boolean;
  project?: (projectFolder: string) => boolean;
}

function monthBounds(now: Date, utc: boolean): [number, number] {
  const year = utc ? now.getUTCFullYear() : now.getFullYear();
  const month = utc ? now.getUTCMonth() : now.getMonth();
  return utc
    ? [Date.UTC(year, month, 1), Date.UTC(year, month + 1, 1)]
    : [new Date(year, month, 1).getTime(), new Date(year, month + 1, 1).getTime()];
}

export function budgetStatus(buckets: ReadonlyMap<string, Bucket>, options: BudgetOptions): BudgetStatus {
  const utc = options.utc ?? false;
  const [start, end] = monthBounds(options.now, utc);
  const since = dayOf(start, utc);
  const rows = usageRows(buckets, {
    groupBy: 'month',
    prices: options.prices,
    utc,
    since,
    until: dayOf(end - 1, utc),
    project: options.project,
  });
  const total = totalOf(rows);
  const elapsed = Math.min(1, Math.max(0, (options.now.getTime() - start) / (end - start)));
  return {
    month: since.slice(0, 7),
    budgetUSD: options.budgetUSD,
    spentUSD: total.costUSD,
    unknownPriceTokens: total.unknownPriceTokens,
    fraction: options.budgetUSD > 0 ? total.costUSD / options.budgetUSD : Infinity,
    forecastUSD: elapsed > 0 ? total.costUSD / elapsed : total.costUSD,
    monthEnd: dayOf(end - 1, utc),
  };
}
