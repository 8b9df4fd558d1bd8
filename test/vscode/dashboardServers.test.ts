/**
 * The dashboard's MCP servers section in a real browser (Debian Chromium), outside the editor: the page the
 * extension builds, the bundled script, and history written by the gateway's real recorder into a real store,
 * read back with `readServerHealth` and shaped for the page by the extension's own code. It checks the figures a
 * person reads, the Day / Week and project / all switches by keyboard (and that the page keeps them), that a
 * hostile server name stays text, the empty state, the CSP and that nothing is fetched. A screenshot is saved.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readServerHealth } from '@claude-env/mcp';
import { segmentName } from '../../mcp/src/health/segments';
import { serversData } from '../../extension/src/dashboard/serversData';
import type { ServersData } from '../../extension/webview/messages';
import { FakeClock, StoreWorld } from '../mcp/health/healthHelpers';
import { REPO_ROOT } from '../helpers/paths';
import { chromiumPath } from './chromium';
import { openDashboardPage, ORIGIN, type OpenedPage } from './dashboardHarness';

const NOW = Date.parse('2026-03-20T12:30:00Z');
const HOUR = 3_600_000;
const HOSTILE = '<img src=x onerror="window.__pwned=1">\u202Eevil\u0007';

/** A day and a week of history: the project `web` with two servers (one hostile), `other` with one. */
async function recordedHistory(world: StoreWorld): Promise<{ web: string; data: ServersData }> {
  const web = join(world.root, 'web');
  mkdirSync(web);
  const other = '/home/dev/other';
  const clock = new FakeClock(NOW - 3 * 24 * HOUR);
  const recorder = world.recorder(clock);
  const state = (server: string, workspace: string, value: string, reason?: string) =>
    recorder.stateChanged({ server, workspace, instance: `${server}#1`, state: value, reason });
  const calls = (server: string, workspace: string, n: number, ms: number, outcome: 'ok' | 'error' = 'ok') => {
    for (let i = 0; i < n; i++)
      recorder.callFinished({ server, workspace, method: 'tools/call', target: 't', outcome, seconds: ms / 1000 });
  };
  // Three days ago: a server of the project that only the week shows.
  state('sequential-thinking', web, 'running');
  calls('sequential-thinking', web, 3, 8);
  clock.advance(10 * 60_000);
  state('sequential-thinking', web, 'stopped');
  recorder.flush();
  // The last three hours: everything runs, serves 42 calls (2 errors), crashes once and is down for a minute.
  clock.now = NOW - 3 * HOUR;
  state('everything', web, 'running', 'ready in 640 ms');
  calls('everything', web, 40, 2);
  calls('everything', web, 2, 2, 'error');
  recorder.flush();
  clock.now = NOW - 2 * HOUR;
  state('everything', web, 'crashed', 'exited with code 1');
  recorder.restarted({ server: 'everything', workspace: web, instance: 'everything#1', reason: 'crashed' });
  clock.advance(60_000);
  state('everything', web, 'running', 'ready in 640 ms');
  clock.now = NOW - HOUR;
  state('memory', other, 'running');
  calls('memory', other, 5, 10);
  state(HOSTILE, web, 'running');
  calls(HOSTILE, web, 3, 5);
  clock.advance(30 * 60_000);
  state(HOSTILE, web, 'failed', '<script>window.__pwned=2</script>\u202Egnp.exe');
  clock.now = NOW;
  recorder.flush();
  // A cut line, and a link put in place of a day's file.
  appendFileSync(join(world.dir, segmentName(NOW)), '{"k":"m","t":');
  writeFileSync(join(world.root, 'elsewhere.jsonl'), '');
  symlinkSync(join(world.root, 'elsewhere.jsonl'), join(world.dir, segmentName(NOW - 2 * 24 * HOUR)));

  const now = new Date(NOW);
  const day = await readServerHealth({ window: 'day', dir: world.dir, now });
  const week = await readServerHealth({ window: 'week', dir: world.dir, now });
  return { web, data: serversData(day, week, { folder: web, supervisor: 'gateway', env: {} }) };
}

/** The dashboard page as a webview gets it, answering `ready` with `messages`, its state starting at `state`. */
function openPage(browser: Browser, messages: unknown[], state?: unknown): Promise<OpenedPage> {
  return openDashboardPage(browser, {
    messages,
    state,
    viewport: { width: 1400, height: 1000 },
    drawn: (page) => page.getByRole('heading', { name: 'MCP servers' }),
  });
}

/** The server table's rows as a person reads them, header first. */
async function serverRows(page: Page): Promise<string[][]> {
  return page
    .locator('table', { has: page.locator('caption') })
    .locator('tr')
    .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => (cell.textContent ?? '').trim())));
}

/**
 * The servers section's controls as rows on the screen: each row the labels (and the "updated" note) whose
 * middles lie within 4 px, a label marked when its select is not on its row.
 */
async function switchRows(page: Page): Promise<string[][]> {
  // A string, not a function: the test's own transpiler would add helpers the page does not have.
  return page.evaluate<string[][]>(`(() => {
    const middle = (node) => { const box = node.getBoundingClientRect(); return Math.round(box.top + box.height / 2); };
    const rows = [];
    const controls = document.querySelector('section[aria-label="MCP servers"] .controls');
    for (const item of controls.querySelectorAll('label, .updated')) {
      const control = item.tagName === 'LABEL' ? item.nextElementSibling : null;
      const at = middle(item);
      const name = item.textContent.replace(/ \\d.*$/, '');
      const row = rows.find((candidate) => Math.abs(candidate.at - at) <= 4);
      const text = control && Math.abs(middle(control) - at) > 4 ? name + ' (select apart)' : name;
      if (row) row.names.push(text);
      else rows.push({ at, names: [text] });
    }
    return rows.map((row) => row.names);
  })()`);
}

/** Tabs until `id` has the focus (at most `limit` presses). */
async function tabTo(page: Page, id: string, limit = 6): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate<string>("document.activeElement?.id ?? ''")) === id) return;
  }
  assert.fail(`Tab never reached #${id}`);
}

/** Picks the next option of the focused select as a person does: open it, move down, choose. */
async function chooseNextOption(page: Page): Promise<void> {
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
}

describe('the dashboard’s MCP servers section in a browser', function () {
  this.timeout(180_000);
  let browser: Browser | undefined;
  let world: StoreWorld | undefined;
  before(async () => {
    execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, stdio: 'pipe' });
    browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    world?.dispose();
  });

  it('shows each server’s day, switches to the week and to all projects by keyboard, and keeps the choice', async () => {
    world = new StoreWorld();
    const { data } = await recordedHistory(world);
    const { page, problems, requests, savedState } = await openPage(browser!, [data]);

    const updated = new Date(NOW).toLocaleTimeString('en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    assert.equal(await page.locator('section[aria-label="MCP servers"] .updated').innerText(), `updated ${updated}`);
    // The switches and their labels on one row, at 1400 px and in a narrower panel (where the label of the second
    // one used to stay on the first line and its select go to the next).
    assert.deepEqual(await switchRows(page), [['Servers of', 'Over', 'updated']]);
    await page.setViewportSize({ width: 800, height: 1000 });
    assert.deepEqual((await switchRows(page))[0], ['Servers of', 'Over'], 'at 800 px');
    await page.setViewportSize({ width: 1400, height: 1000 });

    const day = await serverRows(page);
    assert.deepEqual(day[0], ['Server', 'Uptime', 'Restarts', 'Calls', 'Errors', 'p50', 'p95', 'Last state']);
    const everything = day.find((row) => row[0] === 'everything');
    assert.ok(everything, day.map((row) => row[0]).join(' | '));
    // Up for 3 hours less the minute it was crashed: 10,740 of 10,800 s.
    assert.deepEqual(everything.slice(1, 5), ['99.4 %', '1', '42', '2']);
    for (const latency of everything.slice(5, 7)) {
      const ms = Number(/^([\d.]+) ms$/.exec(latency)?.[1]);
      assert.ok(Math.abs(ms - 2) <= 0.2, `2 ms within the histogram's 9 %: ${latency}`);
    }
    assert.match(everything[7], /^running · .+ · ready in 640 ms$/);
    assert.equal(day.length, 3, 'this project over the day: everything and the hostile one, not memory');
    assert.match(
      (await page.locator('canvas').getAttribute('aria-label')) ?? '',
      /^2 servers, 24 slices of an hour: 45 calls and 2 errors in all, most in the hour from \d\d:00$/,
    );
    assert.equal(await page.locator('canvas[role="img"]').count(), 1);
    const notes = await page.locator('.note').allInnerTexts();
    assert.ok(notes.includes('1 damaged record in the history skipped.'), notes.join(' | '));
    const linkNote = notes.find((note) => note.includes('symbolic link')) ?? '';
    assert.match(linkNote, new RegExp(`^The history could not be read in full: ${segmentName(NOW - 2 * 24 * HOUR)}`));
    assert.ok(!linkNote.includes(world.root), 'the store’s path does not reach the page');

    // The hostile name is text: shown, not parsed, not run; its controls are shown as code points.
    const hostile = day.find((row) => row[0].startsWith('<img'));
    assert.equal(hostile?.[0], '<img src=x onerror="window.__pwned=1"><U+202E>evil<U+0007>');
    assert.equal(hostile?.[1], '50.0 %');
    assert.match(hostile?.[7] ?? '', /^failed · .+ · <script>window\.__pwned=2<\/script><U\+202E>gnp\.exe$/);
    assert.equal(await page.locator('#dashboard img, #dashboard script').count(), 0);
    assert.equal(await page.evaluate('window.__pwned'), undefined);

    // Week, by keyboard: Tab to the window select, open it, move down, Enter.
    await tabTo(page, 'servers-window');
    await chooseNextOption(page);
    await page.getByRole('heading', { name: 'Calls and errors per 6 hours, last 7 days' }).waitFor();
    await page.locator('#servers-window:focus').waitFor(); // the focus stays
    const week = await serverRows(page);
    assert.deepEqual(
      week.slice(1).map((row) => [row[0], row[3]]),
      [
        ['<img src=x onerror="window.__pwned=1"><U+202E>evil<U+0007>', '3'],
        ['everything', '42'],
        ['sequential-thinking', '3'],
      ],
    );
    // All projects, by keyboard: back to the scope select.
    await page.keyboard.press('Shift+Tab');
    assert.equal(await page.evaluate<string>("document.activeElement?.id ?? ''"), 'servers-scope');
    await chooseNextOption(page);
    await page.locator('th', { hasText: 'Project' }).waitFor();
    const all = await serverRows(page);
    assert.deepEqual(
      all.slice(1).map((row) => [row[0], row[1], row[4]]),
      [
        ['memory', 'other', '5'],
        ['<img src=x onerror="window.__pwned=1"><U+202E>evil<U+0007>', 'web', '3'],
        ['everything', 'web', '42'],
        ['sequential-thinking', 'web', '3'],
      ],
    );
    const saved = await savedState();
    assert.deepEqual(saved, { serversWindow: 'week', serversScope: 'all' });

    // A live update (the daemon's fleet changed, the extension read again): new figures, the same choices, the
    // focus where it was, and the time of the read.
    const later = structuredClone(data);
    const everythingLater = later.week.servers.find((server) => server.server === 'everything')!;
    everythingLater.calls += 5;
    later.day.to = later.week.to = new Date(NOW + 65_000).toISOString();
    await page.evaluate(`window.postMessage(${JSON.stringify(later)}, '*')`);
    const laterTime = new Date(NOW + 65_000).toLocaleTimeString('en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    await page.getByText(`updated ${laterTime}`).waitFor();
    assert.deepEqual(
      (await serverRows(page)).find((row) => row[0] === 'everything')?.slice(0, 5),
      ['everything', 'web', '99.4 %', '1', '47'],
      'the week of all projects, with the new calls',
    );
    assert.equal(await page.evaluate<string>("document.activeElement?.id ?? ''"), 'servers-scope');

    assert.deepEqual(problems, [], 'no script errors and no Content Security Policy violations');
    assert.deepEqual(requests, [`${ORIGIN}/`, `${ORIGIN}/dashboard.js`], 'the page fetches nothing else');
    const results = join(REPO_ROOT, 'test-results', 'dashboard');
    mkdirSync(results, { recursive: true });
    await page.screenshot({ path: join(results, 'dashboard-servers.png'), fullPage: true });
    await page.close();

    // Opened again (the panel was hidden and shown): the page starts on the person's choice.
    const again = await openPage(browser!, [data], saved);
    await again.page.getByRole('heading', { name: 'Calls and errors per 6 hours, last 7 days' }).waitFor();
    assert.equal((await serverRows(again.page)).length, 5);
    await again.page.close();
  });

  it('says why there is no history and what records it', async () => {
    const empty = new StoreWorld();
    try {
      const now = new Date(NOW);
      const day = await readServerHealth({ window: 'day', dir: empty.dir, now });
      const week = await readServerHealth({ window: 'week', dir: empty.dir, now });
      const data = serversData(day, week, {
        folder: join(empty.root, 'web'),
        supervisor: 'inProcess',
        env: { CLAUDE_ENV_GATEWAY_HEALTH: 'off' },
      });
      const { page, problems } = await openPage(browser!, [data]);
      const text = await page.locator('section[aria-label="MCP servers"]').innerText();
      assert.match(text, /No MCP server history for web over the last 24 hours\./);
      assert.match(
        text,
        /History is recorded only by the claude-env gateway daemon, .* when the setting claudeEnv\.mcp\.supervisor is gateway \(the default\)\./,
      );
      assert.match(text, /This window's claudeEnv\.mcp\.supervisor is inProcess: its servers run inside the editor/);
      assert.match(text, /CLAUDE_ENV_GATEWAY_HEALTH=off is set in the editor's environment/);
      assert.equal(await page.locator('section[aria-label="MCP servers"] canvas').count(), 0);
      assert.deepEqual(problems, []);
      await page.screenshot({ path: join(REPO_ROOT, 'test-results', 'dashboard', 'dashboard-servers-empty.png') });
      await page.close();
    } finally {
      empty.dispose();
    }
  });
});
