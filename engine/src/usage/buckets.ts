/**
 * Usage totals kept per 15-minute slice of time, model, project and session. Fifteen minutes because every time
 * zone's offset from UTC is a multiple of it, so days and months can be cut in UTC or in any local zone from the
 * same totals without keeping a line of the transcripts.
 */

/** Milliseconds in one slice. */
export const SLICE_MS = 15 * 60 * 1000;

/** Positions in a bucket's number array (kept as an array so the read-state cache stays small). */
export const Field = {
  input: 0,
  output: 1,
  cacheCreation: 2,
  cacheRead: 3,
  /** The part of cacheCreation written with the 1-hour lifetime (priced higher than the 5-minute one). */
  cacheCreation1h: 4,
  lines: 5,
  /** Sum of the `costUSD` Claude Code wrote on the lines that carry one. */
  reportedUSD: 6,
  reportedLines: 7,
  /** Tokens of the lines that carry `costUSD`: those are not priced again from the table. */
  reportedInput: 8,
  reportedOutput: 9,
  reportedCacheCreation: 10,
  reportedCacheRead: 11,
  reportedCacheCreation1h: 12,
} as const;
export const FIELD_COUNT = 13;

/** One bucket: what it counts, and its figures by {@link Field}. */
export interface Bucket extends BucketKey {
  values: Float64Array;
}

/** Token counts by kind. */
export interface TokenCounts {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
}

/** One assistant line's usage, as read from a transcript. */
export interface UsageEntry {
  timestamp: number;
  model: string;
  sessionId: string;
  tokens: TokenCounts;
  cacheCreation1h: number;
  costUSD: number | undefined;
}

/** A bucket's identity: the slice, model, project (its folder under `projects/`) and session. */
export interface BucketKey {
  slice: number;
  model: string;
  project: string;
  session: string;
}

const SEPARATOR = '\u0000';

export function bucketKey(slice: number, model: string, project: string, session: string): string {
  return `${slice}${SEPARATOR}${model}${SEPARATOR}${project}${SEPARATOR}${session}`;
}

export function parseBucketKey(key: string): BucketKey {
  const [slice, model, project, session] = key.split(SEPARATOR);
  return { slice: Number(slice), model, project, session };
}

/** Adds one entry to its bucket, creating the bucket on first use. */
export function addEntry(buckets: Map<string, Bucket>, project: string, entry: UsageEntry): void {
  const slice = Math.floor(entry.timestamp / SLICE_MS);
  const key = bucketKey(slice, entry.model, project, entry.sessionId);
  let found = buckets.get(key);
  if (!found) {
    found = { slice, model: entry.model, project, session: entry.sessionId, values: new Float64Array(FIELD_COUNT) };
    buckets.set(key, found);
  }
  const bucket = found.values;
  const { tokens } = entry;
  bucket[Field.input] += tokens.input;
  bucket[Field.output] += tokens.output;
  bucket[Field.cacheCreation] += tokens.cacheCreation;
  bucket[Field.cacheRead] += tokens.cacheRead;
  bucket[Field.cacheCreation1h] += entry.cacheCreation1h;
  bucket[Field.lines] += 1;
  if (entry.costUSD !== undefined) {
    bucket[Field.reportedUSD] += entry.costUSD;
    bucket[Field.reportedLines] += 1;
    bucket[Field.reportedInput] += tokens.input;
    bucket[Field.reportedOutput] += tokens.output;
    bucket[Field.reportedCacheCreation] += tokens.cacheCreation;
    bucket[Field.reportedCacheRead] += tokens.cacheRead;
    bucket[Field.reportedCacheCreation1h] += entry.cacheCreation1h;
  }
}
