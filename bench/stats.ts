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
