import { strict as assert } from 'node:assert';
import { DEFAULT_SUPERVISION, type SupervisionOptions } from '../../engine/src/types';
import { RestartPolicy } from '@claude-env/mcp';

function policy(options: Partial<SupervisionOptions>, random: () => number, clock: { now: number }) {
  return new RestartPolicy(
    { ...DEFAULT_SUPERVISION, ...options },
    { backoffBaseMs: 500, backoffMaxMs: 4_000, backoffJitter: 0.2, random },
    () => clock.now,
  );
}

describe('restart policy', () => {
  it('doubles the delay per restart within the window, up to the ceiling, with jitter within ±20 %', () => {
    const clock = { now: 0 };
    const low = policy({ maxRestarts: 10 }, () => 0, clock);
    const high = policy({ maxRestarts: 10 }, () => 0.999999, clock);
    const delays = (p: RestartPolicy) =>
      Array.from({ length: 6 }, () => {
        const decision = p.decide('failure');
        assert.equal(decision.action, 'restart');
        return decision.action === 'restart' ? decision.delayMs : 0;
      });
    assert.deepEqual(delays(low), [400, 800, 1600, 3200, 3200, 3200]);
    assert.deepEqual(delays(high), [600, 1200, 2400, 4800, 4800, 4800]);
  });

  it('fails after maxRestarts within crashLoopWindow, and starts over once the window has passed', () => {
    const clock = { now: 0 };
    const p = policy({ maxRestarts: 2, crashLoopWindowMs: 10_000 }, () => 0.5, clock);
    assert.equal(p.decide('failure').action, 'restart');
    clock.now = 1_000;
    assert.equal(p.decide('failure').action, 'restart');
    clock.now = 2_000;
    const capped = p.decide('failure');
    assert.equal(capped.action, 'fail');
    assert.match(capped.action === 'fail' ? capped.reason : '', /crash loop: 2 restarts within 10 s \(maxRestarts 2\)/);
    clock.now = 12_000;
    const fresh = p.decide('failure');
    assert.deepEqual(fresh, { action: 'restart', delayMs: 500, attempt: 1 }, 'back to the base delay');
  });

  it('restarts a clean exit only under "always", and nothing under "never"', () => {
    const clock = { now: 0 };
    assert.equal(policy({ restart: 'on-failure' }, () => 0.5, clock).decide('clean').action, 'stay');
    assert.equal(policy({ restart: 'always' }, () => 0.5, clock).decide('clean').action, 'restart');
    assert.equal(policy({ restart: 'never' }, () => 0.5, clock).decide('failure').action, 'stay');
  });
});
