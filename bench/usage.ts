/**
 * `claude-env usage` against ccusage, the peer, on the same synthetic transcripts (a million lines over 100
 * projects by default; `USAGE_LINES` changes it): a cold run of each CLI, interleaved, then a refresh after 1,000
 * new lines, in process (what the editor does) and as a second CLI run with the saved read state. Medians.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledPriceTable, TranscriptIndex, transcriptRoots, usageRows } from '@claude-env/engine';
import { assistantLine, generateTranscripts } from '../test/helpers/transcripts';

const LINES = Number(process.env.USAGE_LINES ?? 1_000_000);
const COLD_RUNS = Number(process.env.BENCH_RUNS ?? 3);
const REFRESH_RUNS = 7;
const ROOT = join(__dirname, '..');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timed(command: string, args: string[], env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${run.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

let appended = 0;
/** Appends 1,000 new assistant lines, 100 to each of ten files. */
function appendThousand(files: string[]): void {
  for (let f = 0; f < 10; f++) {
    let text = '';
    for (let i = 0; i < 100; i++) {
      appended++;
      text += assistantLine({
        id: `msg_bench_${appended}`,
        requestId: `req_bench_${appended}`,
        timestamp: '2026-11-30T12:00:00Z',
        input: 10,
        output: 200,
        cacheRead: 5000,
      });
    }
    appendFileSync(files[(f * 97) % files.length], text);
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'claude-env-bench-usage-'));
  try {
    const configDir = join(work, 'claude');
    const generated = generateTranscripts(configDir, { projects: 100, lines: LINES, seed: 11, partialShare: 0 });
    const home = join(work, 'home');
    mkdirSync(home);
    const baseEnv = { ...process.env, HOME: home, CLAUDE_CONFIG_DIR: configDir };
    const cli = join(ROOT, 'dist', 'cli.js');
    // The peer, installed on first use at a pinned version (scripts/ccusage-setup.mjs says why).
    const setup = join(ROOT, 'scripts', 'ccusage-setup.mjs');
    const ccusage = execFileSync(process.execPath, [setup], { encoding: 'utf8' }).trim();
    console.log(`${generated.lines} lines in ${generated.files.length} files over 100 projects`);

    const ours: number[] = [];
    const peer: number[] = [];
    for (let run = 0; run < COLD_RUNS; run++) {
      const state = join(work, `state-${run}`);
      ours.push(timed(process.execPath, [cli, 'usage', '--json', '--utc'], { ...baseEnv, XDG_STATE_HOME: state }));
      peer.push(timed(ccusage, ['daily', '--json', '--offline', '--timezone', 'UTC'], baseEnv));
    }
    const cold = { oursMs: median(ours), ccusageMs: median(peer), speedup: median(peer) / median(ours) };
    console.log(
      `cold: claude-env ${cold.oursMs.toFixed(0)} ms, ccusage ${cold.ccusageMs.toFixed(0)} ms, ` +
        `${cold.speedup.toFixed(2)}× (≥ 1 is not slower)`,
    );

    const index = new TranscriptIndex(transcriptRoots({ CLAUDE_CONFIG_DIR: configDir }));
    const start = process.hrtime.bigint();
    await index.refresh();
    const inProcessColdMs = Number(process.hrtime.bigint() - start) / 1e6;
    const refreshes: number[] = [];
    const refreshCpu: number[] = [];
    const withTable: number[] = [];
    for (let run = 0; run < REFRESH_RUNS; run++) {
      appendThousand(generated.files);
      const begin = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      const stats = await index.refresh();
      const used = process.cpuUsage(cpu);
      refreshes.push(Number(process.hrtime.bigint() - begin) / 1e6);
      refreshCpu.push((used.user + used.system) / 1000);
      usageRows(index.buckets, { groupBy: 'day', prices: bundledPriceTable(), utc: true });
      withTable.push(Number(process.hrtime.bigint() - begin) / 1e6);
      if (stats.linesRead !== 1000) throw new Error(`the refresh read ${stats.linesRead} lines, not 1,000`);
    }
    const warmState = join(work, 'state-0');
    const cliRefreshes: number[] = [];
    for (let run = 0; run < 3; run++) {
      appendThousand(generated.files);
      cliRefreshes.push(
        timed(process.execPath, [cli, 'usage', '--json', '--utc'], { ...baseEnv, XDG_STATE_HOME: warmState }),
      );
    }
    const refresh = {
      inProcessMs: median(refreshes),
      inProcessCpuMs: median(refreshCpu),
      withDailyTableMs: median(withTable),
      cliMs: median(cliRefreshes),
      goalMs: 100,
    };
    console.log(
      `in process: cold ${inProcessColdMs.toFixed(0)} ms; refresh after 1,000 new lines ` +
        `${refresh.inProcessMs.toFixed(1)} ms (CPU ${refresh.inProcessCpuMs.toFixed(1)} ms; goal < 100 ms), ` +
        `${refresh.withDailyTableMs.toFixed(1)} ms with the daily table recomputed`,
    );
    console.log(`second CLI run after 1,000 new lines (read state from disk): ${refresh.cliMs.toFixed(0)} ms`);

    const resultsDir = join(__dirname, 'results');
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(
      join(resultsDir, 'usage.json'),
      JSON.stringify(
        {
          lines: generated.lines,
          files: generated.files.length,
          runs: COLD_RUNS,
          loadAverage: loadavg()[0],
          cold,
          inProcessColdMs,
          refresh,
        },
        null,
        2,
      ) + '\n',
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
