import { isHistogram, type Histogram } from './histogram';

/**
 * The lines of a health segment, one JSON object each. Kept short (one-letter keys): a week of a hundred servers
 * is a few hundred thousand lines. Names, counts, times and durations only: never arguments, results, tool
 * names or resource URIs, never an environment value.
 */

/** What happened to one server of one workspace within one slot (five minutes), or part of it. */
export interface TallyRecord {
  k: 'm';
  /** Epoch milliseconds the slot starts. */
  t: number;
  /** Workspace folder and server name. */
  w: string;
  s: string;
  /** Calls finished, of those not ok (an error result, an error answer, a restart in flight), restarts. */
  c: number;
  e: number;
  r: number;
  /** Milliseconds of the slot the server was observed, and of those the milliseconds it was up. */
  o: number;
  u: number;
  /** Latency of the calls that got an answer (see histogram.ts). */
  h: Histogram;
}

/** A state change of one instance of a server. */
export interface StateRecord {
  k: 's';
  /** Epoch milliseconds of the change. */
  t: number;
  w: string;
  s: string;
  state: string;
  /** The supervisor's reason (already redacted), cut to `MAX_REASON_CHARS`. */
  why?: string;
}

export type HealthRecord = TallyRecord | StateRecord;

export const MAX_REASON_CHARS = 300;
/** Longest name kept for a workspace or a server; longer lines are not ours. */
const MAX_NAME_CHARS = 4096;

export function encodeRecord(record: HealthRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** Parses one line; undefined when it is not a record this store writes (a damaged or foreign line). */
export function parseRecord(line: string): HealthRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Partial<Omit<TallyRecord, 'k'> & Omit<StateRecord, 'k'>> & { k?: unknown };
  if (!isTime(record.t) || !isName(record.w) || !isName(record.s)) return undefined;
  if (record.k === 'm') {
    const counts = [record.c, record.e, record.r, record.o, record.u];
    if (!counts.every(isCount) || !isHistogram(record.h)) return undefined;
    if (record.e! > record.c! || record.u! > record.o!) return undefined;
    return record as unknown as TallyRecord;
  }
  if (record.k === 's') {
    if (typeof record.state !== 'string' || record.state.length > 40) return undefined;
    if (record.why !== undefined && (typeof record.why !== 'string' || record.why.length > MAX_REASON_CHARS))
      return undefined;
    return record as unknown as StateRecord;
  }
  return undefined;
}

function isTime(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_NAME_CHARS;
}
