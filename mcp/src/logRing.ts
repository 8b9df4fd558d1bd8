import type { LogLine } from './types';

/** Longest single line kept; a server that prints megabytes without a newline must not defeat the byte bound. */
export const MAX_LINE_CHARS = 8 * 1024;

/**
 * A per-server log bounded by bytes: the oldest lines go first. A flooding server (100 MB of stderr) costs at
 * most `capacityBytes` of memory however long it runs.
 */
export class LogRing {
  private readonly lines: LogLine[] = [];
  private head = 0;
  private bytes = 0;
  private droppedLines = 0;

  constructor(private readonly capacityBytes: number) {}

  push(line: LogLine): void {
    const text = line.text.length > MAX_LINE_CHARS ? `${line.text.slice(0, MAX_LINE_CHARS)} …[truncated]` : line.text;
    const kept = text === line.text ? line : { ...line, text };
    this.lines.push(kept);
    this.bytes += sizeOf(kept);
    while (this.bytes > this.capacityBytes && this.head < this.lines.length) {
      this.bytes -= sizeOf(this.lines[this.head]);
      this.head++;
      this.droppedLines++;
    }
    // Compact now and then rather than shifting on every push, which would be quadratic under a flood.
    if (this.head > 1024 && this.head * 2 > this.lines.length) {
      this.lines.splice(0, this.head);
      this.head = 0;
    }
  }

  /** The kept lines, oldest first. */
  snapshot(): LogLine[] {
    return this.lines.slice(this.head);
  }

  /** Approximate bytes held (UTF-16 text counted as two bytes per unit, plus a fixed overhead per line). */
  get size(): number {
    return this.bytes;
  }

  /** Lines dropped to stay within the bound. */
  get dropped(): number {
    return this.droppedLines;
  }
}

function sizeOf(line: LogLine): number {
  return line.text.length * 2 + 64;
}
