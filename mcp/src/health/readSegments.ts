import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { UnsafePathError } from '../gateway/paths';
import { parseRecord, type HealthRecord } from './records';
import { DAY_MS, MAX_STORE_BYTES, SEGMENT_READ_FLAGS, checkPrivateDir, listSegments, segmentProblem } from './segments';

/** What reading the store found besides its records. */
export interface SegmentsRead {
  /** Lines that are not whole records: a last line still being written, a damaged or foreign line. */
  damagedRecords: number;
  /** Files or folders refused or unreadable, each with the reason. */
  problems: string[];
}

/**
 * How much of a segment is read at a time. Each chunk is parsed between two reads, so this bounds both the
 * memory a read holds and how long it keeps the event loop at a stretch (about a millisecond per 64 KiB).
 */
const CHUNK_BYTES = 64 * 1024;
/** A record is a few hundred bytes; a longer "line" is not one of ours and is skipped, not held. */
const MAX_LINE_CHARS = 256 * 1024;

/**
 * Reads every record of the segments that may hold times from `fromMs` to `toMs` (a record is written within
 * minutes after the time it describes, into the segment of the day it is written). Asynchronous, one chunk at a
 * time: the extension host and the daemon keep serving while a week is read. Never throws for what it finds on
 * disk: a damaged line is counted, an unsafe file is refused and named.
 */
export async function readSegments(
  dir: string,
  fromMs: number,
  toMs: number,
  onRecord: (record: HealthRecord) => void,
): Promise<SegmentsRead> {
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
    try {
      read.damagedRecords += await readSegment(join(dir, segment.name), onRecord);
    } catch (error) {
      read.problems.push(messageOf(error));
    }
  }
  return read;
}

/** Hands each whole record of one segment to `onRecord`; returns how many lines were not records. */
async function readSegment(path: string, onRecord: (record: HealthRecord) => void): Promise<number> {
  const handle = await openSegmentToRead(path);
  let damaged = 0;
  const take = (line: string) => {
    const record = parseRecord(line);
    if (record) onRecord(record);
    else damaged++;
  };
  try {
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let pending = '';
    // Inside a line longer than MAX_LINE_CHARS (already counted): dropped up to its newline.
    let skipping = false;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      const text = pending + decoder.write(buffer.subarray(0, bytesRead));
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        if (skipping) skipping = false;
        else if (end > start) take(text.slice(start, end));
        start = end + 1;
      }
      pending = text.slice(start);
      if (pending.length > MAX_LINE_CHARS) {
        if (!skipping) damaged++;
        skipping = true;
        pending = '';
      }
    }
    pending += decoder.end();
    // The part after the last newline is a line not yet (or never) finished.
    if (pending !== '' && !skipping) damaged++;
  } finally {
    await handle.close();
  }
  return damaged;
}

/** As `openSegment(path, 'read')`, without blocking: no link followed, only a regular file of this user. */
async function openSegmentToRead(path: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, SEGMENT_READ_FLAGS);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      throw new UnsafePathError(`${path} is a symbolic link; refusing to follow it`);
    throw error;
  }
  try {
    const info = await handle.stat();
    const problem = segmentProblem(info);
    if (problem) throw new UnsafePathError(`${path} ${problem}; refusing to use it`);
    if (info.size > MAX_STORE_BYTES)
      throw new UnsafePathError(`${path} is larger than the store's cap (${info.size} bytes); skipped`);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
