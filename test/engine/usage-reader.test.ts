import { strict as assert } from 'node:assert';
import { appendFileSync, mkdirSync, renameSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bundledPriceTable,
  loadTranscriptIndex,
  saveTranscriptIndex,
  TranscriptIndex,
  transcriptRoots,
  usageRows,
  type UsageRow,
} from '@claude-env/engine';
import { assistantLine, generateTranscripts } from '../helpers/transcripts';
import { tempFolder } from '../helpers/workspace';

const prices = bundledPriceTable();

function daily(index: TranscriptIndex, utc = true): UsageRow[] {
  return usageRows(index.buckets, { groupBy: 'day', prices, utc });
}

function tokensByDay(rows: UsageRow[]) {
  return Object.fromEntries(
    rows.map((row) => [
      row.key,
      { input: row.input, output: row.output, cacheCreation: row.cacheCreation, cacheRead: row.cacheRead },
    ]),
  );
}

/** A config folder with one project folder, and the index over it. */
function project(): { config: string; folder: string; index: () => TranscriptIndex } {
  const config = tempFolder('claude-env-usage-');
  const folder = join(config, 'projects', '-home-dev-app');
  mkdirSync(folder, { recursive: true });
  return { config, folder, index: () => new TranscriptIndex(transcriptRoots({ CLAUDE_CONFIG_DIR: config })) };
}

describe('usage: reading transcripts', function () {
  this.timeout(120_000);

  it('counts the tokens of every day as the generator wrote them, across projects, sessions and subagents', async () => {
    const config = tempFolder('claude-env-usage-');
    const generated = generateTranscripts(config, { projects: 12, lines: 30_000, seed: 7 });
    const index = new TranscriptIndex(transcriptRoots({ CLAUDE_CONFIG_DIR: config }));
    const stats = await index.refresh();
    assert.equal(stats.files, generated.files.length);
    assert.ok(
      generated.files.some((file) => file.includes('/subagents/')),
      'the fixture has subagent files',
    );
    assert.deepEqual(tokensByDay(daily(index)), Object.fromEntries([...generated.days].sort()));
    assert.equal(index.malformedCount, generated.malformed, 'every malformed line is counted');
    assert.ok(index.duplicateLines > 0, 'streamed repeats were seen and left out');
  });

  it('reads only the appended bytes on a refresh', async () => {
    const { folder, index: open } = project();
    const file = join(folder, 's.jsonl');
    writeFileSync(file, assistantLine({ id: 'm1', requestId: 'r1', timestamp: '2026-11-02T10:00:00Z', output: 10 }));
    const index = open();
    await index.refresh();
    const appended = assistantLine({ id: 'm2', requestId: 'r2', timestamp: '2026-11-02T11:00:00Z', output: 5 });
    appendFileSync(file, appended);
    const stats = await index.refresh();
    assert.equal(stats.bytesRead, Buffer.byteLength(appended));
    assert.equal(stats.linesRead, 1);
    assert.equal(daily(index)[0].output, 15);
    assert.equal((await index.refresh()).bytesRead, 0, 'nothing new, nothing read');
  });

  it('waits for a half-written last line and counts it once it is complete', async () => {
    const { folder, index: open } = project();
    const file = join(folder, 's.jsonl');
    const line = assistantLine({ id: 'm1', requestId: 'r1', timestamp: '2026-11-02T10:00:00Z', output: 42 });
    writeFileSync(file, line.slice(0, 50));
    const index = open();
    await index.refresh();
    assert.equal(index.buckets.size, 0);
    assert.equal(index.malformedCount, 0, 'a line still being written is not malformed');
    appendFileSync(file, line.slice(50));
    await index.refresh();
    assert.equal(daily(index)[0].output, 42);
    assert.equal(index.malformedCount, 0);
  });

  it('counts a message streamed over several lines once, also when a resumed session copies it', async () => {
    const { folder, index: open } = project();
    const line = assistantLine({ id: 'm1', requestId: 'r1', timestamp: '2026-11-02T10:00:00Z', output: 7, input: 3 });
    writeFileSync(join(folder, 'a.jsonl'), line + line + line);
    writeFileSync(join(folder, 'b.jsonl'), line);
    const noIds = assistantLine({ timestamp: '2026-11-02T10:00:00Z', output: 1 });
    writeFileSync(join(folder, 'c.jsonl'), noIds + noIds);
    const index = open();
    await index.refresh();
    assert.equal(daily(index)[0].output, 9, 'the streamed message once, the two lines without ids twice');
    assert.equal(index.duplicateLines, 3);
  });

  it('reports malformed lines with file and line and goes on', async () => {
    const { folder, index: open } = project();
    const file = join(folder, 's.jsonl');
    writeFileSync(
      file,
      '{"message":{"usage":{"input_tokens":1,\n' +
        'not json at all\n' +
        assistantLine({ id: 'm', requestId: 'r', timestamp: 'yesterday', output: 1 }) +
        assistantLine({ id: 'n', requestId: 'r', timestamp: '2026-11-02T10:00:00Z', output: -5 }) +
        assistantLine({ id: 'o', requestId: 'r', timestamp: '2026-11-02T10:00:00Z', output: 8 }),
    );
    const index = open();
    await index.refresh();
    assert.equal(index.malformedCount, 4);
    assert.deepEqual(
      index.malformed.map((entry) => [entry.line, entry.reason]),
      [
        [1, 'not valid JSON'],
        [2, 'not a JSON object'],
        [3, 'no valid timestamp'],
        [4, 'token counts that are not non-negative numbers'],
      ],
    );
    assert.equal(index.malformed[0].file, file);
    assert.equal(daily(index)[0].output, 8);
  });

  it('starts over when a file is truncated or replaced by another at the same path', async () => {
    const { folder, index: open } = project();
    const file = join(folder, 's.jsonl');
    const first = assistantLine({ id: 'm1', requestId: 'r1', timestamp: '2026-11-02T10:00:00Z', output: 10 });
    const second = assistantLine({ id: 'm2', requestId: 'r2', timestamp: '2026-11-02T10:00:00Z', output: 20 });
    writeFileSync(file, first + second);
    const index = open();
    await index.refresh();
    truncateSync(file, Buffer.byteLength(first));
    assert.equal((await index.refresh()).rebuilt, true);
    assert.equal(daily(index)[0].output, 10);

    renameSync(file, join(folder, 'old.jsonl.bak'));
    writeFileSync(file, second + first + first);
    const stats = await index.refresh();
    assert.equal(stats.rebuilt, true, 'same path, same size or larger, another file');
    assert.equal(daily(index)[0].output, 30);
  });

  it('keeps the read state between runs, so the next run reads only what was appended', async () => {
    const { config, folder } = project();
    const file = join(folder, 's.jsonl');
    writeFileSync(file, assistantLine({ id: 'm1', requestId: 'r1', timestamp: '2026-11-02T10:00:00Z', output: 10 }));
    const roots = transcriptRoots({ CLAUDE_CONFIG_DIR: config });
    const statePath = join(tempFolder('claude-env-state-'), 'index.json');
    const first = loadTranscriptIndex(roots, statePath);
    await first.refresh();
    await saveTranscriptIndex(first, statePath);
    const line = assistantLine({ id: 'm2', requestId: 'r2', timestamp: '2026-11-03T10:00:00Z', output: 5 });
    // The first message again: the saved ids keep it from counting twice.
    const repeat = assistantLine({ id: 'm1', requestId: 'r1', timestamp: '2026-11-02T10:00:00Z', output: 10 });
    appendFileSync(file, line + repeat);
    const second = loadTranscriptIndex(roots, statePath);
    const stats = await second.refresh();
    assert.equal(stats.bytesRead, Buffer.byteLength(line + repeat));
    assert.deepEqual(
      daily(second).map((row) => [row.key, row.output]),
      [
        ['2026-11-02', 10],
        ['2026-11-03', 5],
      ],
    );
    const otherRoots = loadTranscriptIndex(['/elsewhere/projects'], statePath);
    assert.equal(otherRoots.cursors.size, 0, 'a state saved for other folders is not used');
  });

  it('cuts days in local time unless asked for UTC', async () => {
    const { folder, index: open } = project();
    writeFileSync(join(folder, 's.jsonl'), assistantLine({ timestamp: '2026-11-02T20:00:00Z', output: 3 }));
    const previous = process.env.TZ;
    process.env.TZ = 'Asia/Kolkata';
    try {
      const index = open();
      await index.refresh();
      assert.equal(daily(index, false)[0].key, '2026-11-03', '20:00 UTC is 01:30 the next day in India');
      assert.equal(daily(index, true)[0].key, '2026-11-02');
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });

  it('finds ~/.config/claude and ~/.claude, and does not follow a link out of the projects folder', async () => {
    const home = tempFolder('claude-env-home-');
    for (const dir of [join(home, '.config', 'claude', 'projects', 'p'), join(home, '.claude', 'projects', 'q')])
      mkdirSync(dir, { recursive: true });
    const roots = transcriptRoots({ HOME: home });
    assert.deepEqual(roots, [join(home, '.config', 'claude', 'projects'), join(home, '.claude', 'projects')]);
    const outside = tempFolder('claude-env-outside-');
    writeFileSync(join(outside, 'x.jsonl'), assistantLine({ timestamp: '2026-11-02T10:00:00Z', output: 3 }));
    symlinkSync(outside, join(home, '.claude', 'projects', 'q', 'linked'));
    const index = new TranscriptIndex(roots);
    assert.equal((await index.refresh()).files, 0);
  });
});
