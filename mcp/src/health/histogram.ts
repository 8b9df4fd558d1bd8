/**
 * A fixed log-scale latency histogram: every record of the store uses the same bucket bounds, so histograms of
 * any minutes, servers or days merge by adding counts, and p50/p95 of a merge are as good as of one record.
 * Four buckets per doubling from 0.1 ms: a bucket spans 19 %, and the midpoint a percentile reports is within
 * 9 % of the true value. Bucket 0 holds calls under 0.1 ms; the last one everything from about 40 minutes on.
 */

export const HISTOGRAM_BUCKETS = 100;
const SMALLEST_MS = 0.1;
const PER_DOUBLING = 4;

/** Counts by bucket index; missing indexes are zero (a record holds only the buckets its calls fell into). */
export type Histogram = Record<number, number>;

export function bucketOf(ms: number): number {
  if (!(ms >= SMALLEST_MS)) return 0;
  const index = Math.floor(PER_DOUBLING * Math.log2(ms / SMALLEST_MS)) + 1;
  return Math.min(index, HISTOGRAM_BUCKETS - 1);
}

/** The value a bucket stands for: its geometric midpoint (half the smallest bound for bucket 0). */
export function valueOf(bucket: number): number {
  if (bucket <= 0) return SMALLEST_MS / 2;
  return SMALLEST_MS * 2 ** ((bucket - 0.5) / PER_DOUBLING);
}

export function addSample(histogram: Histogram, ms: number): void {
  const bucket = bucketOf(ms);
  histogram[bucket] = (histogram[bucket] ?? 0) + 1;
}

/** Adds `from` into `into`. */
export function mergeInto(into: Histogram, from: Histogram): void {
  for (const key in from) into[key as unknown as number] = (into[key as unknown as number] ?? 0) + from[key];
}

/** The `quantile` (0–1) of the samples in milliseconds, rounded to 0.1 ms; undefined without samples. */
export function percentile(histogram: Histogram, quantile: number): number | undefined {
  const buckets = Object.keys(histogram)
    .map(Number)
    .sort((a, b) => a - b);
  const total = buckets.reduce((sum, bucket) => sum + histogram[bucket], 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(quantile * total));
  let seen = 0;
  for (const bucket of buckets) {
    seen += histogram[bucket];
    if (seen >= rank) return Math.round(valueOf(bucket) * 10) / 10;
  }
  return Math.round(valueOf(buckets[buckets.length - 1]) * 10) / 10;
}

/** Whether a value read from disk is a histogram this store wrote: bucket indexes to positive whole counts. */
export function isHistogram(value: unknown): value is Histogram {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  for (const key in value) {
    const bucket = Number(key);
    const count = (value as Record<string, unknown>)[key];
    if (!Number.isInteger(bucket) || bucket < 0 || bucket >= HISTOGRAM_BUCKETS || String(bucket) !== key) return false;
    if (!Number.isSafeInteger(count) || (count as number) <= 0) return false;
  }
  return true;
}
