/**
 * Drives the VS Code workbench with Playwright as a person would: the activity bar, tree views, the command
 * palette and notifications. Selectors use the accessible roles and names VS Code renders.
 */
import type { Locator, Page } from 'playwright-core';

/** Clicks the "Claude Env" icon in the activity bar and waits for its views' headers. */
export async function openClaudeEnvSidebar(page: Page): Promise<void> {
  // The icon appears once the workbench has loaded the extension's manifest.
  const item = page.locator('.activitybar').getByRole('tab', { name: /^Claude Env/ });
  await item.waitFor({ state: 'visible', timeout: 60_000 });
  await item.click();
  await page.locator('.pane-header', { hasText: 'Layers' }).waitFor({ state: 'visible' });
}

/** Expands a view of the open sidebar (if collapsed) and returns its tree's rows. */
export async function expandView(page: Page, title: string): Promise<Locator> {
  const header = page.locator('.pane-header', { hasText: title }).first();
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  const pane = page.locator('.pane', { has: header });
  const rows = pane.locator('.monaco-list-row');
  await rows.first().waitFor({ state: 'visible' });
  return rows;
}

/** "label description" of each row a tree shows, once at least `expected` rows are rendered. */
export async function rowTexts(rows: Locator, expected: number): Promise<string[]> {
  await rows.nth(expected - 1).waitFor({ state: 'visible' });
  return rows.evaluateAll((elements) =>
    elements.map((row) =>
      [row.querySelector('.label-name'), row.querySelector('.label-description')]
        .map((part) => (part?.textContent ?? '').trim())
        .filter((part) => part !== '')
        .join(' '),
    ),
  );
}

/** Runs a command through the command palette by its title, as typed by a person. */
export async function runFromCommandPalette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

/**
 * Opens the notification center and returns the notification whose text matches. This workbench does not pop
 * toasts up in automation, so a person's second look, the bell's list, is where messages are read.
 */
export async function notificationInCenter(page: Page, text: RegExp): Promise<Locator> {
  await runFromCommandPalette(page, 'Notifications: Show Notifications');
  const found = page.getByText(text).first();
  await found.waitFor({ state: 'visible' });
  return found;
}
