import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeApi, hoverText, openInEditor, positionOf } from './helpers';

describe('hover', () => {
  it('shows which layer set a setting and what it overrode', async () => {
    await activeApi();
    const editor = await openInEditor('.claude-env', 'local.yaml');
    const position = positionOf(editor.document, 'model:', 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      position,
    );
    const text = hoverText(hovers);
    assert.match(text, /settings\.model/);
    assert.match(text, /local/);
    assert.match(text, /web\.yaml/, 'names the team layer it overrode');
  });
});
