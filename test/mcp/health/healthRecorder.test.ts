import { strict as assert } from 'node:assert';
import { mkdirSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { readServerHealth } from '@claude-env/mcp';
import { FakeClock, StoreWorld, WS, at, call, exactQuantile } from './healthHelpers';

const T0 = Date.parse('2026-03-10T08:00:00Z');
const MINUTE = 60_000;

describe('MCP server health: the recorder and the report', () => {
  let world: StoreWorld;
  beforeEach(() => (world = new StoreWorld()));
  afterEach(() => world.dispose());

  it('counts calls, errors and a restart, and the time up over the time observed', async () => {
    const clock = new FakeClock(T0);
    const recorder = world.recorder(clock);
    recorder.stateChanged({ ...at(), state: 'starting' });
    clock.advance(10_000);
    recorder.stateChanged({ ...at(), state: 'running' });
    for (const ms of [2, 3, 4, 5, 40]) recorder.callFinished(call(ms));
    recorder.callFinished(call(8, 'error'));
    clock.advance(MINUTE);
    recorder.callFinished(call(900, 'restart'));
    recorder.stateChanged({ ...at(), state: 'crashed', reason: 'killed by SIGKILL' });
    recorder.stateChanged({ ...at(), state: 'restarting', reason: 'killed by SIGKILL; restart 1 in 0.5 s' });
    recorder.restarted({ ...at(), reason: 'killed by SIGKILL' });
    clock.advance(20_000);
    recorder.stateChanged({ ...at(), state: 'running' });
    clock.advance(10 * MINUTE);
    recorder.flush();
    clock.advance(30 * MINUTE);
    recorder.close();

    const report = await readServerHealth({ window: 'day', dir: world.dir, now: new Date(clock.now) });
    assert.equal(report.servers.length, 1);
    const [server] = report.servers;
    assert.equal(server.workspace, WS);
    assert.equal(server.calls, 7);
    assert.equal(server.errors, 2, 'the error result and the call cut by the restart');
    assert.equal(server.restarts, 1);
    const observed = 10 + 60 + 20 + 600 + 1800;
    assert.equal(server.observedSeconds, observed);
    assert.equal(server.uptime, (observed - 30) / observed, 'starting and restarting are down');
    // Still running when the daemon stopped: the stop is the last change.
    assert.deepEqual(server.lastState, {
      state: 'stopped',
      at: new Date(clock.now).toISOString(),
      reason: 'the gateway daemon stopped',
    });
    // The call cut by the restart measured the crash, not the server: it is not in the latency.
    const samples = [2, 3, 4, 5, 40, 8];
    assert.ok(Math.abs(server.p50Ms! - exactQuantile(samples, 0.5)) <= exactQuantile(samples, 0.5) * 0.1);
    assert.ok(Math.abs(server.p95Ms! - 40) <= 4, `p95 ${server.p95Ms}`);
    assert.equal(report.store.damagedRecords, 0);
    assert.equal(statSync(world.dir).mode & 0o777, 0o700);
    assert.ok(world.segments().every((name) => (statSync(`${world.dir}/${name}`).mode & 0o777) === 0o600));
  });

  it('merges latency histograms across slots and buckets into the percentiles of all calls', async () => {
    const clock = new FakeClock(T0);
    const recorder = world.recorder(clock);
    const samples: number[] = [];
    // Three hours, each with a different distribution: fast, slow, and a long tail.
    const hours = [
      (i: number) => 1 + (i % 10) * 0.3,
      (i: number) => 50 + (i % 25) * 4,
      (i: number) => (i % 10 === 0 ? 2_000 : 10 + (i % 7)),
    ];
    for (const latency of hours) {
      for (let i = 0; i < 400; i++) {
        const ms = latency(i);
        samples.push(ms);
        recorder.callFinished(call(ms));
        if (i % 100 === 99) clock.advance(15 * MINUTE);
      }
      recorder.flush();
    }
    recorder.close();
    const report = await readServerHealth({ window: 'day', dir: world.dir, now: new Date(clock.now) });
    const [server] = report.servers;
    assert.equal(server.calls, 1_200);
    for (const [quantile, value] of [
      [0.5, server.p50Ms],
      [0.95, server.p95Ms],
    ] as const) {
      const exact = exactQuantile(samples, quantile);
      assert.ok(Math.abs(value! - exact) <= exact * 0.1, `p${quantile * 100}: ${value} against ${exact}`);
    }
    const withCalls = server.buckets.filter((bucket) => bucket.calls > 0);
    assert.equal(withCalls.length, 3);
    assert.ok(withCalls[0].p95Ms! < 5 && withCalls[1].p50Ms! > 50 && withCalls[2].p95Ms! > 1_500);
  });

  it('cuts the day into 24 one-hour buckets and the week into 28 six-hour buckets, the last holding now', async () => {
    const now = Date.parse('2026-03-10T08:20:00Z');
    for (const [window, minutes, count] of [
      ['day', 60, 24],
      ['week', 360, 28],
    ] as const) {
      const clock = new FakeClock(now - (window === 'day' ? 23 : 27 * 6) * 60 * MINUTE);
      const recorder = world.recorder(clock);
      recorder.callFinished(call(1, 'ok', window));
      clock.now = now - MINUTE;
      recorder.callFinished(call(1, 'ok', window));
      recorder.close();
      const report = await readServerHealth({ window, dir: world.dir, now: new Date(now), workspace: WS });
      const server = report.servers.find((entry) => entry.server === window)!;
      assert.equal(report.bucketMinutes, minutes);
      assert.equal(report.to, new Date(now).toISOString());
      assert.equal(server.buckets.length, count);
      assert.equal(server.buckets[0].start, report.from);
      server.buckets.forEach((bucket, index) =>
        assert.equal(Date.parse(bucket.start), Date.parse(report.from) + index * minutes * MINUTE),
      );
      const last = Date.parse(server.buckets[count - 1].start);
      assert.ok(last <= now && now < last + minutes * MINUTE, 'the last bucket holds now');
      assert.equal(server.buckets[0].calls, 1, 'the first call falls in the first bucket');
      assert.equal(server.buckets[count - 1].calls, 1);
    }
  });

  it('keeps other workspaces out of a workspace report, and their servers apart in the full one', async () => {
    const clock = new FakeClock(T0);
    const recorder = world.recorder(clock);
    recorder.callFinished(call(1));
    recorder.callFinished({ ...call(1), workspace: '/work/other' });
    recorder.close();
    const mine = await readServerHealth({ window: 'day', dir: world.dir, now: new Date(T0), workspace: `${WS}/` });
    assert.deepEqual(
      mine.servers.map((server) => server.workspace),
      [WS],
    );
    const all = await readServerHealth({ window: 'day', dir: world.dir, now: new Date(T0) });
    assert.deepEqual(
      all.servers.map((server) => server.workspace),
      ['/work/other', WS],
    );
  });

  it('finds a workspace recorded under its real path when it is named through a symlink, and the other way round', async () => {
    const real = join(world.root, 'project');
    const linked = join(world.root, 'linked');
    mkdirSync(real);
    symlinkSync(real, linked);
    const clock = new FakeClock(T0);
    const recorder = world.recorder(clock);
    recorder.callFinished({ ...call(1), workspace: real });
    recorder.callFinished({ ...call(1), workspace: linked, server: 'memory' });
    recorder.callFinished({ ...call(1), workspace: join(world.root, 'elsewhere'), server: 'other' });
    recorder.close();
    for (const named of [real, linked]) {
      const report = await readServerHealth({ window: 'day', dir: world.dir, now: new Date(T0), workspace: named });
      assert.deepEqual(report.servers.map((server) => server.server).sort(), ['everything', 'memory'], named);
    }
  });

  it('stops counting a server as observed when its last instance is dropped, whatever its state', async () => {
    const clock = new FakeClock(T0);
    const recorder = world.recorder(clock);
    recorder.stateChanged({ ...at(), state: 'running' });
    clock.advance(MINUTE);
    recorder.stateChanged({ ...at(), state: 'failed', reason: 'crash loop' });
    clock.advance(MINUTE);
    recorder.instanceEnded(at());
    clock.advance(60 * MINUTE);
    recorder.close();
    const [server] = (await readServerHealth({ window: 'day', dir: world.dir, now: new Date(clock.now) })).servers;
    assert.equal(server.observedSeconds, 120);
    assert.equal(server.uptime, 0.5);
    assert.equal(server.lastState?.state, 'failed');
  });

  it('counts a server with two instances up only while both run', async () => {
    const clock = new FakeClock(T0);
    const recorder = world.recorder(clock);
    recorder.stateChanged({ ...at('everything#1'), state: 'running' });
    recorder.stateChanged({ ...at('everything#2'), state: 'starting' });
    clock.advance(30_000);
    recorder.stateChanged({ ...at('everything#2'), state: 'running' });
    clock.advance(90_000);
    recorder.stateChanged({ ...at('everything#2'), state: 'stopped', reason: 'the client session ended' });
    recorder.stateChanged({ ...at('everything#1'), state: 'stopped', reason: 'the client session ended' });
    clock.advance(MINUTE);
    recorder.close();
    const [server] = (await readServerHealth({ window: 'day', dir: world.dir, now: new Date(clock.now) })).servers;
    assert.equal(server.observedSeconds, 120);
    assert.equal(server.uptime, 0.75);
  });

  it('a reader that asks sees an idle running server up now, and the slot written in parts still counts once', async () => {
    const clock = new FakeClock(T0);
    const recorder = world.recorder(clock);
    recorder.stateChanged({ ...at(), state: 'running' });
    clock.advance(2 * MINUTE);
    recorder.flush();
    const read = async () =>
      (await readServerHealth({ window: 'day', dir: world.dir, now: new Date(clock.now) })).servers[0];
    assert.equal((await read()).observedSeconds, 0, 'the periodic flush keeps an idle open slot back');
    recorder.flush(true);
    const asked = await read();
    assert.equal(asked.observedSeconds, 120);
    assert.equal(asked.uptime, 1);
    clock.advance(4 * MINUTE);
    recorder.flush();
    assert.equal((await read()).observedSeconds, 300, 'the first slot once, written in two parts');
    recorder.flush(true);
    const later = await read();
    assert.equal(later.observedSeconds, 360, 'and, asked again, the minute of the next');
    assert.equal(later.uptime, 1);
  });

  it('writes an idle server once per five-minute slot, not at every flush', () => {
    const clock = new FakeClock(T0);
    const recorder = world.recorder(clock);
    recorder.stateChanged({ ...at(), state: 'running' });
    for (let flush = 0; flush < 4 * 60; flush++) {
      clock.advance(15_000);
      recorder.flush();
    }
    const lines = world.allText().trim().split('\n');
    assert.equal(lines.length, 1 + 12, 'one state change and twelve slots of the hour');
  });
});
