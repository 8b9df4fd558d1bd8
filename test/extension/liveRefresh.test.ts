import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LiveRefresh, type ThrottleClock } from '../../extension/src/dashboard/liveRefresh';
import { followFleetChanges } from '../../extension/src/dashboard/fleetChanges';
import { gatewayPaths } from '@claude-env/mcp';
import { newTag } from '../helpers/mcp';
import { EVERYTHING, GatewayWorld } from '../mcp/gatewayHelpers';

/** Timers the test fires by moving the clock. */
class FakeTimers implements ThrottleClock {
  time = 1_000_000;
  private readonly timers = new Map<number, { at: number; run: () => void }>();
  private next = 0;
  readonly now = () => this.time;
  readonly setTimeout = (run: () => void, ms: number) => {
    this.timers.set(++this.next, { at: this.time + ms, run });
    return this.next;
  };
  readonly clearTimeout = (handle: unknown) => void this.timers.delete(handle as number);
  get pending(): number {
    return this.timers.size;
  }
  advance(ms: number): void {
    this.time += ms;
    for (const [handle, timer] of [...this.timers].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > this.time) continue;
      this.timers.delete(handle);
      timer.run();
    }
  }
}

/** A LiveRefresh over fake timers, its reads (by clock time), and the change callback it follows. */
function setUp(intervalMs = 15_000) {
  const clock = new FakeTimers();
  const reads: number[] = [];
  const follows = { started: 0, stopped: 0, changed: () => undefined as void };
  const live = new LiveRefresh(
    async () => reads.push(clock.time),
    (changed) => {
      follows.started++;
      follows.changed = changed;
      return { dispose: () => void follows.stopped++ };
    },
    intervalMs,
    clock,
  );
  return { clock, reads, follows, live, start: clock.time };
}

describe('the dashboard’s live server history', () => {
  it('reads after a change at most once per interval, on the trailing edge so the last change shows', async () => {
    const { clock, reads, follows, live, start } = setUp();
    live.setVisible(true);
    await live.readNow();
    assert.deepEqual(reads, [start], 'the panel opened');
    for (let second = 1; second <= 10; second++) {
      clock.advance(1_000);
      follows.changed();
    }
    assert.deepEqual(reads, [start], 'a burst of changes waits for the interval');
    assert.equal(clock.pending, 1, 'one timer, however many changes');
    clock.advance(4_999);
    assert.equal(reads.length, 1);
    clock.advance(1);
    assert.deepEqual(reads, [start, start + 15_000], 'one read at the end of the interval');
    assert.equal(clock.pending, 0);
    clock.advance(60_000);
    follows.changed();
    assert.deepEqual(reads.slice(2), [start + 75_000], 'a change after a quiet interval reads at once');
    follows.changed();
    clock.advance(15_000);
    assert.deepEqual(reads.slice(3), [start + 90_000]);
  });

  it('follows nothing, holds no timer and reads nothing while the panel is hidden, and reads when shown again', async () => {
    const { clock, reads, follows, live, start } = setUp();
    assert.equal(follows.started, 0, 'not followed before the panel shows');
    live.setVisible(true);
    await live.readNow();
    clock.advance(1_000);
    follows.changed();
    assert.equal(clock.pending, 1);
    const changedWhileShown = follows.changed;
    live.setVisible(false);
    assert.equal(clock.pending, 0, 'the waiting read is dropped');
    assert.deepEqual([follows.started, follows.stopped], [1, 1], 'the subscription ends');
    assert.equal(live.followed, false);
    changedWhileShown();
    clock.advance(120_000);
    assert.deepEqual(reads, [start], 'nothing read while hidden');
    assert.equal(clock.pending, 0);
    live.setVisible(true);
    assert.equal(follows.started, 2, 'followed again once shown');
    await live.readNow();
    assert.deepEqual(reads, [start, start + 121_000]);
    live.dispose();
    live.setVisible(true);
    assert.deepEqual([follows.started, follows.stopped], [2, 2], 'a disposed panel follows nothing');
  });

  it('counts an explicit read (Refresh, shown again) as the last read: the next change waits its interval', async () => {
    const { clock, reads, follows, live, start } = setUp();
    live.setVisible(true);
    follows.changed();
    assert.deepEqual(reads, [start], 'the first change reads at once');
    clock.advance(20_000);
    follows.changed();
    clock.advance(5_000);
    await live.readNow();
    assert.equal(clock.pending, 0, 'Refresh covers the change waiting for its turn');
    follows.changed();
    clock.advance(14_999);
    assert.equal(reads.length, 3);
    clock.advance(1);
    assert.deepEqual(reads, [start, start + 20_000, start + 25_000, start + 40_000]);
  });
});

describe('the dashboard’s view of the daemon’s fleet changes', function () {
  this.timeout(120_000);
  let world: GatewayWorld | undefined;
  afterEach(async () => {
    if (world) assert.deepEqual(await world.dispose(), [], 'no process of the test may outlive it');
    world = undefined;
  });

  it('asks nothing of the daemon and creates no folder in an untrusted window', () => {
    world = new GatewayWorld(newTag());
    const paths = gatewayPaths({ ...world.env, XDG_RUNTIME_DIR: join(world.root, 'not-created') });
    let changes = 0;
    const following = followFleetChanges(
      { fleet: undefined, trusted: () => false, paths, log: () => undefined },
      () => changes++,
    );
    following.dispose();
    assert.equal(existsSync(join(world.root, 'not-created')), false);
    assert.equal(changes, 0);
  });

  it('with no view of the fleet, subscribes on its own and hears a call made through the shim', async () => {
    world = new GatewayWorld(newTag());
    world.writeLayer({ everything: EVERYTHING });
    const client = await world.connect('everything');
    let heard = false;
    const following = followFleetChanges(
      { fleet: undefined, trusted: () => true, paths: world.paths, log: () => undefined },
      () => (heard = true),
    );
    try {
      // The subscription's first status is the fleet as it was (not a change): calls until one is pushed as one.
      let calls = 0;
      while (!heard) {
        await client.callTool({ name: 'echo', arguments: { message: `live ${calls}` } });
        calls++;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      assert.ok(calls >= 1);
    } finally {
      following.dispose();
    }
  });
});
