import { closeSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir } from '../gateway/paths';
import { encodeRecord, type HealthRecord } from './records';
import { MAX_STORE_BYTES, RETENTION_DAYS, appendToSegment, openSegment, pruneSegments, segmentName } from './segments';

export interface HealthStoreLimits {
  /** Segments of days older than this are deleted. */
  retentionDays: number;
  /** The folder never holds more: the oldest segments go first, and records that still do not fit are dropped. */
  maxBytes: number;
}

export const DEFAULT_HEALTH_LIMITS: HealthStoreLimits = { retentionDays: RETENTION_DAYS, maxBytes: MAX_STORE_BYTES };

/**
 * The daemon's side of the store: appends records to the day's segment, one write per flush, and keeps the folder
 * within the retention and the size cap. One daemon per user writes (the gateway's single-instance lock); readers
 * may read at any time and see whole lines, or a last line still being written, which they count as damaged.
 * A failure (an unsafe folder, a full disk) drops that flush's records and is logged once per kind, never thrown.
 */
export class HealthStoreWriter {
  private readonly warned = new Set<string>();

  constructor(
    readonly dir: string,
    private readonly limits: HealthStoreLimits = DEFAULT_HEALTH_LIMITS,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Appends the records to the segment of `now`; false when they were dropped. */
  write(records: HealthRecord[], now: number): boolean {
    if (records.length === 0) return true;
    const text = records.map(encodeRecord).join('');
    const bytes = Buffer.byteLength(text);
    try {
      ensurePrivateDir(this.dir);
      const total = pruneSegments(this.dir, now, bytes, this.limits);
      if (total + bytes > this.limits.maxBytes) {
        this.warn(
          'full',
          `health history: today's segment reached the store's ${Math.round(this.limits.maxBytes / 1048576)} MiB cap; ` +
            'records are dropped until tomorrow',
        );
        return false;
      }
      const fd = openSegment(join(this.dir, segmentName(now)), 'append');
      try {
        appendToSegment(fd, text);
      } finally {
        closeSync(fd);
      }
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.warn(message, `health history: ${message}; ${records.length} record(s) dropped`);
      return false;
    }
  }

  private warn(kind: string, line: string): void {
    if (this.warned.has(kind)) return;
    this.warned.add(kind);
    this.log(line);
  }
}
