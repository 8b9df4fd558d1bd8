/**
 * The .vsix `npm run package` builds, installed into a real VS Code the way a user installs it (not loaded as a
 * development extension): it must carry everything it needs at run time and nothing else.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ensureVsCodeWeb, installVsix, startVsCodeServer, type VsCodeServer } from '../../scripts/vscode-server';
import { launchChromium, repoRoot } from './runWeb';
import { expandView, openClaudeEnvSidebar, rowTexts } from './ui';
import { prepareWorkspace, type SuiteWorkspace } from './workspace';

describe('the packaged extension (.vsix)', function () {
  this.timeout(900_000);
  const { name, version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const vsix = join(repoRoot, `${name}-${version}.vsix`);
  let workspace: SuiteWorkspace | undefined;
  let server: VsCodeServer | undefined;
  let browser: Browser | undefined;

  before(() => {
    const packaged = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'vscode-package.mjs')], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    assert.equal(packaged.status, 0, `npm run package failed:\n${packaged.stdout}${packaged.stderr}`);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    workspace?.dispose();
  });

  it('holds only the bundles, the manifest, the schema, the editor assets and the walkthrough', () => {
    const listing = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8' });
    assert.equal(listing.status, 0, listing.stderr);
    const files = listing.stdout
      .split('\n')
      .filter((line) => line.startsWith('extension/'))
      .sort();
    assert.deepEqual(files, [
      'extension/dist/extension.js',
      'extension/dist/server.js',
      'extension/dist/webview/dashboard.js',
      'extension/extension/language-configuration.json',
      'extension/extension/media/claude-env.svg',
      'extension/extension/media/icon.png',
      'extension/extension/media/walkthrough/apply.md',
      'extension/extension/media/walkthrough/explain.md',
      'extension/extension/media/walkthrough/secrets.md',
      'extension/extension/media/walkthrough/servers.md',
      'extension/extension/media/walkthrough/start.md',
      'extension/extension/syntaxes/claude-env-layer.tmLanguage.json',
      'extension/package.json',
      'extension/readme.md',
      'extension/schemas/layer.schema.json',
    ]);
    assert.ok(statSync(vsix).size < 1024 * 1024, `${statSync(vsix).size} bytes`);
  });

  it('installs into VS Code and shows the layer stack in the Claude Env sidebar', async () => {
    const toolchain = ensureVsCodeWeb(repoRoot);
    workspace = prepareWorkspace(repoRoot, 'trusted');
    const dataDir = join(workspace.temp, 'vscode');
    installVsix(toolchain, dataDir, vsix);
    const resultsDir = join(repoRoot, 'test-results', 'vscode-vsix');
    server = await startVsCodeServer({
      toolchain,
      dataDir,
      trusted: true,
      env: workspace.env,
      logFile: join(resultsDir, 'server.log'),
    });
    browser = await launchChromium(toolchain);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(60_000);
    // No development payload: VS Code runs the installed copy, as it would for a user.
    await page.goto(server.workbenchUrl(workspace.folder));
    await openClaudeEnvSidebar(page);
    const layers = await rowTexts(await expandView(page, 'Layers'), 4);
    assert.deepEqual(layers.slice(0, 4), [
      'base no problems',
      'team web 1 warning',
      'project no problems',
      'local no problems',
    ]);
    await page.screenshot({ path: join(resultsDir, 'installed-vsix-sidebar.png') });
  });
});
