// `npm run screenshots`: after a `npm run test:vscode` run, copies the screenshots the README shows from
// test-results/ (git-ignored) into docs/images/, so every picture in the README is what a real VS Code showed.
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'test-results', 'vscode-web-trusted');
const images = join(root, 'docs', 'images');
// The Marketplace and GitHub show these inline; a larger file is a sign the test saved the wrong thing.
const MAX_BYTES = 300 * 1024;

/** test-results/vscode-web-trusted/<from> → docs/images/<to>, each saved by test/vscode/extension.test.ts (and orgUpdatesUi.ts). */
const screenshots = [
  { from: 'claude-env-sidebar.png', to: 'layers-and-provenance.png' },
  { from: 'explain-setting.png', to: 'explain-setting.png' },
  { from: 'mcp-gateway-sessions.png', to: 'mcp-servers.png' },
  { from: 'dashboard.png', to: 'dashboard.png' },
  { from: 'dashboard-servers.png', to: 'dashboard-servers.png' },
  { from: 'org-update-modal.png', to: 'org-update.png' },
];

const missing = screenshots.filter(({ from }) => !existsSync(join(results, from)));
if (missing.length > 0) {
  console.error(
    `missing in ${relative(root, results)}/: ${missing.map(({ from }) => from).join(', ')}\n` +
      'Run the real VS Code tests first: npm run build && npm run test:vscode',
  );
  process.exit(1);
}
mkdirSync(images, { recursive: true });
let failed = false;
for (const { from, to } of screenshots) {
  const size = statSync(join(results, from)).size;
  if (size > MAX_BYTES) {
    console.error(`${from}: ${(size / 1024).toFixed(0)} KiB is over ${MAX_BYTES / 1024} KiB; not copied`);
    failed = true;
    continue;
  }
  copyFileSync(join(results, from), join(images, to));
  console.log(`${relative(root, join(images, to))}: ${(size / 1024).toFixed(0)} KiB`);
}
process.exit(failed ? 1 : 0);
