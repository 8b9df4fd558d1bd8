import { strict as assert } from 'node:assert';
import { LogRing, MAX_LINE_CHARS } from '@claude-env/mcp';

describe('log ring', () => {
  it('drops the oldest lines to stay within its byte bound', () => {
    const ring = new LogRing(10_000);
    for (let i = 0; i < 5_000; i++) ring.push({ time: i, source: 'stderr', text: `line ${i} ${'x'.repeat(100)}` });
    assert.ok(ring.size <= 10_000);
    const kept = ring.snapshot();
    assert.equal(kept[kept.length - 1].time, 4_999, 'the newest line is kept');
    assert.equal(kept[0].time, 5_000 - kept.length, 'kept lines are contiguous, oldest first');
    assert.equal(ring.dropped, 5_000 - kept.length);
  });

  it('truncates a single huge line instead of letting it evict everything', () => {
    const ring = new LogRing(64 * 1024);
    ring.push({ time: 0, source: 'stderr', text: 'before' });
    ring.push({ time: 1, source: 'stderr', text: 'y'.repeat(10 * 1024 * 1024) });
    const kept = ring.snapshot();
    assert.equal(kept.length, 2);
    assert.ok(kept[1].text.length < MAX_LINE_CHARS + 20);
    assert.ok(kept[1].text.endsWith('…[truncated]'));
  });
});
