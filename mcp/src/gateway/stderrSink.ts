import { fstatSync } from 'node:fs';
import { Socket } from 'node:net';

/** Bytes of stderr the shim holds for a client that does not read its stderr; further lines are dropped. */
export const MAX_STDERR_BACKLOG = 256 * 1024;

/** The shim's stderr: its own notes and the instance's forwarded stderr lines. */
export interface StderrSink {
  line(text: string): void;
  /** Resolves once what is pending is written, or after `waitMs` (a client that never reads). */
  flush(waitMs?: number): Promise<void>;
}

/**
 * Writes lines to file descriptor 2 without blocking. Node writes to a pipe synchronously on Linux, so a client
 * that pipes a server's stderr without reading it (a full pipe) would freeze a shim using `process.stderr`, and
 * with it the client's MCP messages. A pipe or socket is therefore written as a non-blocking socket of our own;
 * past `maxBacklog` bytes, lines are dropped and counted, and the count is written once the client reads again.
 * A file or a terminal never fills up: those keep `process.stderr`.
 */
export function stderrSink(fd = 2, maxBacklog = MAX_STDERR_BACKLOG): StderrSink {
  const stream = isPipe(fd) ? new Socket({ fd, readable: false, writable: true }).unref() : process.stderr;
  stream.on('error', () => undefined); // a closed stderr: nobody to tell
  let dropped = 0;
  stream.on('drain', () => {
    if (!dropped) return;
    stream.write(`claude-env gateway: ${dropped} stderr line(s) dropped: the client did not read them\n`);
    dropped = 0;
  });
  return {
    line(text) {
      if (stream.writableLength > maxBacklog) dropped++;
      else stream.write(`${text}\n`);
    },
    flush(waitMs = 500) {
      if (stream.writableLength === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        stream.once('drain', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}

function isPipe(fd: number): boolean {
  try {
    const info = fstatSync(fd);
    return info.isFIFO() || info.isSocket();
  } catch {
    return false;
  }
}
