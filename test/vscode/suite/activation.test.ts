import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeApi, extension, openInEditor, suiteMode, whenEvent, workspacePath } from './helpers';

describe('activation', () => {
  it('opens the folder in the Workspace Trust state the runner asked for', () => {
    assert.equal(vscode.workspace.isTrusted, suiteMode() === 'trusted');
  });

  it('activates in a folder with a .claude-env folder and starts the language server', async () => {
    const api = await activeApi();
    assert.equal(extension().isActive, true);
    assert.equal(api.serverRunning(), true, 'the language server is running');
    assert.ok(api.timings.activateMs >= 0 && api.timings.serverStartMs !== undefined);
  });

  it('registers every command the manifest contributes', async () => {
    await activeApi();
    const contributed = (extension().packageJSON.contributes.commands as { command: string }[]).map(
      (entry) => entry.command,
    );
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(contributed.length >= 6);
    assert.deepEqual(
      contributed.filter((id) => !registered.has(id)),
      [],
    );
  });

  it('gives files in .claude-env the layer language', async () => {
    const editor = await openInEditor('.claude-env', 'project.yaml');
    assert.equal(editor.document.languageId, 'claude-env-layer');
  });

  it('gives the organisation’s team file the layer language once the stack uses it', async () => {
    await activeApi();
    const team = vscode.Uri.file(workspacePath('..', 'org', 'teams', 'web.yaml'));
    const document = await vscode.workspace.openTextDocument(team);
    assert.equal(document.languageId, 'yaml', 'a plain YAML file by its name alone');
    const adopted = await whenEvent(
      vscode.workspace.onDidOpenTextDocument,
      () =>
        vscode.workspace.textDocuments.find(
          (open) => open.uri.fsPath === team.fsPath && open.languageId === 'claude-env-layer',
        ),
      'the team file to get the layer language',
    );
    assert.equal(adopted.languageId, 'claude-env-layer');
  });
});
