import { strict as assert } from 'node:assert';
import { appendFileSync, linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readServerHealth } from '@claude-env/mcp';
import { encodeRecord, type TallyRecord } from '../../../mcp/src/health/records';
import { segmentName } from '../../../mcp/src/health/segments';
import { FakeClock, StoreWorld, WS, call } from './healthHelpers';

const DAY = 24 * 3_600_000;
const NOW = Date.parse('2026-03-20T12:00:00Z');

function tally(t: number, calls = 1): TallyRecord {
  return { k: 'm', t, w: WS, s: 'everything', c: calls, e: 0, r: 0, o: 60_000, u: 60_000, h: { 20: calls } };
}

describe('MCP server health: the store on disk', () => {
  let world: StoreWorld;
  afterEach(() => world.dispose());

  it('deletes the segments of days older than the retention when it writes', () => {
    world = new StoreWorld();
    assert.ok(world.writer.write([tally(NOW - DAY)], NOW - DAY));
    // Left by a daemon that last ran days ago.
    for (const daysAgo of [10, 9, 8])
      writeFileSync(join(world.dir, segmentName(NOW - daysAgo * DAY)), encodeRecord(tally(NOW - daysAgo * DAY)));
    assert.equal(world.segments().length, 4);
    world.writer.write([tally(NOW)], NOW);
    assert.deepEqual(world.segments(), [segmentName(NOW - 8 * DAY), segmentName(NOW - DAY), segmentName(NOW)]);
  });

  it('keeps the folder under its size cap, deleting the oldest segments first', () => {
    world = new StoreWorld({ maxBytes: 4_096 });
    const line = encodeRecord(tally(NOW)).length;
    const perDay = Math.floor(1_000 / line);
    for (let daysAgo = 5; daysAgo >= 1; daysAgo--) {
      const time = NOW - daysAgo * DAY;
      world.writer.write(
        Array.from({ length: perDay }, () => tally(time)),
        time,
      );
    }
    assert.equal(world.segments().length, 4, 'the fifth day did not fit next to the four before it');
    assert.equal(world.segments()[0], segmentName(NOW - 4 * DAY));
    world.writer.write(
      Array.from({ length: perDay * 3 }, () => tally(NOW)),
      NOW,
    );
    assert.deepEqual(world.segments(), [segmentName(NOW - DAY), segmentName(NOW)]);
    assert.ok(world.allText().length <= 4_096);
    // Today's segment alone at the cap: the records are dropped, said once, and nothing grows.
    const big = Array.from({ length: perDay * 4 }, () => tally(NOW));
    assert.equal(world.writer.write(big, NOW), false);
    assert.equal(world.writer.write(big, NOW), false);
    assert.ok(world.allText().length <= 4_096);
    assert.equal(world.logged.filter((entry) => /cap/.test(entry)).length, 1);
  });

  it('counts a damaged line and a partial last line, reads the rest, and starts the next write on a new line', async () => {
    world = new StoreWorld();
    world.writer.write([tally(NOW - 60_000, 3)], NOW);
    const segment = join(world.dir, segmentName(NOW));
    appendFileSync(segment, 'not json\n{"k":"m","t":1,"w":"x"}\n{"k":"m","t":');
    const damaged = await readServerHealth({ window: 'day', dir: world.dir, now: new Date(NOW) });
    assert.equal(damaged.store.damagedRecords, 3);
    assert.equal(damaged.servers[0].calls, 3);
    world.writer.write([tally(NOW - 30_000, 4)], NOW);
    const after = await readServerHealth({ window: 'day', dir: world.dir, now: new Date(NOW) });
    assert.equal(after.servers[0].calls, 7, 'the record after the cut line is whole');
    assert.equal(after.store.damagedRecords, 3);
  });

  it('refuses a symbolic link in place of a segment: it neither writes through it nor reads it', async () => {
    world = new StoreWorld();
    world.writer.write([tally(NOW - DAY)], NOW - DAY);
    const outside = join(world.root, 'elsewhere.jsonl');
    writeFileSync(outside, encodeRecord(tally(NOW - 60_000, 50)));
    symlinkSync(outside, join(world.dir, segmentName(NOW)));
    assert.equal(world.writer.write([tally(NOW)], NOW), false);
    assert.equal(readFileSync(outside, 'utf8'), encodeRecord(tally(NOW - 60_000, 50)), 'the target is untouched');
    assert.match(world.logged.join('\n'), /is a symbolic link; refusing to follow it/);
    const report = await readServerHealth({ window: 'day', dir: world.dir, now: new Date(NOW) });
    assert.equal(report.servers[0]?.calls ?? 0, 0, "the link's target was not read");
    assert.match(report.store.problems?.join('\n') ?? '', /symbolic link/);
  });

  it('refuses a hard link in place of a segment, and a store folder that is a symbolic link', async () => {
    world = new StoreWorld();
    world.writer.write([tally(NOW - DAY)], NOW - DAY);
    const outside = join(world.root, 'other-file');
    writeFileSync(outside, '');
    linkSync(outside, join(world.dir, segmentName(NOW)));
    assert.equal(world.writer.write([tally(NOW)], NOW), false);
    assert.equal(readFileSync(outside, 'utf8'), '');
    assert.match(world.logged.join('\n'), /2 links/);

    const real = join(world.root, 'real');
    mkdirSync(real, { mode: 0o700 });
    const linked = join(world.root, 'linked');
    symlinkSync(real, linked);
    const report = await readServerHealth({ window: 'day', dir: linked, now: new Date(NOW) });
    assert.match(report.store.problems?.join('\n') ?? '', /not a folder/);
  });

  it('reads an empty report, not an error, when nothing was ever recorded', async () => {
    world = new StoreWorld();
    const report = await readServerHealth({ window: 'week', dir: world.dir, now: new Date(NOW) });
    assert.deepEqual(report.servers, []);
    assert.equal(report.store.damagedRecords, 0);
    assert.equal(report.store.problems, undefined);
  });

  it('keeps argument values and the environment out of the store', () => {
    world = new StoreWorld();
    const canary = 'CANARY-7f3e-secret-value';
    const clock = new FakeClock(NOW);
    const recorder = world.recorder(clock);
    // The observer never gets arguments; the target (a tool name or a resource URI, which may embed a token) is
    // the nearest thing, and it is not stored either.
    recorder.callFinished({ ...call(3), target: `file:///tmp/${canary}` });
    recorder.stateChanged({ server: 'everything', workspace: WS, instance: 'everything#1', state: 'running' });
    recorder.close();
    assert.ok(world.allText().length > 0);
    assert.ok(!world.allText().includes(canary));
  });
});
