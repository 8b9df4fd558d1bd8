import { promises as fsp, statSync } from 'node:fs';
import { basename } from 'node:path';
import { addEntry, type Bucket } from './buckets';
import { hash53, parseTranscriptLine } from './lineParser';
import { listTranscripts, type TranscriptFile } from './locations';

/** How far one file has been read. */
export interface FileCursor {
  /** Inode and device at the last read: another file at the same path (a rotation) is read from the start. */
  ino: number;
  dev: number;
  /** Bytes read up to the end of the last complete line. */
  offset: number;
  /** The file's size when it was last read: an unchanged size is not opened again. */
  size: number;
  /** Complete lines read, for the line numbers of malformed lines. */
  line: number;
  project: string;
}

/** A malformed line, located. */
export interface MalformedLine {
  file: string;
  line: number;
  reason: string;
}

/** What a refresh did. */
export interface RefreshStats {
  files: number;
  filesRead: number;
  bytesRead: number;
  linesRead: number;
  /** True when a file shrank, was replaced or vanished, so every file was read again from the start. */
  rebuilt: boolean;
}

/** Where a line longer than this is counted as malformed and skipped, so one runaway line cannot exhaust memory. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;
/** Malformed lines kept with their location; beyond this only the count grows. */
const MALFORMED_SAMPLES = 20;

/**
 * The usage of every transcript under some `projects` folders, read incrementally: each file's cursor remembers
 * the end of the last complete line, so a refresh reads only what was appended. A last line still being written
 * (no newline yet) waits for the next refresh. A file that shrank or was replaced, or one that vanished, makes the
 * next refresh start over, since its lines can no longer be told apart from the others'. Memory is bounded by the
 * number of buckets and seen message ids, not by the transcripts' size.
 */
export class TranscriptIndex {
  cursors = new Map<string, FileCursor>();
  buckets = new Map<string, Bucket>();
  /** Hashes of `message.id:requestId` already counted (streamed repeats and copies in resumed sessions). */
  seen = new Set<number>();
  /** The working folder (`cwd`) a project's lines name, by project folder. */
  projectPaths = new Map<string, string>();
  malformedCount = 0;
  malformed: MalformedLine[] = [];
  duplicateLines = 0;

  constructor(readonly roots: readonly string[]) {}

  async refresh(): Promise<RefreshStats> {
    const files = listTranscripts(this.roots);
    const stats: RefreshStats = { files: files.length, filesRead: 0, bytesRead: 0, linesRead: 0, rebuilt: false };
    const plan: { file: TranscriptFile; size: number; cursor: FileCursor }[] = [];
    const present = new Set<string>();
    for (const file of files) {
      let info;
      try {
        info = statSync(file.path);
      } catch {
        continue;
      }
      present.add(file.path);
      const known = this.cursors.get(file.path);
      if (known && (known.ino !== info.ino || known.dev !== info.dev || info.size < known.size)) stats.rebuilt = true;
      const cursor = known ?? { ino: info.ino, dev: info.dev, offset: 0, size: 0, line: 0, project: file.project };
      if (info.size !== cursor.size || !known) plan.push({ file, size: info.size, cursor });
    }
    for (const path of this.cursors.keys()) if (!present.has(path)) stats.rebuilt = true;
    if (stats.rebuilt) {
      this.clear();
      return { ...(await this.refresh()), rebuilt: true };
    }
    for (const { file, size, cursor } of plan) {
      this.cursors.set(file.path, cursor);
      if (size <= cursor.offset) continue;
      const read = await this.readFrom(file, cursor);
      stats.filesRead++;
      stats.bytesRead += read.bytes;
      stats.linesRead += read.lines;
    }
    return stats;
  }

  private clear(): void {
    this.cursors.clear();
    this.buckets.clear();
    this.seen.clear();
    this.projectPaths.clear();
    this.malformedCount = 0;
    this.malformed = [];
    this.duplicateLines = 0;
  }

  private async readFrom(file: TranscriptFile, cursor: FileCursor): Promise<{ bytes: number; lines: number }> {
    const handle = await fsp.open(file.path, 'r');
    const fallbackSession = basename(file.path, '.jsonl');
    let buffer: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let filled = 0;
    let position = cursor.offset;
    let skippingLongLine = false;
    const start = cursor.offset;
    let lines = 0;
    try {
      const info = await handle.stat();
      cursor.ino = info.ino;
      cursor.dev = info.dev;
      for (;;) {
        if (filled === buffer.length) {
          if (buffer.length >= MAX_LINE_BYTES) {
            // A line past the limit: drop what is buffered and skip to its end.
            this.noteMalformed(file.path, cursor.line + 1, `a line over ${MAX_LINE_BYTES} bytes`);
            skippingLongLine = true;
            cursor.offset += filled;
            filled = 0;
          } else {
            const larger = Buffer.allocUnsafe(buffer.length * 2);
            buffer.copy(larger, 0, 0, filled);
            buffer = larger;
          }
        }
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        const end = filled + bytesRead;
        const lastNewline = buffer.lastIndexOf(10, end - 1);
        if (lastNewline < 0) {
          filled = end;
          continue;
        }
        let from = 0;
        if (skippingLongLine) {
          from = buffer.indexOf(10) + 1;
          cursor.line++;
          skippingLongLine = false;
        }
        lines += this.consume(buffer.toString('utf8', from, lastNewline + 1), file, cursor, fallbackSession);
        cursor.offset += lastNewline + 1;
        filled = end - (lastNewline + 1);
        buffer.copy(buffer, 0, lastNewline + 1, end);
        if (buffer.length > CHUNK_BYTES && filled < CHUNK_BYTES) buffer = shrink(buffer, filled);
      }
      if (skippingLongLine) cursor.offset += filled;
      cursor.size = position;
    } finally {
      await handle.close();
    }
    return { bytes: cursor.offset - start, lines };
  }

  /** Counts the complete lines of `text` (which ends with a newline) and returns how many there were. */
  private consume(text: string, file: TranscriptFile, cursor: FileCursor, fallbackSession: string): number {
    let lines = 0;
    let from = 0;
    for (;;) {
      const newline = text.indexOf('\n', from);
      if (newline < 0) break;
      const line = text.charCodeAt(newline - 1) === 13 ? text.slice(from, newline - 1) : text.slice(from, newline);
      from = newline + 1;
      lines++;
      cursor.line++;
      const parsed = parseTranscriptLine(line, fallbackSession);
      if (parsed.kind === 'other') continue;
      if (parsed.kind === 'malformed') {
        this.noteMalformed(file.path, cursor.line, parsed.reason);
        continue;
      }
      if (parsed.dedupeKey !== undefined) {
        const hash = hash53(parsed.dedupeKey);
        if (this.seen.has(hash)) {
          this.duplicateLines++;
          continue;
        }
        this.seen.add(hash);
      }
      if (!this.projectPaths.has(file.project)) {
        const cwd = /"cwd":"((?:[^"\\]|\\.)*)"/.exec(line)?.[1];
        if (cwd !== undefined) this.projectPaths.set(file.project, JSON.parse(`"${cwd}"`) as string);
      }
      addEntry(this.buckets, file.project, parsed.entry);
    }
    return lines;
  }

  private noteMalformed(file: string, line: number, reason: string): void {
    this.malformedCount++;
    if (this.malformed.length < MALFORMED_SAMPLES) this.malformed.push({ file, line, reason });
  }
}

function shrink(buffer: Buffer, filled: number): Buffer {
  const smaller = Buffer.allocUnsafe(CHUNK_BYTES);
  buffer.copy(smaller, 0, 0, filled);
  return smaller;
}
