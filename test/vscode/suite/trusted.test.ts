import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ApplyReport, ImportReport, InitReport } from '@claude-env/engine';
import type { FileCommandResult } from '../../../extension/src/commands/files';
import { activeApi, workspacePath } from './helpers';

describe('commands that write (trusted folder)', () => {
  it('Apply writes Claude Code’s files, and a second Apply writes nothing', async () => {
    await activeApi();
    const first = await vscode.commands.executeCommand<FileCommandResult<ApplyReport>>('claudeEnv.apply', {
      folder: workspacePath(),
    });
    assert.equal(first?.ok, true, first?.lines.join('\n'));
    const mcp = JSON.parse(fs.readFileSync(workspacePath('.mcp.json'), 'utf8')) as {
      mcpServers: Record<string, { env?: Record<string, string> }>;
    };
    assert.ok(mcp.mcpServers.context7);
    // Secrets stay references in Claude Code's syntax.
    assert.match(mcp.mcpServers.magic?.env?.API_KEY ?? '', /^\$\{[A-Z0-9_]+\}$/);
    assert.ok(fs.existsSync(workspacePath('.claude', 'settings.local.json')));

    const second = await vscode.commands.executeCommand<FileCommandResult<ApplyReport>>('claudeEnv.apply', {
      folder: workspacePath(),
    });
    const targets = second?.report?.targets ?? [];
    assert.ok(targets.length > 0 && targets.every((target) => target.outcome === 'unchanged'));
  });

  it('Apply keeps a file edited by hand unless told to replace it, and then backs it up', async () => {
    await activeApi();
    const target = workspacePath('.mcp.json');
    const handEdited = '{ "mcpServers": { "mine": { "command": "echo" } } }\n';
    fs.writeFileSync(target, handEdited);

    const kept = await vscode.commands.executeCommand<FileCommandResult<ApplyReport>>('claudeEnv.apply', {
      folder: workspacePath(),
      onDrift: 'keep',
    });
    assert.equal(kept?.ok, false);
    assert.deepEqual(
      kept?.report?.plan.drifted.map((drifted) => drifted.path),
      ['.mcp.json'],
      'the report names the drifted file',
    );
    assert.equal(fs.readFileSync(target, 'utf8'), handEdited, 'the hand edit is untouched');

    const replaced = await vscode.commands.executeCommand<FileCommandResult<ApplyReport>>('claudeEnv.apply', {
      folder: workspacePath(),
      onDrift: 'replace',
    });
    assert.equal(replaced?.ok, true);
    const backupOfReport = replaced?.report?.targets.find((applied) => applied.path === '.mcp.json')?.backup;
    assert.equal(fs.readFileSync(backupOfReport ?? '', 'utf8'), handEdited, 'the report says where the backup is');
    assert.notEqual(fs.readFileSync(target, 'utf8'), handEdited);
    const backups = fs.readdirSync(workspacePath('.claude-env', 'backups'), { recursive: true }).map(String);
    const backedUp = backups
      .map((name) => workspacePath('.claude-env', 'backups', name))
      .filter((file) => fs.statSync(file).isFile());
    assert.ok(
      backedUp.some((file) => fs.readFileSync(file, 'utf8') === handEdited),
      'the hand edit is saved in .claude-env/backups/',
    );
  });

  it('Initialize writes a project layer in a folder without one', async () => {
    await activeApi();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-env-init-'));
    try {
      const result = await vscode.commands.executeCommand<FileCommandResult<InitReport>>('claudeEnv.init', {
        folder,
        fromExisting: false,
      });
      assert.equal(result?.ok, true);
      const project = fs.readFileSync(path.join(folder, '.claude-env', 'project.yaml'), 'utf8');
      assert.match(project, /context7/);
      const again = await vscode.commands.executeCommand<FileCommandResult<InitReport>>('claudeEnv.init', {
        folder,
        fromExisting: false,
      });
      assert.equal(again?.ok, false, 'never overwrites an existing project layer');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('Import Existing Configuration turns a .mcp.json into the project layer', async () => {
    await activeApi();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-env-import-'));
    try {
      fs.writeFileSync(
        path.join(folder, '.mcp.json'),
        JSON.stringify({
          mcpServers: { memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] } },
        }),
      );
      const result = await vscode.commands.executeCommand<FileCommandResult<ImportReport>>('claudeEnv.import', {
        folder,
      });
      assert.equal(result?.ok, true, result?.lines.join('\n'));
      const project = fs.readFileSync(path.join(folder, '.claude-env', 'project.yaml'), 'utf8');
      assert.match(project, /memory:/);
      assert.match(project, /server-memory/);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
