import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeApi, diagnosticsWhen, openInEditor, replaceText } from './helpers';

describe('diagnostics', () => {
  // Revert every buffer a test edited, not only the active editor: a notification or a view taking focus must not
  // leave an edit behind for the next suite (Apply saves dirty buffers).
  afterEach(async () => {
    for (const document of vscode.workspace.textDocuments.filter((candidate) => candidate.isDirty)) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('reports a locked key overridden in the local layer at the override line, while typing', async () => {
    await activeApi();
    const editor = await openInEditor('.claude-env', 'local.yaml');
    await replaceText(editor, 'version: 1\nsettings:\n  model: claude-sonnet-4-5\n  cleanupPeriodDays: 90\n');
    const diagnostics = await diagnosticsWhen(
      editor.document.uri,
      (found) => found.some((d) => codeOf(d) === 'policy.lockedKey'),
      'the policy.lockedKey diagnostic',
    );
    const locked = diagnostics.find((d) => codeOf(d) === 'policy.lockedKey');
    assert.ok(locked);
    assert.equal(locked.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(locked.range.start.line, 3, 'on the cleanupPeriodDays line');
    assert.match(locked.message, /locked by base/);
  });

  it('reports a YAML syntax error and clears it once fixed', async () => {
    await activeApi();
    const editor = await openInEditor('.claude-env', 'local.yaml');
    await replaceText(editor, 'version: 1\nsettings: [unclosed\n');
    await diagnosticsWhen(
      editor.document.uri,
      (found) => found.some((d) => d.severity === vscode.DiagnosticSeverity.Error),
      'a syntax error',
    );
    await replaceText(editor, 'version: 1\nsettings:\n  model: claude-sonnet-4-5\n');
    const after = await diagnosticsWhen(
      editor.document.uri,
      (found) => !found.some((d) => d.severity === vscode.DiagnosticSeverity.Error),
      'the syntax error to clear',
    );
    assert.equal(after.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length, 0);
  });
});

function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}
