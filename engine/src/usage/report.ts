import { hasOwn, setOwn } from '../ownKeys';
import { Field, SLICE_MS, type Bucket, type TokenCounts } from './buckets';
import { priceFor, type ModelPrice, type PriceTable } from './prices';

/** Token counts and what they cost. */
export interface CostedTotals extends TokenCounts {
  totalTokens: number;
  /** Dollars known: Claude Code's own figures plus what the price table gives for the rest. */
  costUSD: number;
  /** The part of costUSD taken from `costUSD` on the transcript lines. */
  reportedUSD: number;
  /** The part of costUSD computed from the price table. */
  computedUSD: number;
  /** Tokens of models the price table does not know: their cost is unknown, not zero. */
  unknownPriceTokens: number;
}

/** One row of a daily, monthly or session table. */
export interface UsageRow extends CostedTotals {
  /** `YYYY-MM-DD`, `YYYY-MM`, or the session id. */
  key: string;
  models: Record<string, CostedTotals>;
  /** Project folders that contributed. */
  projects: string[];
  /** Milliseconds since the epoch of the latest slice in the row. */
  lastActivity: number;
}

export type Grouping = 'day' | 'month' | 'session';

const HOUR = 3_600_000;

export interface ReportOptions {
  groupBy: Grouping;
  prices: PriceTable;
  /** Days and months in UTC; otherwise in the process's local time zone (`TZ`). */
  utc?: boolean;
  /** First and last day (`YYYY-MM-DD`, inclusive) in the chosen time zone. */
  since?: string;
  until?: string;
  /** Keeps the buckets of the project folders it accepts. */
  project?: (projectFolder: string) => boolean;
}

export function emptyTotals(): CostedTotals {
  return {
    input: 0,
    output: 0,
    cacheCreation: 0,
    cacheRead: 0,
    totalTokens: 0,
    costUSD: 0,
    reportedUSD: 0,
    computedUSD: 0,
    unknownPriceTokens: 0,
  };
}

function pad(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** `YYYY-MM-DD` of a moment, in UTC or in local time. */
export function dayOf(ms: number, utc: boolean): string {
  const date = new Date(ms);
  return utc
    ? `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`
    : `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function tableCost(bucket: Float64Array, price: ModelPrice, reported: boolean): number {
  const at = (field: number, reportedField: number) => bucket[field] - (reported ? bucket[reportedField] : 0);
  const oneHour = at(Field.cacheCreation1h, Field.reportedCacheCreation1h);
  return (
    (at(Field.input, Field.reportedInput) * price.input +
      at(Field.output, Field.reportedOutput) * price.output +
      (at(Field.cacheCreation, Field.reportedCacheCreation) - oneHour) * price.cacheWrite +
      oneHour * price.cacheWrite1h +
      at(Field.cacheRead, Field.reportedCacheRead) * price.cacheRead) /
    1e6
  );
}

/** Adds a bucket to totals: Claude Code's cost where its lines carry one, the table's price for the rest. */
export function addBucket(totals: CostedTotals, bucket: Float64Array, price: ModelPrice | undefined): void {
  const tokens = bucket[Field.input] + bucket[Field.output] + bucket[Field.cacheCreation] + bucket[Field.cacheRead];
  totals.input += bucket[Field.input];
  totals.output += bucket[Field.output];
  totals.cacheCreation += bucket[Field.cacheCreation];
  totals.cacheRead += bucket[Field.cacheRead];
  totals.totalTokens += tokens;
  totals.reportedUSD += bucket[Field.reportedUSD];
  totals.costUSD += bucket[Field.reportedUSD];
  const reportedTokens =
    bucket[Field.reportedInput] +
    bucket[Field.reportedOutput] +
    bucket[Field.reportedCacheCreation] +
    bucket[Field.reportedCacheRead];
  const unpriced = tokens - reportedTokens;
  if (unpriced <= 0) return;
  if (!price) {
    totals.unknownPriceTokens += unpriced;
    return;
  }
  const cost = tableCost(bucket, price, true);
  totals.computedUSD += cost;
  totals.costUSD += cost;
}

function addTotals(target: CostedTotals, source: CostedTotals): void {
  target.input += source.input;
  target.output += source.output;
  target.cacheCreation += source.cacheCreation;
  target.cacheRead += source.cacheRead;
  target.totalTokens += source.totalTokens;
  target.costUSD += source.costUSD;
  target.reportedUSD += source.reportedUSD;
  target.computedUSD += source.computedUSD;
  target.unknownPriceTokens += source.unknownPriceTokens;
}

/** Rows of the chosen grouping, oldest first (sessions by their last activity). */
export function usageRows(buckets: ReadonlyMap<string, Bucket>, options: ReportOptions): UsageRow[] {
  const utc = options.utc ?? false;
  const rows = new Map<string, UsageRow>();
  const projectsOf = new Map<UsageRow, Set<string>>();
  const dayCache = new Map<number, [string, string]>();
  const priceCache = new Map<string, Map<string, ModelPrice | undefined>>();
  // Local days start between 14 hours before and 12 hours after UTC midnight: slices outside are skipped unread.
  const firstSlice = options.since
    ? Math.floor((Date.parse(`${options.since}T00:00:00Z`) - 14 * HOUR) / SLICE_MS)
    : -Infinity;
  const lastSlice = options.until
    ? Math.ceil((Date.parse(`${options.until}T00:00:00Z`) + 36 * HOUR) / SLICE_MS)
    : Infinity;
  for (const bucket of buckets.values()) {
    const { slice, model, project, session } = bucket;
    if (slice < firstSlice || slice > lastSlice) continue;
    if (options.project && !options.project(project)) continue;
    let days = dayCache.get(slice);
    if (!days) {
      days = [dayOf(slice * SLICE_MS, utc), dayOf(slice * SLICE_MS, true)];
      dayCache.set(slice, days);
    }
    const [day, utcDay] = days;
    if ((options.since && day < options.since) || (options.until && day > options.until)) continue;
    const rowKey = options.groupBy === 'day' ? day : options.groupBy === 'month' ? day.slice(0, 7) : session;
    let row = rows.get(rowKey);
    if (!row) {
      row = { ...emptyTotals(), key: rowKey, models: {}, projects: [], lastActivity: 0 };
      rows.set(rowKey, row);
      projectsOf.set(row, new Set());
    }
    let byDay = priceCache.get(model);
    if (!byDay) {
      byDay = new Map();
      priceCache.set(model, byDay);
    }
    let price = byDay.get(utcDay);
    if (price === undefined && !byDay.has(utcDay)) {
      price = priceFor(options.prices, model, utcDay);
      byDay.set(utcDay, price);
    }
    if (!hasOwn(row.models, model)) setOwn(row.models, model, emptyTotals());
    addBucket(row.models[model], bucket.values, price);
    addBucket(row, bucket.values, price);
    projectsOf.get(row)!.add(project);
    if ((slice + 1) * SLICE_MS > row.lastActivity) row.lastActivity = (slice + 1) * SLICE_MS;
  }
  const list = [...rows.values()];
  for (const row of list) row.projects = [...projectsOf.get(row)!];
  return options.groupBy === 'session'
    ? list.sort((a, b) => a.lastActivity - b.lastActivity)
    : list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The sum of rows. */
export function totalOf(rows: readonly UsageRow[]): CostedTotals {
  const total = emptyTotals();
  for (const row of rows) addTotals(total, row);
  return total;
}
