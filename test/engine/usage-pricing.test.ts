import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  budgetStatus,
  bundledPriceTable,
  loadRateLimits,
  priceFor,
  priceTableFor,
  rateLimitsOf,
  saveRateLimits,
  TranscriptIndex,
  transcriptRoots,
  usageRows,
} from '@claude-env/engine';
import { mergeTexts } from '../helpers/stack';
import { assistantLine } from '../helpers/transcripts';
import { tempFolder } from '../helpers/workspace';

async function indexOf(lines: string[]): Promise<TranscriptIndex> {
  const config = tempFolder('claude-env-usage-');
  const folder = join(config, 'projects', '-home-dev-app');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 's.jsonl'), lines.join(''));
  const index = new TranscriptIndex(transcriptRoots({ CLAUDE_CONFIG_DIR: config }));
  await index.refresh();
  return index;
}

const MILLION = 1_000_000;

describe('usage: prices and cost', () => {
  const table = bundledPriceTable();

  it('finds a model by its id with a release date or a context suffix, and never one of another version', () => {
    assert.equal(priceFor(table, 'claude-sonnet-4-5-20250929', '2026-11-01')?.input, 3);
    assert.equal(priceFor(table, 'claude-opus-4-5[1m]', '2026-11-01')?.output, 25);
    assert.equal(priceFor(table, 'claude-opus-5-5-thinking', '2026-11-01')?.input, 4, 'a variant keeps its prices');
    assert.equal(priceFor(table, 'claude-opus-4-9', '2026-11-01'), undefined, 'not Opus 4 prices for Opus 4.9');
    assert.equal(priceFor(table, 'claude-nova-7', '2026-11-01'), undefined);
  });

  it('uses the price that was valid on the day (Sonnet 5.5 cache reads before and after 2026-10-07)', () => {
    assert.equal(priceFor(table, 'claude-sonnet-5-5', '2026-10-06')?.cacheRead, 0.2);
    assert.equal(priceFor(table, 'claude-sonnet-5-5', '2026-10-07')?.cacheRead, 0.1);
  });

  it('prices each token kind, 1-hour cache writes apart, and says where each dollar came from', async () => {
    const index = await indexOf([
      assistantLine({
        id: 'a',
        requestId: 'r',
        model: 'claude-opus-5-5',
        timestamp: '2026-11-02T10:00:00Z',
        input: MILLION,
        output: MILLION,
        cacheCreation: 2 * MILLION,
        oneHour: MILLION,
        cacheRead: MILLION,
      }),
      assistantLine({ id: 'b', requestId: 'r', timestamp: '2026-11-02T10:00:00Z', output: MILLION, costUSD: 1.5 }),
    ]);
    const [row] = usageRows(index.buckets, { groupBy: 'day', prices: table, utc: true });
    // Opus 5.5: 4 input + 20 output + 5 (5-minute write) + 8 (1-hour write) + 0.2 read.
    assert.equal(row.computedUSD.toFixed(4), '37.2000');
    assert.equal(row.reportedUSD, 1.5, "Claude Code's own figure, not the table's $10 for a million Sonnet output");
    assert.equal(row.costUSD.toFixed(4), '38.7000');
    assert.equal(row.unknownPriceTokens, 0);
  });

  it('shows the tokens of a model without a price as unknown, not as free', async () => {
    const index = await indexOf([
      assistantLine({
        id: 'a',
        requestId: 'r',
        model: 'claude-nova-7',
        timestamp: '2026-11-02T10:00:00Z',
        output: 500,
      }),
    ]);
    const [row] = usageRows(index.buckets, { groupBy: 'day', prices: table, utc: true });
    assert.equal(row.unknownPriceTokens, 500);
    assert.equal(row.models['claude-nova-7'].unknownPriceTokens, 500);
    assert.equal(row.costUSD, 0);
  });

  it("lays the org's pricing: over the table, team fields over base fields, and ignores it elsewhere", async () => {
    const project = 'pricing:\n  claude-sonnet-5-5:\n    output: 1\n';
    const environment = mergeTexts([
      {
        kind: 'base',
        text: 'pricing:\n  claude-nova-7:\n    input: 1\n    output: 2\n  claude-opus-5-5:\n    input: 3\n',
      },
      { kind: 'team', label: 'team web', text: 'pricing:\n  claude-nova-7:\n    output: 4\n' },
      { kind: 'project', text: project },
    ]);
    const warning = environment.diagnostics.find((d) => d.code === 'pricing.notHonoured');
    assert.ok(warning, 'project pricing is reported as ignored');
    assert.equal(warning.severity, 'warning');
    const prices = priceTableFor(environment);
    assert.deepEqual(priceFor(prices, 'claude-nova-7', '2026-11-01'), {
      input: 1,
      output: 4,
      cacheWrite: 1.25,
      cacheWrite1h: 2,
      cacheRead: 0.1,
    });
    assert.equal(prices.fromLayers['claude-nova-7'], 'team web');
    assert.equal(priceFor(prices, 'claude-opus-5-5', '2026-11-01')?.output, 20, 'fields not given stay bundled');
    assert.equal(priceFor(prices, 'claude-sonnet-5-5', '2026-11-01')?.output, 10, 'the project cannot set prices');
  });
});

describe('usage: prices locked by the organisation', () => {
  it('keeps a locked price when a team changes it, with the lock error at the team line', () => {
    const environment = mergeTexts([
      {
        kind: 'base',
        text: 'pricing:\n  claude-nova-7:\n    input: 1\n    output: 2\npolicy:\n  locked: [pricing.claude-nova-7.output]\n',
      },
      { kind: 'team', text: 'pricing:\n  claude-nova-7:\n    output: 9\n' },
    ]);
    assert.deepEqual(
      environment.diagnostics.map((d) => d.code),
      ['policy.lockedKey'],
    );
    assert.equal(priceFor(priceTableFor(environment), 'claude-nova-7', '2026-11-01')?.output, 2);
  });
});

describe('usage: budgets in the layers', () => {
  it('refuses a project budget above the base budget, at its line, and keeps the lower one', () => {
    const project = 'budgets:\n  monthly: 800\n';
    const environment = mergeTexts([
      { kind: 'base', text: 'budgets:\n  monthly: 500\n' },
      { kind: 'project', text: project },
    ]);
    const [error] = environment.diagnostics;
    assert.equal(error.code, 'budget.raised');
    assert.equal(error.severity, 'error');
    assert.equal(error.file, '/org/project-1.yaml');
    assert.deepEqual(error.range.start, { line: 1, character: 11 });
    assert.equal(error.related?.[0].file, '/org/base-0.yaml');
    assert.equal(environment.value.budgets?.monthly, 500);
  });

  it('lets team and project lower it, and refuses raising a team budget even below the base one', () => {
    const lowered = mergeTexts([
      { kind: 'base', text: 'budgets:\n  monthly: 500\n' },
      { kind: 'team', text: 'budgets:\n  monthly: 300\n' },
      { kind: 'project', text: 'budgets:\n  monthly: 200\n' },
    ]);
    assert.deepEqual(lowered.diagnostics, []);
    assert.equal(lowered.value.budgets?.monthly, 200);
    const raised = mergeTexts([
      { kind: 'base', text: 'budgets:\n  monthly: 500\n' },
      { kind: 'team', text: 'budgets:\n  monthly: 300\n' },
      { kind: 'project', text: 'budgets:\n  monthly: 400\n' },
    ]);
    assert.deepEqual(
      raised.diagnostics.map((d) => d.code),
      ['budget.raised'],
    );
    assert.equal(raised.value.budgets?.monthly, 300);
  });

  it('ignores budgets in a personal layer, with a warning', () => {
    const environment = mergeTexts([
      { kind: 'project', text: 'budgets:\n  monthly: 100\n' },
      { kind: 'local', text: 'budgets:\n  monthly: 1000\n' },
    ]);
    assert.deepEqual(
      environment.diagnostics.map((d) => [d.code, d.severity]),
      [['budget.notHonoured', 'warning']],
    );
    assert.equal(environment.value.budgets?.monthly, 100);
  });

  it('rejects a negative budget or price in the schema', () => {
    const environment = mergeTexts([
      { kind: 'base', text: 'budgets:\n  monthly: -1\npricing:\n  m:\n    input: -2\n' },
    ]);
    assert.deepEqual(
      environment.diagnostics.map((d) => d.code),
      ['schema.minimum', 'schema.minimum'],
    );
  });

  it('compares the month so far with the budget and draws a straight line to the month end', async () => {
    const index = await indexOf([
      assistantLine({ id: 'a', requestId: 'r', timestamp: '2026-11-05T10:00:00Z', costUSD: 30 }),
      assistantLine({ id: 'b', requestId: 'r', timestamp: '2026-10-30T10:00:00Z', costUSD: 999 }),
    ]);
    const status = budgetStatus(index.buckets, {
      budgetUSD: 100,
      prices: bundledPriceTable(),
      now: new Date('2026-11-11T00:00:00Z'),
      utc: true,
    });
    assert.equal(status.month, '2026-11');
    assert.equal(status.spentUSD, 30, 'October is not this month');
    assert.equal(status.fraction, 0.3);
    assert.equal(status.forecastUSD.toFixed(2), '90.00', '10 of 30 days gone');
    assert.equal(status.monthEnd, '2026-11-30');
  });
});

describe("usage: the plan's limits from the statusline input", () => {
  const now = new Date('2026-12-02T10:00:00Z');

  it('reads five_hour and seven_day, seconds or milliseconds, and ignores what is not a limit', () => {
    const limits = rateLimitsOf(
      {
        rate_limits: {
          five_hour: { used_percentage: 12, resets_at: Date.parse('2026-12-02T12:00:00Z') / 1000 },
          seven_day: { used_percentage: 'a lot', resets_at: 1 },
        },
      },
      now,
    );
    assert.deepEqual(limits, {
      recordedAt: now.toISOString(),
      fiveHour: { usedPercent: 12, resetsAt: '2026-12-02T12:00:00.000Z' },
    });
    assert.equal(rateLimitsOf({ session_id: 'x' }, now), undefined);
    assert.equal(rateLimitsOf('not an object', now), undefined);
  });

  it('forgets a window once it has reset', async () => {
    const path = join(tempFolder('claude-env-limits-'), 'rate-limits.json');
    await saveRateLimits(path, {
      recordedAt: now.toISOString(),
      fiveHour: { usedPercent: 90, resetsAt: '2026-12-02T11:00:00.000Z' },
      sevenDay: { usedPercent: 40, resetsAt: '2026-12-05T00:00:00.000Z' },
    });
    assert.ok(loadRateLimits(path, now)?.fiveHour);
    const later = loadRateLimits(path, new Date('2026-12-02T11:30:00Z'));
    assert.deepEqual([later?.fiveHour, later?.sevenDay?.usedPercent], [undefined, 40]);
    assert.equal(loadRateLimits(path, new Date('2026-12-06T00:00:00Z')), undefined);
  });
});
