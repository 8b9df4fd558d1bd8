import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledPriceTable, TranscriptIndex, transcriptRoots, usageSummary } from '@claude-env/engine';
import { assistantLine, UNPRICED_MODEL } from '../helpers/transcripts';
import { tempFolder } from '../helpers/workspace';

describe('usage: the dashboard summary', () => {
  it("shows this project's and all projects' days, month and today's sessions, and the budget", async () => {
    const config = tempFolder('claude-env-usage-');
    const here = '/home/dev/web';
    const write = (project: string, session: string, lines: string[]) => {
      const folder = join(config, 'projects', project.replace(/[^A-Za-z0-9]/g, '-'));
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, `${session}.jsonl`), lines.join(''));
    };
    const now = new Date(2026, 11, 11, 15, 0); // 11 December, 15:00 local
    const at = (day: number, hour: number) => new Date(2026, 11, day, hour).toISOString();
    write(here, 'today', [
      assistantLine({
        id: 'a',
        requestId: 'r',
        timestamp: at(11, 9),
        costUSD: 2,
        output: 100,
        sessionId: 'today',
        cwd: here,
      }),
      assistantLine({
        id: 'b',
        requestId: 'r',
        timestamp: at(11, 10),
        model: UNPRICED_MODEL,
        output: 50,
        sessionId: 'today',
      }),
    ]);
    write(here, 'earlier', [
      assistantLine({ id: 'c', requestId: 'r', timestamp: at(1, 12), costUSD: 8, sessionId: 'earlier', cwd: here }),
    ]);
    write('/home/dev/api', 'other', [
      assistantLine({ id: 'd', requestId: 'r', timestamp: at(11, 11), costUSD: 5, sessionId: 'other' }),
      assistantLine({ id: 'e', requestId: 'r', timestamp: new Date(2026, 9, 1).toISOString(), costUSD: 99 }),
    ]);
    const index = new TranscriptIndex(transcriptRoots({ CLAUDE_CONFIG_DIR: config }));
    await index.refresh();
    const summary = usageSummary(index, { prices: bundledPriceTable(), folder: here, monthlyBudget: 20, now });

    assert.equal(summary.projectName, 'web');
    assert.deepEqual(
      summary.project?.days.map((day) => day.day),
      ['2026-12-01', '2026-12-11'],
    );
    assert.equal(summary.project?.month.costUSD, 10);
    assert.equal(summary.project?.month.unknownPriceTokens, 50);
    assert.deepEqual(
      summary.project?.sessionsToday.map((s) => [s.session, s.project, s.costUSD]),
      [['today', here, 2]],
    );
    assert.equal(summary.all.month.costUSD, 15, 'October is outside the month and the 30 days');
    assert.deepEqual(
      summary.all.sessionsToday.map((s) => s.session),
      ['other', 'today'],
      'latest first',
    );
    assert.equal(summary.budget?.spentUSD, 10);
    assert.equal(summary.budget?.fraction, 0.5);
    assert.deepEqual(summary.unknownPriceModels, [UNPRICED_MODEL]);
  });

  it('has no project scope for a folder the transcripts do not know', async () => {
    const index = new TranscriptIndex([]);
    await index.refresh();
    const summary = usageSummary(index, { prices: bundledPriceTable(), folder: '/nowhere', now: new Date() });
    assert.equal(summary.project, undefined);
    assert.deepEqual(summary.all.days, []);
    assert.equal(summary.budget, undefined);
  });
});
