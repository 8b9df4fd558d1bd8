import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExplainResult } from '@claude-env/protocol';
import { activeApi, diagnosticsWhen, openInEditor, positionOf, replaceText, whenEvent, workspacePath } from './helpers';

describe('commands that read', () => {
  it('Show Effective Configuration opens the merged configuration as read-only JSON', async () => {
    await activeApi();
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('claudeEnv.showEffectiveConfiguration');
    assert.ok(document);
    assert.equal(document.languageId, 'json');
    assert.notEqual(document.uri.scheme, 'file', 'a virtual document cannot be saved over a file');
    const effective = JSON.parse(document.getText()) as {
      settings: Record<string, unknown>;
      mcpServers: Record<string, unknown>;
    };
    assert.equal(effective.settings.model, 'claude-sonnet-4-5');
    assert.deepEqual(Object.keys(effective.mcpServers).sort(), [
      'context7',
      'everything',
      'magic',
      'playwright',
      'sequential-thinking',
    ]);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('keeps the effective configuration document in step with unsaved edits', async () => {
    await activeApi();
    const effective = await vscode.commands.executeCommand<vscode.TextDocument>('claudeEnv.showEffectiveConfiguration');
    assert.ok(effective);
    const editor = await openInEditor('.claude-env', 'local.yaml');
    try {
      await replaceText(editor, 'version: 1\nsettings:\n  model: claude-haiku-4-5\n');
      await whenEvent(
        vscode.workspace.onDidChangeTextDocument,
        () => (effective.getText().includes('"model": "claude-haiku-4-5"') ? true : undefined),
        'the effective document to show the edited model',
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('Explain Setting at Cursor names the winning layer and line, and what it overrode', async () => {
    await activeApi();
    const editor = await openInEditor('.claude-env', 'local.yaml');
    const position = positionOf(editor.document, 'model:', 2);
    editor.selection = new vscode.Selection(position, position);
    const result = await vscode.commands.executeCommand<ExplainResult>('claudeEnv.explainAtCursor');
    assert.ok(result);
    assert.equal(result.found, true);
    assert.equal(result.path, 'settings.model');
    assert.equal(result.node?.origin.file, workspacePath('.claude-env', 'local.yaml'));
    assert.match(result.text, /team web/);
  });

  it('Restart Language Server brings validation back', async () => {
    const api = await activeApi();
    const running = await vscode.commands.executeCommand<boolean>('claudeEnv.restartServer');
    assert.equal(running, true);
    assert.equal(api.serverRunning(), true);
    const team = vscode.Uri.file(workspacePath('..', 'org', 'teams', 'web.yaml'));
    const stack = await api.layers();
    assert.ok(stack?.layers.some((layer) => layer.file === team.fsPath));
    // The org team file is part of the stack: opening it gives it the layer language and its diagnostics.
    const document = await vscode.workspace.openTextDocument(team);
    await vscode.window.showTextDocument(document);
    const diagnostics = await diagnosticsWhen(
      team,
      (found) => found.some((d) => /secret/.test(String(typeof d.code === 'object' ? d.code.value : d.code))),
      'the unresolved secret in the team layer',
    );
    assert.ok(diagnostics.length > 0);
  });
});
