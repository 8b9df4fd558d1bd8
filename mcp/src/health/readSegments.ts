import { closeSync, fstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UnsafePathError } from '../gateway/paths';
import { parseRecord, type HealthRecord } from './records';
import { DAY_MS, MAX_STORE_BYTES, checkPrivateDir, listSegments, openSegment } from './segments';

/** What reading the store found besides its records. */
export interface SegmentsRead {
  /** Lines that are not whole records: a last line still being written, a damaged or foreign line. */
  damagedRecords: number;
  /** Files or folders refused or unreadable, each with the reason. */
  problems: string[];
}

/**
 * Reads every record of the segments that may hold times from `fromMs` to `toMs` (a record is written within
 * minutes after the time it describes, into the segment of the day it is written). Never throws for what it
 * finds on disk: a damaged line is counted, an unsafe file is refused and named.
 */
export function readSegments(
  dir: string,
  fromMs: number,
  toMs: number,
  onRecord: (record: HealthRecord) => void,
): SegmentsRead {
  const read: SegmentsRead = { damagedRecords: 0, problems: [] };
  try {
    if (!checkPrivateDir(dir)) return read;
  } catch (error) {
    read.problems.push(messageOf(error));
    return read;
  }
  const firstDay = Math.floor(fromMs / DAY_MS) * DAY_MS;
  const lastDay = Math.floor((toMs + DAY_MS) / DAY_MS) * DAY_MS;
  for (const segment of listSegments(dir)) {
    if (segment.day < firstDay || segment.day > lastDay) continue;
    const path = join(dir, segment.name);
    let text: string;
    try {
      text = readSegmentText(path);
    } catch (error) {
      read.problems.push(messageOf(error));
      continue;
    }
    const lines = text.split('\n');
    // The part after the last newline is a line not yet (or never) finished.
    if (lines[lines.length - 1] !== '') read.damagedRecords++;
    lines.pop();
    for (const line of lines) {
      if (line === '') continue;
      const record = parseRecord(line);
      if (record) onRecord(record);
      else read.damagedRecords++;
    }
  }
  return read;
}

function readSegmentText(path: string): string {
  const fd = openSegment(path, 'read');
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_STORE_BYTES)
      throw new UnsafePathError(`${path} is larger than the store's cap (${size} bytes); skipped`);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
