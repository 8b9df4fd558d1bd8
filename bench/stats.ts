import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the benchmarks share: the median they report and their numeric `--name N` options. */

/** Median; the mean of the two middle values for an even count. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The number after `--name` on the command line, else `fallback`. */
export function numberArgument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

/** Prints the rows as an aligned table under `title` and writes `results` to bench/results/<name>.json. */
export function report(name: string, title: string, rows: [string, string][], results: unknown): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(title);
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
  const folder = join(__dirname, 'results');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${join('bench/results', `${name}.json`)}`);
}

/** Runs a benchmark's main: exit 0 when it finished, 1 with the error otherwise. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/** Median milliseconds of `count` sequential echo calls. */
export async function echoMedian(client: Client, count: number): Promise<number> {
  const times: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    await client.callTool({ name: 'echo', arguments: { message: `call ${index}` } });
    times.push(performance.now() - started);
  }
  return median(times);
}

/**
 * Runs `work` while a 1 ms interval timer ticks, and returns how long it took and the longest gap between two
 * ticks beyond the 1 ms asked for: how long the event loop was held at a stretch (a synchronous read holds it
 * for the whole read; one that yields, for its longest step).
 */
export async function eventLoopBlock<T>(
  work: () => Promise<T>,
): Promise<{ totalMs: number; longestBlockMs: number; result: T }> {
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - 1);
    last = now;
  }, 1);
  const started = performance.now();
  try {
    const result = await work();
    const totalMs = performance.now() - started;
    // The gap that ends with the work is a block too: measure up to the next tick.
    await new Promise<void>((resolve) => setImmediate(resolve));
    longest = Math.max(longest, performance.now() - last - 1);
    return { totalMs, longestBlockMs: longest, result };
  } finally {
    clearInterval(ticker);
  }
}
