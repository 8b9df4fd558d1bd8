/**
 * A person answering the org layers' notification in the browser workbench, with Playwright: the org repository is
 * a bare repository in a temp folder, the workspace's project draws its layers from it, and each new commit there
 * is found by *Check the Org Layers for New Commits*. Later holds across a window reload until a newer commit;
 * Review opens the effective change; Update asks in a modal that shows it, and its button moves the lock and applies.
 * The extension host cannot click notifications or modal buttons, so these run here, not in test/vscode/suite/.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { fetchSources, systemGit } from '@claude-env/engine';
import { repoRoot, type WebSuiteRun } from './runWeb';
import { expandView, rowTexts, runFromCommandPalette } from './ui';

const CHECK = 'Claude Env: Check the Org Layers for New Commits';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/** Resolves once `accept` holds for the file's text, re-reading whenever its folder changes; rejects after a while. */
export function whenFileText(path: string, accept: (text: string) => boolean, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let last = '';
    const check = () => {
      last = existsSync(path) ? readFileSync(path, 'utf8') : '';
      if (!accept(last)) return;
      clearTimeout(timer);
      watcher.close();
      resolve(last);
    };
    const watcher = watch(dirname(path), check);
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`${path} did not change as expected within ${timeoutMs} ms; it holds:\n${last}`));
    }, timeoutMs);
    check();
  });
}

/** The org repository the workspace draws from in these tests, and its admin's working copy. */
class OrgRepository {
  readonly root = mkdtempSync(join(tmpdir(), 'claude-env-org-ui-'));
  readonly bare = join(this.root, 'org.git');
  readonly work = join(this.root, 'org-work');

  constructor() {
    git(this.root, 'init', '--quiet', '--bare', '--initial-branch=main', this.bare);
    cpSync(join(repoRoot, 'examples', 'org'), join(this.work, 'claude-env'), { recursive: true });
    git(this.work, 'init', '--quiet', '--initial-branch=main');
    git(this.work, 'remote', 'add', 'origin', this.bare);
    this.commit('The org layers');
  }

  /** Replaces `from` by `to` in the base layer (when given), commits, pushes and returns the commit. */
  commit(message: string, from?: string, to?: string): string {
    const base = join(this.work, 'claude-env', 'base.yaml');
    if (from !== undefined && to !== undefined) {
      const text = readFileSync(base, 'utf8');
      assert.ok(text.includes(from), `base.yaml has ${from}`);
      writeFileSync(base, text.replace(from, to));
    }
    git(this.work, 'add', '--all');
    git(this.work, '-c', 'user.name=Org', '-c', 'user.email=org@example.com', 'commit', '--quiet', '-m', message);
    git(this.work, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main');
    return git(this.work, 'rev-parse', 'HEAD');
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** The notification center's entry whose text matches (the center is opened first; toasts do not pop up here). */
async function notification(page: Page, text: RegExp): Promise<Locator> {
  await runFromCommandPalette(page, 'Notifications: Show Notifications');
  const entry = page.locator('.notifications-center .monaco-list-row', { hasText: text }).first();
  await entry.waitFor({ state: 'visible' });
  return entry;
}

/** Waits until the workbench takes keys: the extension's status-bar item shows once it has activated. */
async function workbenchReady(page: Page): Promise<void> {
  await page.locator('.statusbar-item', { hasText: 'Claude Env' }).first().waitFor({ state: 'visible' });
}

/** Runs the check from the command palette and returns the notification it brings. */
async function check(page: Page, text: RegExp): Promise<Locator> {
  await workbenchReady(page);
  await runFromCommandPalette(page, CHECK);
  return notification(page, text);
}

/** The Layers view's base row, once its description matches. */
async function baseLayerRow(page: Page, description: RegExp): Promise<string> {
  // Not a click on the activity bar: after a reload the restored sidebar may show only after it, and hide again.
  await runFromCommandPalette(page, 'Focus on Layers View');
  const rows = await expandView(page, 'Layers');
  await rows.filter({ hasText: /^base/ }).filter({ hasText: description }).first().waitFor({ state: 'visible' });
  return (await rowTexts(rows, 1)).find((row) => row.startsWith('base')) ?? '';
}

/** Text of the active editor as rendered (Monaco draws spaces as no-break spaces). */
async function activeEditorText(page: Page, containing: string): Promise<string> {
  const lines = page.locator('.editor-group-container.active .monaco-editor .view-lines');
  await lines.filter({ hasText: containing }).first().waitFor({ state: 'visible' });
  return (await lines.first().innerText()).replace(/\u00a0/g, ' ');
}

/**
 * Registers the tests in the trusted folder's describe of extension.test.ts; they run last there, since they point
 * the workspace's project at a git repository.
 */
export function orgUpdateNotificationTests(context: () => { run: WebSuiteRun; personPage: () => Promise<Page> }): void {
  // A suite of its own: its before() runs after the other tests of the folder, not before all of them.
  describe('the org layers’ notification, answered by a person', () => {
    let org: OrgRepository | undefined;
    let locked = '';
    const lockFile = () => join(context().run.workspace, '.claude-env', 'lock.yaml');

    before(async () => {
      const { workspace, env } = context().run;
      org = new OrgRepository();
      const projectFile = join(workspace, '.claude-env', 'project.yaml');
      const written = readFileSync(projectFile, 'utf8');
      const gitSource = written.replace(
        'source:\n  path: ../../org\n',
        `source:\n  git: ${org.bare}\n  ref: main\n  path: claude-env\n`,
      );
      assert.notEqual(gitSource, written);
      writeFileSync(projectFile, gitSource);
      // The extension host's environment: the same git cache.
      const hostEnv = { ...process.env, ...env };
      const fetched = await fetchSources({ workspace, git: systemGit({ env: hostEnv }), env: hostEnv });
      assert.deepEqual(fetched.diagnostics, []);
      locked = fetched.sources[0]?.commit ?? '';
    });
    after(() => org?.dispose());

    it('tells a person about a new org commit, and Later keeps it quiet after a reload until a newer one', async () => {
      const page = await context().personPage();
      const { resultsDir } = context().run;
      org!.commit('Keep transcripts 9 days', 'cleanupPeriodDays: 30', 'cleanupPeriodDays: 9');
      const told = await check(page, /The org layers have 1 new commit/);
      await page.screenshot({ path: join(resultsDir, 'org-update-notification.png') });
      await told.getByRole('button', { name: 'Later' }).click();
      await told.waitFor({ state: 'hidden' });

      await page.reload();
      await workbenchReady(page);
      assert.match(await baseLayerRow(page, /1 behind/), new RegExp(`${locked.slice(0, 12)} main, 1 behind`));
      // Asked again by the person: the commit they chose Later for is not told again, and the check says so.
      await check(page, /no new org layer commits since the last notification/);
      const center = page.locator('.notifications-center');
      assert.equal(await center.getByText(/The org layers have/).count(), 0, 'the same commit is not told again');
      await page.screenshot({ path: join(resultsDir, 'org-update-after-later.png') });
    });

    it('opens the effective change of the update when a person clicks Review', async () => {
      const page = await context().personPage();
      org!.commit('Co-authored-by off', 'includeCoAuthoredBy: true', 'includeCoAuthoredBy: false');
      const told = await check(page, /The org layers have 2 new commits/);
      await told.getByRole('button', { name: 'Review' }).click();
      await page.locator('.tab.active', { hasText: 'org-layer-update.txt' }).waitFor({ state: 'visible' });
      const text = await activeEditorText(page, 'cleanupPeriodDays');
      assert.match(text, /~ settings\.cleanupPeriodDays: 30 → 9 +\(base claude-env\/base\.yaml:\d+ @ [0-9a-f]{12}\)/);
      assert.match(text, /~ settings\.includeCoAuthoredBy: true → false/);
      assert.equal(readFileSync(lockFile(), 'utf8').includes(locked), true, 'Review moves nothing');
      await page.screenshot({ path: join(context().run.resultsDir, 'org-update-review.png') });
      await runFromCommandPalette(page, 'View: Close All Editors');
    });

    it('asks in a modal with the effective change when a person clicks Update, and its button moves the lock and applies', async () => {
      const page = await context().personPage();
      const { workspace, resultsDir } = context().run;
      const tip = org!.commit('Telemetry stays off, said twice', 'DISABLE_TELEMETRY: "1"', 'DISABLE_TELEMETRY: "yes"');
      const told = await check(page, /The org layers have 3 new commits/);
      await told.getByRole('button', { name: 'Update' }).click();
      const dialog = page.getByRole('dialog').filter({ hasText: 'Update the org layers to' });
      await dialog.waitFor({ state: 'visible' });
      const asked = await dialog.innerText();
      assert.match(asked, new RegExp(`Update the org layers to ${tip.slice(0, 12)} and apply`));
      assert.match(asked, /settings\.cleanupPeriodDays: 30 → 9/);
      assert.match(asked, /settings\.env\.DISABLE_TELEMETRY: "1" → "yes"/);
      assert.equal(readFileSync(lockFile(), 'utf8').includes(locked), true, 'nothing moves before the person agrees');
      await page.screenshot({ path: join(resultsDir, 'org-update-modal.png') });
      await dialog.getByRole('button', { name: 'Update', exact: true }).click();

      await whenFileText(lockFile(), (text) => text.includes(`commit: ${tip}`));
      // The value only the new tip has: the suite before may have left cleanupPeriodDays 9 in the file already.
      const settings = await whenFileText(join(workspace, '.claude', 'settings.local.json'), (text) =>
        text.includes('"DISABLE_TELEMETRY": "yes"'),
      );
      assert.equal(JSON.parse(settings).cleanupPeriodDays, 9);
      assert.match(await baseLayerRow(page, /up to date/), new RegExp(`${tip.slice(0, 12)} main, up to date`));
      await page.screenshot({ path: join(resultsDir, 'org-update-applied.png') });
    });

    it('names the projects of a monorepo in one notification, and Review asks which project, by its path', async () => {
      const page = await context().personPage();
      const { workspace, env, resultsDir } = context().run;
      const nested = join(workspace, 'packages', 'web');
      mkdirSync(join(nested, '.claude-env'), { recursive: true });
      writeFileSync(
        join(nested, '.claude-env', 'project.yaml'),
        `version: 1\nsource:\n  git: ${org!.bare}\n  ref: main\n  path: claude-env\nteams: [web]\n`,
      );
      const hostEnv = { ...process.env, ...env };
      const fetched = await fetchSources({ workspace: nested, git: systemGit({ env: hostEnv }), env: hostEnv });
      assert.deepEqual(fetched.diagnostics, []);
      org!.commit('Transcripts kept 14 days', 'cleanupPeriodDays: 9', 'cleanupPeriodDays: 14');

      const name = basename(workspace);
      const told = await check(page, new RegExp(`The org layers have 1 new commit in ${name}, packages/web`));
      await told.getByRole('button', { name: 'Review' }).click();
      const picks = page.locator('.quick-input-list .monaco-list-row');
      // The picker replaces the palette's rows in one go: once a project shows, every row is the picker's.
      await picks.filter({ hasText: 'packages/web' }).waitFor({ state: 'visible' });
      const offered = await rowTexts(picks, 2);
      assert.deepEqual(offered, [`${name} main, 1 behind`, 'packages/web main, 1 behind']);
      await page.screenshot({ path: join(resultsDir, 'org-update-pick-project.png') });
      await picks.filter({ hasText: 'packages/web' }).click();
      await page.locator('.tab.active', { hasText: 'org-layer-update.txt' }).waitFor({ state: 'visible' });
      assert.match(await activeEditorText(page, 'cleanupPeriodDays'), /~ settings\.cleanupPeriodDays: 9 → 14/);
      await runFromCommandPalette(page, 'View: Close All Editors');
    });
  });
}
