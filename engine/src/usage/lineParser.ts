import type { UsageEntry } from './buckets';

/** What one transcript line is to the usage reader. */
export type ParsedLine =
  | { kind: 'usage'; entry: UsageEntry; dedupeKey: string | undefined }
  | { kind: 'other' }
  | { kind: 'malformed'; reason: string };

const OTHER: ParsedLine = { kind: 'other' };

function count(value: unknown): number | undefined {
  if (value === undefined || value === null) return 0;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Reads the usage of one line of a Claude Code transcript. Only assistant messages carry `message.usage`; every
 * other line (user turns, summaries, tool results) is `other`. A line that is not JSON, or whose usage has
 * counts that are not non-negative numbers or no valid timestamp, is `malformed` with the reason.
 */
export function parseTranscriptLine(line: string, fallbackSession: string): ParsedLine {
  // Most lines carry no usage; skipping them before JSON.parse is most of the reader's speed.
  if (!line.includes('"usage"')) {
    if (line.trim() === '') return OTHER;
    if (line.charCodeAt(0) !== 123 /* { */) return { kind: 'malformed', reason: 'not a JSON object' };
    return OTHER;
  }
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return { kind: 'malformed', reason: 'not valid JSON' };
  }
  if (typeof record !== 'object' || record === null) return { kind: 'malformed', reason: 'not a JSON object' };
  const { message, timestamp, sessionId, requestId, costUSD } = record as Record<string, unknown>;
  if (typeof message !== 'object' || message === null) return OTHER;
  const { usage, model, id } = message as Record<string, unknown>;
  if (typeof usage !== 'object' || usage === null) return OTHER;
  const raw = usage as Record<string, unknown>;
  const input = count(raw.input_tokens);
  const output = count(raw.output_tokens);
  const cacheCreation = count(raw.cache_creation_input_tokens);
  const cacheRead = count(raw.cache_read_input_tokens);
  if (input === undefined || output === undefined || cacheCreation === undefined || cacheRead === undefined)
    return { kind: 'malformed', reason: 'token counts that are not non-negative numbers' };
  const time = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(time)) return { kind: 'malformed', reason: 'no valid timestamp' };
  const split = raw.cache_creation as Record<string, unknown> | undefined;
  const oneHour = typeof split === 'object' && split !== null ? (count(split.ephemeral_1h_input_tokens) ?? 0) : 0;
  const entry: UsageEntry = {
    timestamp: time,
    model: typeof model === 'string' && model !== '' ? model : 'unknown',
    sessionId: typeof sessionId === 'string' && sessionId !== '' ? sessionId : fallbackSession,
    tokens: { input, output, cacheCreation, cacheRead },
    cacheCreation1h: Math.min(oneHour, cacheCreation),
    costUSD: typeof costUSD === 'number' && Number.isFinite(costUSD) && costUSD >= 0 ? costUSD : undefined,
  };
  // Claude Code writes a streamed message once per content block, each line with the same id, request and usage.
  const dedupeKey = typeof id === 'string' && typeof requestId === 'string' ? `${id}:${requestId}` : undefined;
  return { kind: 'usage', entry, dedupeKey };
}

/** A 53-bit hash of a string (two FNV-1a variants), so a million seen ids fit in a set of numbers. */
export function hash53(text: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}
