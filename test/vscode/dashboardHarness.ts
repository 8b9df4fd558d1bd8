/**
 * The dashboard page in a plain browser, as a webview gets it: the page the extension builds, its bundled script,
 * and a stand-in for VS Code's webview API that answers the page's `ready` with the given messages and keeps what
 * the page saves with `setState`. Every request, script error and CSP violation is recorded.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { dashboardHtml } from '../../extension/src/dashboard/page';
import { REPO_ROOT } from '../helpers/paths';

/** The origin the page is served from (a webview's is the editor's own). */
export const ORIGIN = 'https://dashboard.webview.test';

export interface OpenedPage {
  page: Page;
  /** Console errors and page errors, CSP violations among them. */
  problems: string[];
  /** Every URL the page asked for. */
  requests: string[];
  /** What the page last passed to `vscode.setState`. */
  savedState(): Promise<unknown>;
}

export interface PageOptions {
  /** Posted to the page, in order, once it says it is ready. */
  messages: unknown[];
  /** What `vscode.getState()` returns at first. */
  state?: unknown;
  viewport: { width: number; height: number };
  /** What shows once the page has drawn the messages. */
  drawn(page: Page): Locator;
}

/** Opens the dashboard page with the bundled `dist/webview/dashboard.js` and waits until it has drawn. */
export async function openDashboardPage(browser: Browser, options: PageOptions): Promise<OpenedPage> {
  const script = readFileSync(join(REPO_ROOT, 'dist', 'webview', 'dashboard.js'), 'utf8');
  const page = await browser.newPage({ viewport: options.viewport });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    requests.push(url);
    if (url === `${ORIGIN}/`)
      return route.fulfill({
        contentType: 'text/html',
        body: dashboardHtml({ cspSource: ORIGIN, scriptUri: `${ORIGIN}/dashboard.js`, nonce: 'bm9uY2U=' }),
      });
    if (url === `${ORIGIN}/dashboard.js`) return route.fulfill({ contentType: 'text/javascript', body: script });
    return route.abort();
  });
  // What VS Code gives a webview: a way to post to the extension, which here answers `ready` with the messages.
  await page.exposeFunction('toExtension', async (message: { type: string }) => {
    if (message.type !== 'ready') return;
    for (const posted of options.messages) await page.evaluate(`window.postMessage(${JSON.stringify(posted)}, '*')`);
  });
  // A string, not a function: the test's own transpiler would add helpers the page does not have.
  await page.addInitScript(
    `window.__state = ${JSON.stringify(options.state ?? null)} ?? undefined;` +
      'window.acquireVsCodeApi = () => ({ postMessage: (m) => window.toExtension(m), ' +
      'getState: () => window.__state, setState: (s) => { window.__state = JSON.parse(JSON.stringify(s)); } });',
  );
  await page.goto(`${ORIGIN}/`);
  await options
    .drawn(page)
    .waitFor()
    .catch((error: unknown) => assert.fail(`${String(error)}\n${problems.join('\n')}`));
  return { page, problems, requests, savedState: () => page.evaluate('window.__state') };
}
