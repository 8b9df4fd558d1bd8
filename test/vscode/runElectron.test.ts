import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { desktopAvailability } from './runElectron';

describe('choosing the desktop VS Code runner', () => {
  let repo: string;
  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'claude-env-desktop-'));
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it('says why it cannot run when nothing is cached and downloading is not enabled', () => {
    const verdict = desktopAvailability(repo, { DISPLAY: ':99' });
    assert.equal(verdict.available, false);
    assert.match(verdict.available ? '' : verdict.reason, /CLAUDE_ENV_VSCODE_DESKTOP=1/);
  });

  it('uses a release test-electron already cached, without downloading', () => {
    mkdirSync(join(repo, '.vscode-test', 'vscode-linux-x64-1.91.0'), { recursive: true });
    assert.deepEqual(desktopAvailability(repo, { DISPLAY: ':99' }), { available: true, version: '1.91.0' });
  });

  it('downloads the requested release only when asked to', () => {
    assert.deepEqual(
      desktopAvailability(repo, {
        DISPLAY: ':99',
        CLAUDE_ENV_VSCODE_DESKTOP: '1',
        CLAUDE_ENV_VSCODE_VERSION: '1.91.0',
      }),
      {
        available: true,
        version: '1.91.0',
      },
    );
  });

  it('needs a display on Linux even when VS Code is there', () => {
    const verdict = desktopAvailability(repo, { CLAUDE_ENV_VSCODE_DESKTOP: '1' }, 'linux');
    assert.equal(verdict.available, false);
    assert.match(verdict.available ? '' : verdict.reason, /xvfb-run/);
  });

  it('rejects an installed VS Code path that does not exist', () => {
    const verdict = desktopAvailability(repo, { DISPLAY: ':99', CLAUDE_ENV_VSCODE_EXECUTABLE: join(repo, 'code') });
    assert.equal(verdict.available, false);
  });
});
