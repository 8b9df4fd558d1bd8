import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isRefusal, RESTRICTED_MODE_REASON } from '../../../extension/src/commands/registry';
import { activeApi, workspacePath } from './helpers';

describe('Restricted Mode', () => {
  it('validates, but Apply refuses with the reason and writes nothing', async () => {
    const api = await activeApi();
    assert.equal(api.serverRunning(), true, 'validation runs in Restricted Mode');
    const result = await vscode.commands.executeCommand('claudeEnv.apply', { folder: workspacePath() });
    assert.ok(isRefusal(result));
    assert.equal(result.reason, RESTRICTED_MODE_REASON);
    assert.match(result.reason, /Restricted Mode/);
    assert.equal(fs.existsSync(workspacePath('.mcp.json')), false);
    assert.equal(fs.existsSync(workspacePath('.claude')), false);
  });

  it('Initialize and Import refuse too', async () => {
    await activeApi();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-env-restricted-'));
    try {
      fs.writeFileSync(path.join(folder, '.mcp.json'), '{ "mcpServers": {} }');
      assert.ok(isRefusal(await vscode.commands.executeCommand('claudeEnv.init', { folder, fromExisting: false })));
      assert.ok(isRefusal(await vscode.commands.executeCommand('claudeEnv.import', { folder })));
      assert.equal(fs.existsSync(path.join(folder, '.claude-env')), false);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
