/**
 * The dashboard's page in a real browser (Debian Chromium, as the VS Code suites use), outside the editor: the
 * page the extension builds, the bundled script, and figures from the engine's summary of synthetic transcripts.
 * It checks what a person sees, that the Content Security Policy refuses nothing the page needs and that the page
 * fetches nothing, and that the controls are reachable with the keyboard. A screenshot is saved.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { bundledPriceTable, TranscriptIndex, transcriptRoots, usageSummary } from '@claude-env/engine';
import type { DashboardData } from '../../extension/webview/messages';
import { REPO_ROOT } from '../helpers/paths';
import { assistantLine, UNPRICED_MODEL } from '../helpers/transcripts';
import { tempFolder, writeFile } from '../helpers/workspace';
import { chromiumPath } from './chromium';
import { openDashboardPage, ORIGIN } from './dashboardHarness';

async function fixtureData(): Promise<DashboardData> {
  const config = tempFolder('claude-env-usage-');
  const here = '/home/dev/web';
  const now = new Date();
  const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString();
  const lines = [
    assistantLine({
      id: 'a',
      requestId: 'r',
      timestamp: hoursAgo(0),
      costUSD: 12.5,
      output: 4000,
      cwd: here,
      sessionId: 's1',
    }),
    assistantLine({
      id: 'b',
      requestId: 'r',
      timestamp: hoursAgo(0),
      model: UNPRICED_MODEL,
      output: 900,
      cwd: here,
      sessionId: 's1',
    }),
    assistantLine({
      id: 'c',
      requestId: 'r',
      timestamp: hoursAgo(30),
      model: 'claude-opus-5-5',
      output: 200_000,
      cwd: here,
    }),
  ];
  writeFile(join(config, 'projects', '-home-dev-web', 's1.jsonl'), lines.join(''));
  const index = new TranscriptIndex(transcriptRoots({ CLAUDE_CONFIG_DIR: config }));
  await index.refresh();
  const summary = usageSummary(index, { prices: bundledPriceTable(), folder: here, monthlyBudget: 20, now });
  const resetsAt = new Date(now.getTime() + 2 * 3_600_000).toISOString();
  const rateLimits = { recordedAt: now.toISOString(), fiveHour: { usedPercent: 23.5, resetsAt } };
  return { type: 'data', ...summary, rateLimits };
}

describe('the dashboard page in a browser', function () {
  this.timeout(180_000);
  let browser: Browser | undefined;
  after(async () => browser?.close());

  it('shows the month against the budget, the chart and the sessions, under its CSP, offline and by keyboard', async () => {
    execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, stdio: 'pipe' });
    const data = await fixtureData();
    browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox'] });
    const { page, problems, requests } = await openDashboardPage(browser, {
      messages: [data],
      viewport: { width: 1100, height: 900 },
      drawn: (opened) => opened.getByText("Today's sessions"),
    });

    const text = await page.locator('#dashboard').innerText();
    assert.match(text, /Budget of web\n\$16\.50 of \$20\.00/, '12.50 recorded + 4.00 for 200k Opus 5.5 output');
    assert.match(text, /Forecast \$[\d.]+ by \d{4}-\d\d-\d\d/);
    assert.match(text, /Plan limits \(Claude Code\)\n5-hour: 24 % until /);
    assert.match(text, /\$16\.50 \+ unknown/, 'the unpriced model is not shown as free');
    assert.match(text, new RegExp(`Price unknown for ${UNPRICED_MODEL}`));
    assert.equal(await page.locator('canvas[role="img"]').count(), 1);
    assert.match((await page.locator('canvas').getAttribute('aria-label')) ?? '', /days, \$16\.50 in all/);
    assert.equal(await page.locator('table tr').count(), 2, 'a header and the one session of today');
    // The session's project by its folder's name, as the servers section names workspaces; the path on hover.
    const project = page.locator('table tr').nth(1).locator('td').nth(2);
    assert.equal(await project.innerText(), 'web');
    assert.equal(await project.getAttribute('title'), '/home/dev/web');

    // Keyboard: Tab reaches both selects and the Refresh button, in order.
    const reached: string[] = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate<string>("document.activeElement?.tagName.toLowerCase() ?? ''"));
    }
    assert.deepEqual(reached, ['vscode-single-select', 'vscode-single-select', 'vscode-button']);
    // Tokens instead of cost, by keyboard from the Show select: the chart follows and the select keeps the focus.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Tokens per day by model, last 30 days' }).waitFor();
    await page.locator('#metric:focus').waitFor();
    assert.match((await page.locator('canvas').getAttribute('aria-label')) ?? '', /days, 204,900 tokens in all/);

    assert.deepEqual(problems, [], 'no script errors and no Content Security Policy violations');
    assert.deepEqual(requests, [`${ORIGIN}/`, `${ORIGIN}/dashboard.js`], 'the page fetches nothing else');
    const results = join(REPO_ROOT, 'test-results', 'dashboard');
    mkdirSync(results, { recursive: true });
    await page.screenshot({ path: join(results, 'dashboard-page.png'), fullPage: true });
  });
});
