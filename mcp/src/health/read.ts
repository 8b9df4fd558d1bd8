import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { gatewayPaths } from '../gateway/paths';
import { queryDaemon } from '../gateway/query';
import { mergeInto, percentile, type Histogram } from './histogram';
import type { HealthRecord } from './records';
import { readSegments } from './readSegments';
import { healthStoreDir } from './segments';
import type { HealthBucket, HealthWindow, ServerHealth, ServerHealthReport } from './report';

export interface ReadServerHealthOptions {
  window: HealthWindow;
  /** The end of the window; default now. */
  now?: Date;
  /** The store to read; default `healthStoreDir(env)`, and then the running daemon is asked to flush first. */
  dir?: string;
  env?: NodeJS.ProcessEnv;
  /** Only this workspace folder's servers; default every workspace. */
  workspace?: string;
}

/** How a window is cut: `day` is 24 one-hour buckets, `week` 28 six-hour buckets, aligned to UTC. */
export const WINDOW_LAYOUT: Record<HealthWindow, { bucketMinutes: number; buckets: number }> = {
  day: { bucketMinutes: 60, buckets: 24 },
  week: { bucketMinutes: 360, buckets: 28 },
};

/** How long the reader waits for the daemon's flush before it reads what is on disk. */
const FLUSH_WAIT_MS = 2_000;

interface Accumulated {
  health: ServerHealth;
  histogram: Histogram;
  histograms: Histogram[];
  observedMs: number[];
  upMs: number[];
  lastStateAt: number;
}

/** One window being read: where its buckets start and what each server gathered so far. */
interface WindowRead {
  window: HealthWindow;
  from: number;
  bucketMs: number;
  buckets: number;
  servers: Map<string, Accumulated>;
}

/** Which windows to read in one pass over the files, and what `readServerHealth` takes besides. */
export interface ReadServerHealthWindowsOptions<W extends HealthWindow> extends Omit<
  ReadServerHealthOptions,
  'window'
> {
  windows: readonly W[];
}

/**
 * The health history of the servers over the last day or week. The last bucket is the one `now` falls in (so it
 * is partial), and `from` is the start of the first. Percentiles come from the merged latency histograms: each is
 * the midpoint of a bucket 19 % wide, within 9 % of the exact value.
 */
export async function readServerHealth(options: ReadServerHealthOptions): Promise<ServerHealthReport> {
  const reports = await readServerHealthWindows({ ...options, windows: [options.window] });
  return reports[options.window];
}

/**
 * Several windows' reports from one read of the files (the day is part of the week, so the dashboard reads the
 * week's segments once for both), each as `readServerHealth` gives it.
 */
export async function readServerHealthWindows<W extends HealthWindow>(
  options: ReadServerHealthWindowsOptions<W>,
): Promise<Record<W, ServerHealthReport>> {
  const env = options.env ?? process.env;
  const dir = options.dir ?? healthStoreDir(env);
  if (options.dir === undefined) await askDaemonToFlush(env);
  const now = (options.now ?? new Date()).getTime();
  const windows = [...new Set(options.windows)].map((window) => windowRead(window, now));
  const from = Math.min(...windows.map((read) => read.from));
  const inWorkspace = options.workspace === undefined ? undefined : workspaceMatcher(options.workspace);
  const read = await readSegments(dir, from, now, (record) => {
    if (record.t < from || record.t > now) return;
    if (inWorkspace !== undefined && !inWorkspace(record.w)) return;
    for (const window of windows) if (record.t >= window.from) add(window, record);
  });
  const reports = {} as Record<W, ServerHealthReport>;
  for (const window of windows) {
    const report: ServerHealthReport = {
      window: window.window,
      from: new Date(window.from).toISOString(),
      to: new Date(now).toISOString(),
      bucketMinutes: window.bucketMs / 60_000,
      servers: [...window.servers.values()].map(finish).sort(byWorkspaceThenServer),
      store: { dir, damagedRecords: read.damagedRecords },
    };
    if (read.problems.length > 0) report.store.problems = [...read.problems];
    reports[window.window as W] = report;
  }
  return reports;
}

function windowRead(window: HealthWindow, now: number): WindowRead {
  const { bucketMinutes, buckets } = WINDOW_LAYOUT[window];
  const bucketMs = bucketMinutes * 60_000;
  const from = Math.floor(now / bucketMs) * bucketMs - (buckets - 1) * bucketMs;
  return { window, from, bucketMs, buckets, servers: new Map() };
}

/** Adds one record of the window's time to its server's figures. */
function add(window: WindowRead, record: HealthRecord): void {
  const key = `${record.w}\0${record.s}`;
  let entry = window.servers.get(key);
  if (!entry) {
    entry = emptyEntry(record.w, record.s, window.from, window.bucketMs, window.buckets);
    window.servers.set(key, entry);
  }
  if (record.k === 's') {
    if (record.t >= entry.lastStateAt) {
      entry.lastStateAt = record.t;
      entry.health.lastState = { state: record.state, at: new Date(record.t).toISOString(), reason: record.why };
    }
    return;
  }
  const index = Math.floor((record.t - window.from) / window.bucketMs);
  const bucket = entry.health.buckets[index];
  bucket.calls += record.c;
  bucket.errors += record.e;
  bucket.restarts += record.r;
  entry.observedMs[index] += record.o;
  entry.upMs[index] += record.u;
  mergeInto(entry.histograms[index], record.h);
}

function emptyEntry(workspace: string, server: string, from: number, bucketMs: number, count: number): Accumulated {
  const buckets: HealthBucket[] = Array.from({ length: count }, (_, index) => ({
    start: new Date(from + index * bucketMs).toISOString(),
    calls: 0,
    errors: 0,
    restarts: 0,
    observedSeconds: 0,
    upSeconds: 0,
    p50Ms: undefined,
    p95Ms: undefined,
  }));
  return {
    health: {
      server,
      workspace,
      uptime: undefined,
      observedSeconds: 0,
      restarts: 0,
      calls: 0,
      errors: 0,
      p50Ms: undefined,
      p95Ms: undefined,
      lastState: undefined,
      buckets,
    },
    histogram: {},
    histograms: buckets.map(() => ({})),
    observedMs: buckets.map(() => 0),
    upMs: buckets.map(() => 0),
    lastStateAt: -1,
  };
}

function finish(entry: Accumulated): ServerHealth {
  const health = entry.health;
  health.buckets.forEach((bucket, index) => {
    bucket.observedSeconds = seconds(entry.observedMs[index]);
    bucket.upSeconds = seconds(entry.upMs[index]);
    bucket.p50Ms = percentile(entry.histograms[index], 0.5);
    bucket.p95Ms = percentile(entry.histograms[index], 0.95);
    // The window's histogram is the sum of its buckets': merged once per bucket, not once per record.
    mergeInto(entry.histogram, entry.histograms[index]);
    health.calls += bucket.calls;
    health.errors += bucket.errors;
    health.restarts += bucket.restarts;
  });
  const observedMs = entry.observedMs.reduce((sum, ms) => sum + ms, 0);
  const upMs = entry.upMs.reduce((sum, ms) => sum + ms, 0);
  health.observedSeconds = seconds(observedMs);
  health.uptime = observedMs > 0 ? upMs / observedMs : undefined;
  health.p50Ms = percentile(entry.histogram, 0.5);
  health.p95Ms = percentile(entry.histogram, 0.95);
  return health;
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

function byWorkspaceThenServer(a: ServerHealth, b: ServerHealth): number {
  return a.workspace < b.workspace
    ? -1
    : a.workspace > b.workspace
      ? 1
      : a.server < b.server
        ? -1
        : a.server > b.server
          ? 1
          : 0;
}

/** What the daemon holds in memory reaches the files before they are read; no daemon, or no answer, is fine. */
async function askDaemonToFlush(env: NodeJS.ProcessEnv): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolveTimeout) => (timer = setTimeout(resolveTimeout, FLUSH_WAIT_MS)));
  try {
    await Promise.race([queryDaemon('flush', gatewayPaths(env)).catch(() => undefined), timeout]);
  } catch {
    // An unsafe socket is not ours to talk to: read the files as they are.
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether a recorded folder is `folder`: the same path once both are resolved, or the same real path, since a
 * client started in a folder reports its real path while a person may name it through a symlink (or the other
 * way round). One real-path lookup per distinct recorded folder.
 */
export function workspaceMatcher(folder: string): (recorded: string) => boolean {
  const written = resolve(folder);
  const real = realPathOf(written);
  const verdicts = new Map<string, boolean>();
  return (recorded) => {
    let verdict = verdicts.get(recorded);
    if (verdict === undefined) {
      verdict = recorded === written || (real !== undefined && realPathOf(recorded) === real);
      verdicts.set(recorded, verdict);
    }
    return verdict;
  };
}

/** A folder that is gone now keeps its history under the name as written. */
function realPathOf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
