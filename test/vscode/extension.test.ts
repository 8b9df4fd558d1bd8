/**
 * The extension inside a real VS Code. `npm test` runs the in-editor suite (test/vscode/suite/) twice in the
 * browser workbench of the VS Code server — once in a trusted folder and once in Restricted Mode — and drives
 * the UI with Playwright. The same suite runs in desktop VS Code through @vscode/test-electron where that can
 * be downloaded or is cached (see runElectron.ts); where it cannot, this file says so in the test output.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Page } from 'playwright-core';
import { orgUpdateNotificationTests } from './orgUpdatesUi';
import { desktopAvailability, runElectronSuite } from './runElectron';
import { formatReport, repoRoot, runWebSuite, type WebSuiteRun } from './runWeb';
import {
  expandView,
  goToLine,
  hoverUntil,
  notificationInCenter,
  openClaudeEnvSidebar,
  rowTexts,
  runFromCommandPalette,
} from './ui';

// Installing the toolchain on a fresh machine takes ~3 minutes; a suite run ~30 s on 2 cores.
const HARNESS_TIMEOUT_MS = 900_000;

/** The in-editor suite ran in `mode`, ran enough tests, and none failed. */
function assertSuitePassed(run: WebSuiteRun | undefined, mode: 'trusted' | 'restricted'): void {
  assert.ok(run?.report, `the suite wrote no report; see ${run?.resultsDir}`);
  assert.deepEqual(
    run.report.tests.filter((test) => test.state === 'failed').map((test) => test.title),
    [],
  );
  assert.ok(run.report.passed >= 15, `only ${run.report.passed} tests ran`);
  assert.equal(run.report.mode, mode);
  assert.equal(run.exitCode, 0);
}

describe('extension in the VS Code server’s browser workbench (headless Chromium)', function () {
  this.timeout(HARNESS_TIMEOUT_MS);

  describe('trusted folder', () => {
    let run: WebSuiteRun | undefined;
    let person: Page | undefined;
    const personPage = async () => (person ??= await (run as WebSuiteRun).openWorkbench());
    afterEach(async function () {
      // What the person saw when a UI test failed, for whoever reads the CI log.
      if (this.currentTest?.state === 'failed' && person && run) {
        await person.screenshot({
          path: join(run.resultsDir, `failed-${this.currentTest.title.replace(/\W+/g, '-')}.png`),
        });
      }
    });
    before(async () => {
      run = await runWebSuite({ mode: 'trusted', resultsDir: join(repoRoot, 'test-results', 'vscode-web-trusted') });
      console.log(formatReport(run));
    });
    after(async () => run?.close());

    it('passes every in-editor test', () => assertSuitePassed(run, 'trusted'));

    it('shows the layer stack when a person opens the Claude Env activity bar', async () => {
      const page = await personPage();
      await openClaudeEnvSidebar(page);
      const layers = await rowTexts(await expandView(page, 'Layers'), 4);
      assert.deepEqual(layers.slice(0, 4), [
        'base no problems',
        'team web 1 warning',
        'project no problems',
        'local no problems',
      ]);

      const effective = await expandView(page, 'Effective Configuration');
      // A click on the row itself would open the file that set it; the twistie expands it.
      await effective
        .filter({ hasText: /^settings/ })
        .first()
        .locator('.monaco-tl-twistie')
        .click();
      const rows = await rowTexts(effective, 4);
      assert.ok(rows.includes('model "claude-sonnet-4-5" · local.yaml:4'), `model row: ${rows.join(' | ')}`);
      // Hovering the value shows its provenance: the winning layer and what it overrode.
      const tooltip = await hoverUntil(page, effective.filter({ hasText: /^model/ }).first(), 'Overrides');
      assert.match(await tooltip.innerText(), /team web at web\.yaml:5/);
      await page.screenshot({ path: join((run as WebSuiteRun).resultsDir, 'claude-env-sidebar.png') });
    });

    it('explains the setting under the cursor as a list of writes, and goes to the one a person picks', async () => {
      const page = await personPage();
      await openClaudeEnvSidebar(page);
      // Opening a layer from the Layers view, as a person would.
      const layers = await expandView(page, 'Layers');
      await layers
        .filter({ hasText: /^local/ })
        .first()
        .click();
      await page.locator('.tab.active', { hasText: 'local.yaml' }).waitFor({ state: 'visible' });
      await goToLine(page, '4:5');
      await runFromCommandPalette(page, 'Claude Env: Explain Setting at Cursor');
      const rows = page.locator('.quick-input-list .monaco-list-row');
      await rows.nth(2).waitFor({ state: 'visible' });
      const texts = (await rows.allInnerTexts()).map((text) => text.replace(/\s+/g, ' '));
      assert.match(texts[0] ?? '', /local.*local\.yaml:4 · wins/);
      assert.match(texts[1] ?? '', /team web.*web\.yaml:5 · overridden/);
      assert.match(texts[2] ?? '', /base.*base\.yaml:5 · overridden/);
      await page.screenshot({ path: join((run as WebSuiteRun).resultsDir, 'explain-setting.png') });
      await rows.nth(1).click();
      await page.locator('.tab.active', { hasText: 'web.yaml' }).waitFor({ state: 'visible' });
    });

    it('opens the dashboard from the Layers view: the month’s cost, today’s session, the servers’ history; screenshots', async () => {
      const page = await personPage();
      await openClaudeEnvSidebar(page);
      await expandView(page, 'Layers');
      // A view's title buttons show while the pointer is over its header.
      const header = page.locator('.pane-header', { hasText: 'Layers' }).first();
      await header.hover();
      await header.getByRole('button', { name: 'Show Dashboard' }).click();
      // A webview is an iframe holding the page's own iframe.
      const dashboard = page.frameLocator('iframe.webview').frameLocator('iframe');
      await dashboard.getByText("Today's sessions").waitFor({ state: 'visible', timeout: 60_000 });
      const text = await dashboard.locator('#dashboard').innerText();
      assert.match(text, /\$30\.00/, 'this project this month');
      assert.match(text, /today/, 'the session of today');
      await page.screenshot({ path: join((run as WebSuiteRun).resultsDir, 'dashboard.png') });
      // Below it, the history the run's gateway daemon recorded while the in-editor suite called its servers.
      const servers = dashboard.getByRole('table', { name: /^Each server over the last 24 hours/ });
      await servers.waitFor({ state: 'visible', timeout: 60_000 });
      const everything = servers.getByRole('row', { name: /^everything / });
      assert.match(await everything.innerText(), /^everything\s+[\d.]+ %\s+\d+\s+[1-9]\d*\s+\d+\s+[\d.]+ m?s/);
      await dashboard
        .locator('section[aria-label="MCP servers"]')
        .evaluate((section) => section.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: join((run as WebSuiteRun).resultsDir, 'dashboard-servers.png') });
      await runFromCommandPalette(page, 'View: Close All Editors');
    });

    it("shows a Claude Code-shaped client's session of the gateway daemon in the MCP Servers view", async () => {
      const page = await personPage();
      const { workspace, env, resultsDir } = run as WebSuiteRun;
      const localLayer = join(workspace, '.claude-env', 'local.yaml');
      const original = readFileSync(localLayer, 'utf8');
      const everything = join(repoRoot, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
      writeFileSync(
        localLayer,
        `version: 1\nmcpServers:\n  everything:\n    command: ${JSON.stringify(process.execPath)}\n` +
          `    args: [${JSON.stringify(everything)}, stdio]\n`,
      );
      // The shim as `.mcp.json` starts it, with the run's own runtime folder: the daemon the editor attached to.
      const client = new Client({ name: 'claude-code', version: '2.0.0' }, { capabilities: {} });
      try {
        await client.connect(
          new StdioClientTransport({
            command: process.execPath,
            args: [join(repoRoot, 'dist', 'mcp-connect.js'), 'everything', '--cwd', workspace],
            env: { ...(process.env as Record<string, string>), ...env },
            stderr: 'ignore',
          }),
        );
        await client.callTool({ name: 'echo', arguments: { message: 'hello from the terminal' } });
        await openClaudeEnvSidebar(page);
        const servers = await expandView(page, 'MCP Servers');
        const row = servers.filter({ hasText: /^everything/ }).first();
        await row.filter({ hasText: /1 session/ }).waitFor({ state: 'visible' });
        await row.locator('.monaco-tl-twistie').click();
        const session = servers.filter({ hasText: 'claude-code 2.0.0' }).first();
        await session.waitFor({ state: 'visible' });
        await servers.filter({ hasText: /^echo/ }).first().waitFor({ state: 'visible' });
        const texts = await rowTexts(servers, 4);
        assert.ok(
          texts.some((text) => /^everything#\d+ running · per session · pid \d+/.test(text)),
          texts.join(' | '),
        );
        await page.screenshot({ path: join(resultsDir, 'mcp-gateway-sessions.png') });
      } finally {
        await client.close();
        writeFileSync(localLayer, original);
      }
    });

    it('asks a person before Apply replaces a file edited by hand, and keeps a backup', async () => {
      const page = await personPage();
      const workspace = (run as WebSuiteRun).workspace;
      const mcpJson = join(workspace, '.mcp.json');
      const handEdited = '{ "mcpServers": { "by-hand": { "command": "true" } } }\n';
      writeFileSync(mcpJson, handEdited);
      await runFromCommandPalette(page, 'Claude Env: Apply');
      const dialog = page.getByRole('dialog').filter({ hasText: 'edited by hand' });
      await dialog.waitFor({ state: 'visible' });
      assert.match(await dialog.innerText(), /\.mcp\.json/);
      await page.screenshot({ path: join((run as WebSuiteRun).resultsDir, 'apply-drift-prompt.png') });
      await dialog.getByRole('button', { name: 'Replace' }).click();
      // The write happens in the extension host; the file system offers this test no event to wait on.
      const deadline = Date.now() + 20_000;
      while (readFileSync(mcpJson, 'utf8') === handEdited && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      assert.notEqual(readFileSync(mcpJson, 'utf8'), handEdited, 'Apply replaced the file after the person agreed');
      const backups = join(workspace, '.claude-env', 'backups');
      assert.ok(existsSync(backups));
      const saved = readdirSync(backups, { recursive: true })
        .map(String)
        .map((name) => join(backups, name));
      assert.ok(
        saved.some((file) => !file.endsWith('/') && existsSync(file) && readFileSync(file, 'utf8') === handEdited),
        'the hand edit is backed up',
      );
    });

    // Last: they point the workspace's project at a git repository.
    orgUpdateNotificationTests(() => ({ run: run as WebSuiteRun, personPage }));
  });

  describe('Restricted Mode', () => {
    let run: WebSuiteRun | undefined;
    before(async () => {
      run = await runWebSuite({
        mode: 'restricted',
        resultsDir: join(repoRoot, 'test-results', 'vscode-web-restricted'),
      });
      console.log(formatReport(run));
    });
    after(async () => run?.close());

    it('passes every in-editor test', () => assertSuitePassed(run, 'restricted'));

    it('tells a person who runs Apply from the command palette why it is disabled', async () => {
      const page = await (run as WebSuiteRun).openWorkbench();
      await openClaudeEnvSidebar(page);
      await runFromCommandPalette(page, 'Claude Env: Apply');
      const message = await notificationInCenter(page, /Claude Env: cannot run this command/);
      assert.match(await message.innerText(), /Restricted Mode.*Trust the folder/s);
      await page.screenshot({ path: join((run as WebSuiteRun).resultsDir, 'apply-in-restricted-mode.png') });
    });
  });
});

describe('extension in desktop VS Code (@vscode/test-electron)', function () {
  this.timeout(HARNESS_TIMEOUT_MS);
  const availability = desktopAvailability(repoRoot);
  if (!availability.available) {
    // Not a skip: the desktop runner exists and runs wherever VS Code can be had; here it cannot, and we say so.
    console.log(`  desktop VS Code runner NOT RUN on this machine: ${availability.reason}`);
    return;
  }
  for (const mode of ['trusted', 'restricted'] as const) {
    it(`passes every in-editor test in a ${mode} folder (VS Code ${availability.version})`, async () => {
      const result = await runElectronSuite({
        mode,
        availability,
        resultsDir: join(repoRoot, 'test-results', `vscode-desktop-${mode}`),
      });
      assert.ok(result.report, 'the suite wrote no report');
      assert.deepEqual(
        result.report.tests.filter((test) => test.state === 'failed').map((test) => test.title),
        [],
      );
      assert.equal(result.report.uiKind, 'desktop');
      assert.equal(result.exitCode, 0);
    });
  }
});
