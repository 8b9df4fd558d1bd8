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
  const layersHeader = page.locator('.pane-header', { hasText: 'Layers' });
  // A second click on the active icon would hide the sidebar.
  if (await layersHeader.isVisible()) return;
  await item.click();
  await layersHeader.waitFor({ state: 'visible' });
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

/** Moves the cursor of the active editor with Go to Line/Column (`line:column`, one-based). */
export async function goToLine(page: Page, lineColumn: string): Promise<void> {
  // An editor opened from a tree takes the focus a moment later, and a quick input that loses the focus closes:
  // put the focus in the editor first, as a person's click would, and wait until it has it.
  await page.locator('.part.editor .editor-group-container.active .monaco-editor .view-lines').first().click();
  await page.locator('.part.editor .editor-group-container.active .monaco-editor.focused').first().waitFor();
  await runFromCommandPalette(page, 'Go to Line/Column');
  // Typing before the new quick input replaced the palette would type into the editor instead.
  await page.waitForFunction(`document.querySelector('.quick-input-widget input')?.value === ':'`);
  await page.locator('.quick-input-widget input').fill(`:${lineColumn}`);
  // Enter acts on the row the picker computed for the typed text; wait for it, not for the keystrokes.
  const line = lineColumn.split(':')[0] ?? lineColumn;
  await page.locator('.quick-input-list .monaco-list-row', { hasText: `line ${line}` }).waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
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

/**
 * Hovers `target` until a hover containing `text` shows and returns it. A view that refreshes under a still
 * mouse drops its pending hover, so the mouse leaves and comes back between tries, as a person's would.
 */
export async function hoverUntil(page: Page, target: Locator, text: string, attempts = 5): Promise<Locator> {
  const hover = page.locator('.monaco-hover', { hasText: text }).first();
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(700, 700);
    await target.hover();
    try {
      await hover.waitFor({ state: 'visible', timeout: 10_000 });
      return hover;
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}
