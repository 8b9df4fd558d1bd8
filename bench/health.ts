/**
 * Health history benchmark: `node --import tsx bench/health.ts [--runs N] [--calls N] [--servers N]` (after
 * `npm run build`: the daemon runs from the bundles, as a client would start it).
 *
 * 1. Recorder overhead per call: N `tools/call` of server-everything's echo through the shim and a daemon that
 *    records history, against a daemon started with CLAUDE_ENV_GATEWAY_HEALTH=off; per run the median call of
 *    each, runs interleaved. Also the recorder's own cost per event, in process.
 * 2. Store read: a full week of `--servers` servers (every five-minute slot with calls, a restart a day) written
 *    through the recorder with a fake clock; `readServerHealth` of the week (total time, and the longest the event
 *    loop was held meanwhile), of the day, and of both in one pass, median of the runs, against the floor of
 *    reading the same files and parsing every line as JSON (synchronously: it holds the loop throughout).
 * `--store-only` runs part 2 alone (no build needed). Writes bench/results/health.json (health-store.json).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { readServerHealth, readServerHealthWindows } from '@claude-env/mcp';
import { HealthRecorder } from '../mcp/src/health/recorder';
import { DEFAULT_HEALTH_LIMITS, HealthStoreWriter } from '../mcp/src/health/store';
import { newTag } from '../test/helpers/mcp';
import { EVERYTHING, GatewayWorld } from '../test/mcp/gatewayHelpers';
import { echoMedian, eventLoopBlock, median, numberArgument, report, runMain } from './stats';

const RUNS = numberArgument('runs', 5);
const CALLS = numberArgument('calls', 1_000);
const SERVERS = numberArgument('servers', 100);
const SLOT_MS = 5 * 60_000;

async function callOverhead() {
  const on = new GatewayWorld(newTag());
  const off = new GatewayWorld(newTag());
  off.env.CLAUDE_ENV_GATEWAY_HEALTH = 'off';
  try {
    const clients: Record<'on' | 'off', Client> = { on: undefined!, off: undefined! };
    for (const [way, world] of [
      ['on', on],
      ['off', off],
    ] as const) {
      world.writeLayer({ everything: EVERYTHING });
      clients[way] = await world.connect('everything');
      await echoMedian(clients[way], 100);
    }
    const samples = { on: [] as number[], off: [] as number[] };
    for (let run = 0; run < RUNS; run++) {
      const order: ('on' | 'off')[] = run % 2 ? ['on', 'off'] : ['off', 'on'];
      for (const way of order) samples[way].push(await echoMedian(clients[way], CALLS));
    }
    const onMs = median(samples.on);
    const offMs = median(samples.off);
    return { calls: CALLS, runMediansMs: samples, onMs, offMs, ratio: onMs / offMs };
  } finally {
    await on.dispose();
    await off.dispose();
  }
}

/** The recorder alone: nanoseconds per `callFinished`, and one flush of a busy slot of every server. */
function recorderCost(dir: string) {
  let now = Date.parse('2026-03-01T00:00:00Z');
  const recorder = new HealthRecorder(new HealthStoreWriter(dir), { clock: () => now });
  const events = 1_000_000;
  const started = process.hrtime.bigint();
  for (let index = 0; index < events; index++) {
    recorder.callFinished({
      server: `server-${index % SERVERS}`,
      workspace: '/work/project',
      method: 'tools/call',
      target: 'echo',
      outcome: 'ok',
      seconds: 0.001 + (index % 50) / 1000,
    });
  }
  const perCallNs = Number(process.hrtime.bigint() - started) / events;
  const flushStarted = performance.now();
  recorder.flush();
  const flushMs = performance.now() - flushStarted;
  now += SLOT_MS;
  recorder.close();
  return { perCallNs, flushMs };
}

/** Writes a week of `SERVERS` servers the way a daemon would: calls in every slot, a restart every day. */
function writeWeek(dir: string, end: number): { lines: number; bytes: number } {
  let now = end - 7 * 24 * 3_600_000;
  const recorder = new HealthRecorder(new HealthStoreWriter(dir, DEFAULT_HEALTH_LIMITS), { clock: () => now });
  const ids = Array.from({ length: SERVERS }, (_, index) => ({
    server: `server-${index}`,
    workspace: `/work/project-${index % 10}`,
    instance: `server-${index}#1`,
  }));
  for (const id of ids) recorder.stateChanged({ ...id, state: 'running' });
  for (let slot = 0; now < end; slot++) {
    for (const [index, id] of ids.entries()) {
      for (let call = 0; call < 5; call++)
        recorder.callFinished({
          ...id,
          method: 'tools/call',
          target: 'echo',
          outcome: call === 4 && slot % 7 === 0 ? 'error' : 'ok',
          seconds: (1 + ((slot * 7 + index + call * 13) % 200)) / 1000,
        });
      if (slot % 288 === index % 288) {
        recorder.stateChanged({ ...id, state: 'restarting', reason: 'exited with code 1' });
        recorder.restarted({ ...id, reason: 'exited with code 1' });
        recorder.stateChanged({ ...id, state: 'running', reason: 'ready in 200 ms' });
      }
    }
    now += SLOT_MS;
    recorder.flush();
  }
  recorder.close();
  const files = readdirSync(dir).map((name) => join(dir, name));
  const lines = files.reduce((sum, file) => sum + readFileSync(file, 'utf8').split('\n').length - 1, 0);
  return { lines, bytes: files.reduce((sum, file) => sum + statSync(file).size, 0) };
}

async function storeRead() {
  const root = mkdtempSync(join(tmpdir(), 'ce-health-bench-'));
  const dir = join(root, 'health');
  try {
    const end = Date.parse('2026-03-20T12:00:00Z');
    const written = writeWeek(dir, end);
    const samples = {
      week: [] as number[],
      weekBlock: [] as number[],
      day: [] as number[],
      both: [] as number[],
      parseFloor: [] as number[],
      parseFloorBlock: [] as number[],
    };
    let servers = 0;
    for (let run = 0; run < RUNS; run++) {
      const week = await eventLoopBlock(() => readServerHealth({ window: 'week', dir, now: new Date(end) }));
      samples.week.push(week.totalMs);
      samples.weekBlock.push(week.longestBlockMs);
      servers = week.result.servers.length;
      let started = performance.now();
      await readServerHealth({ window: 'day', dir, now: new Date(end) });
      samples.day.push(performance.now() - started);
      started = performance.now();
      await readServerHealthWindows({ windows: ['day', 'week'], dir, now: new Date(end) });
      samples.both.push(performance.now() - started);
      const floor = await eventLoopBlock(async () => {
        for (const name of readdirSync(dir))
          for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) if (line) JSON.parse(line);
      });
      samples.parseFloor.push(floor.totalMs);
      samples.parseFloorBlock.push(floor.longestBlockMs);
    }
    const recorder = recorderCost(join(root, 'cost'));
    return {
      servers,
      ...written,
      samplesMs: samples,
      weekMs: median(samples.week),
      weekLongestBlockMs: median(samples.weekBlock),
      parseFloorLongestBlockMs: median(samples.parseFloorBlock),
      dayMs: median(samples.day),
      bothMs: median(samples.both),
      parseFloorMs: median(samples.parseFloor),
      weekOverFloor: median(samples.week) / median(samples.parseFloor),
      recorder,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function storeRows(store: Awaited<ReturnType<typeof storeRead>>): [string, string][] {
  return [
    [`store: a week of ${store.servers} servers`, `${store.lines} lines, ${(store.bytes / 1048576).toFixed(1)} MiB`],
    ['readServerHealth week', `${store.weekMs.toFixed(0)} ms`],
    ['  longest event-loop block while reading it', `${store.weekLongestBlockMs.toFixed(1)} ms`],
    ['readServerHealth day', `${store.dayMs.toFixed(0)} ms`],
    ['readServerHealthWindows day + week, one pass', `${store.bothMs.toFixed(0)} ms`],
    ['floor: read + JSON.parse every line', `${store.parseFloorMs.toFixed(0)} ms`],
    ['  longest event-loop block (synchronous)', `${store.parseFloorLongestBlockMs.toFixed(1)} ms`],
    ['ratio week read / floor', `${store.weekOverFloor.toFixed(2)}×`],
  ];
}

runMain(async () => {
  const store = await storeRead();
  if (process.argv.includes('--store-only')) {
    report('health-store', 'MCP server health history: store read', storeRows(store), { store });
    return;
  }
  const calls = await callOverhead();
  report(
    'health',
    'MCP server health history',
    [
      ['tools/call through the gateway, history on', `${calls.onMs.toFixed(3)} ms (median of ${RUNS} × ${CALLS})`],
      ['tools/call through the gateway, history off', `${calls.offMs.toFixed(3)} ms`],
      ['ratio on / off', `${calls.ratio.toFixed(3)}×`],
      ['recorder per call, in process', `${store.recorder.perCallNs.toFixed(0)} ns`],
      [`flush of one busy slot of ${SERVERS} servers`, `${store.recorder.flushMs.toFixed(2)} ms`],
      ...storeRows(store),
    ],
    { calls, store },
  );
});
