import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EffectiveEntry } from '../../../extension/src/views/effective';
import { activeApi, workspacePath } from './helpers';

describe('views', () => {
  it('lists the layer stack lowest priority first, with each file state', async () => {
    const api = await activeApi();
    const stack = await api.layers();
    assert.ok(stack, 'the workspace has a stack');
    const present = stack.layers.filter((layer) => layer.state !== 'missing');
    assert.deepEqual(
      present.map((layer) => layer.kind),
      ['base', 'team', 'project', 'local'],
    );
    assert.equal(present[1]?.label, 'team web');
    assert.equal(present[3]?.file, workspacePath('.claude-env', 'local.yaml'));
    // The example's team layer references a secret not set on this machine: a warning, not an error.
    assert.equal(present[1]?.state, 'problems');
    assert.equal(present[1]?.problems.errors, 0);
    assert.ok((present[1]?.problems.warnings ?? 0) >= 1);
  });

  it('shows the effective tree with each value’s provenance and jumps to the line that set it', async () => {
    const api = await activeApi();
    const top = await api.effectiveRows();
    assert.deepEqual(top.map((row) => row.path.join('.')).slice(0, 2), ['settings', 'mcpServers']);
    const settings = await api.effectiveRows(top[0]);
    const model = settings.find((row) => row.path.join('.') === 'settings.model') as EffectiveEntry;
    assert.ok(model, 'settings.model is a row');
    assert.equal(model.value, 'claude-sonnet-4-5');
    assert.equal(model.origin.kind, 'local');
    assert.deepEqual(
      model.overridden.map((origin) => origin.label),
      ['team web', 'base'],
    );

    const item = api.effectiveItem(model);
    const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip);
    assert.match(tooltip, /local/);
    assert.match(tooltip, /web\.yaml:5/);
    assert.ok(item.command, 'a click opens the origin');
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, workspacePath('.claude-env', 'local.yaml'));
    assert.equal(editor?.selection.start.line, 3, 'the cursor is on the model line');
  });

  it('gives every item of a union array the layer that added it', async () => {
    const api = await activeApi();
    const [settings] = await api.effectiveRows();
    const permissions = (await api.effectiveRows(settings)).find(
      (row) => row.path.join('.') === 'settings.permissions',
    );
    const allow = (await api.effectiveRows(permissions)).find(
      (row) => row.path.join('.') === 'settings.permissions.allow',
    );
    const items = await api.effectiveRows(allow);
    const origins = new Map(items.map((item) => [item.value, path.basename(item.origin.file)]));
    assert.equal(origins.get('Bash(npm run lint)'), 'web.yaml');
    assert.equal(origins.get('Bash(npm run build)'), 'project.yaml');
  });

  it('shows the stack state in the status bar', async () => {
    const api = await activeApi();
    await api.layers();
    const status = api.statusBar();
    assert.equal(status.visible, true);
    assert.match(status.text, /Claude Env/);
    assert.match(status.tooltip ?? '', /layer file/);
  });
});
