import { strict as assert } from 'node:assert';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readServerHealth, readServerHealthWindows } from '@claude-env/mcp';
import { encodeRecord, type HealthRecord, type TallyRecord } from '../../../mcp/src/health/records';
import { segmentName } from '../../../mcp/src/health/segments';
import { StoreWorld, WS } from './healthHelpers';

const DAY = 24 * 3_600_000;
const SLOT = 5 * 60_000;
const NOW = Date.parse('2026-03-20T12:00:00Z');

function tally(t: number, server: string, calls: number): TallyRecord {
  return { k: 'm', t, w: WS, s: server, c: calls, e: calls % 3, r: 0, o: SLOT, u: SLOT - 1_000, h: { 20: calls } };
}

/** Writes `days` days of `servers` servers straight into the segments: one tally per server and slot. */
function writeDays(world: StoreWorld, days: number, servers: number): number {
  mkdirSync(world.dir, { recursive: true, mode: 0o700 });
  let lines = 0;
  for (let day = days - 1; day >= 0; day--) {
    const records: HealthRecord[] = [];
    const start = Math.floor((NOW - day * DAY) / DAY) * DAY;
    for (let t = start; t < start + DAY && t <= NOW; t += SLOT)
      for (let server = 0; server < servers; server++) records.push(tally(t, `server-${server}`, 1 + ((t / SLOT) % 7)));
    writeFileSync(join(world.dir, segmentName(start)), records.map(encodeRecord).join(''), { mode: 0o600 });
    lines += records.length;
  }
  return lines;
}

describe('MCP server health: reading the store', () => {
  let world: StoreWorld;
  afterEach(() => world.dispose());

  it('keeps the event loop running while it reads a week of many servers', async () => {
    world = new StoreWorld();
    const lines = writeDays(world, 8, 40);
    assert.ok(lines > 80_000, `${lines} lines`);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    try {
      const reading = readServerHealth({ window: 'week', dir: world.dir, now: new Date(NOW) });
      const report = await reading;
      // A reader that held the loop for the whole read would let the timer tick at most once meanwhile.
      assert.ok(ticks >= 5, `the 1 ms timer ran ${ticks} times during the read`);
      assert.equal(report.servers.length, 40);
      assert.equal(report.store.damagedRecords, 0);
    } finally {
      clearInterval(ticker);
    }
  });

  it('gives the day and the week from one pass as two reads give them', async () => {
    world = new StoreWorld();
    writeDays(world, 8, 3);
    appendFileSync(join(world.dir, segmentName(NOW)), 'not a record\n');
    const both = await readServerHealthWindows({ windows: ['day', 'week'], dir: world.dir, now: new Date(NOW) });
    const day = await readServerHealth({ window: 'day', dir: world.dir, now: new Date(NOW) });
    const week = await readServerHealth({ window: 'week', dir: world.dir, now: new Date(NOW) });
    assert.deepEqual(both.day, day);
    assert.deepEqual(both.week, week);
    assert.ok(week.servers[0].calls > day.servers[0].calls);
    assert.equal(both.day.store.damagedRecords, 1);
  });

  it('counts an over-long line once, without holding it, and reads the records after it', async () => {
    world = new StoreWorld();
    mkdirSync(world.dir, { recursive: true, mode: 0o700 });
    const segment = join(world.dir, segmentName(NOW));
    const long = `{"k":"m","w":"${'x'.repeat(3 * 1024 * 1024)}"}\n`;
    writeFileSync(segment, encodeRecord(tally(NOW - SLOT, 'a', 2)) + long + encodeRecord(tally(NOW - SLOT, 'b', 5)), {
      mode: 0o600,
    });
    const report = await readServerHealth({ window: 'day', dir: world.dir, now: new Date(NOW) });
    assert.deepEqual(
      report.servers.map((server) => [server.server, server.calls]),
      [
        ['a', 2],
        ['b', 5],
      ],
    );
    assert.equal(report.store.damagedRecords, 1);
  });

  it('reads reasons in any script whole, wherever a read ends inside a character', async () => {
    world = new StoreWorld();
    mkdirSync(world.dir, { recursive: true, mode: 0o700 });
    const why = 'сервер упал: код 1 — 再起動 ✓';
    const records = Array.from({ length: 3_000 }, (_, index) =>
      encodeRecord({
        k: 's',
        t: NOW - 3_000 + index,
        w: WS,
        s: 'everything',
        state: 'crashed',
        why: `${why} ${index}`,
      }),
    );
    writeFileSync(join(world.dir, segmentName(NOW)), records.join(''), { mode: 0o600 });
    assert.ok(records.join('').length > 3 * 64 * 1024, 'the segment spans several reads');
    const report = await readServerHealth({ window: 'day', dir: world.dir, now: new Date(NOW) });
    assert.equal(report.store.damagedRecords, 0);
    assert.equal(report.servers[0].lastState?.reason, `${why} 2999`);
  });
});
