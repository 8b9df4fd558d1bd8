import { strict as assert } from 'node:assert';
import { DiagnosticSeverity, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { yaml } from '../helpers/carets';
import { LOCAL, lspSession } from '../helpers/lspSession';

describe('LSP quick fixes', function () {
  const session = lspSession(this);

  /** Asks for the fixes of the first diagnostic with `code`, applies the one offered and returns the new text. */
  async function applyFix(uri: string, text: string, code: string): Promise<string> {
    const { client } = session;
    const diagnostics = await client.waitForDiagnostics(uri, (found) =>
      found.some((diagnostic) => diagnostic.code === code),
    );
    const diagnostic = diagnostics.find((candidate) => candidate.code === code) as Diagnostic;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    assert.equal(actions.length, 1, JSON.stringify(actions));
    const edits = actions[0].edit?.changes?.[uri] ?? [];
    return TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), edits);
  }

  it('removes the override of a locked key, after which the lock error is gone', async () => {
    await session.start();
    const { client, tree } = session;
    const uri = tree.uri(LOCAL);
    const text = yaml`
      version: 1
      settings:
        cleanupPeriodDays: 7
        model: claude-haiku-4-5
    `;
    await client.open(uri, text);
    const fixed = await applyFix(uri, text, 'policy.lockedKey');
    assert.equal(fixed, 'version: 1\nsettings:\n  model: claude-haiku-4-5\n');
    await client.change(uri, fixed);
    await client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length === 0);
  });

  it('offers Set Secret for a secret not set on this machine, a warning and not an error', async () => {
    await session.start();
    const { client, tree } = session;
    const uri = tree.uri(LOCAL);
    await client.open(
      uri,
      'version: 1\nmcpServers:\n  magic:\n    command: npx\n    env:\n      KEY: ${secret:magic-key}\n',
    );
    const diagnostics = await client.waitForDiagnostics(uri, (found) =>
      found.some((diagnostic) => diagnostic.code === 'secret.unresolved'),
    );
    const diagnostic = diagnostics.find((candidate) => candidate.code === 'secret.unresolved') as Diagnostic;
    assert.equal(diagnostic.severity, DiagnosticSeverity.Warning);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    assert.deepEqual(
      actions.map((action) => [action.title, action.command?.command, action.command?.arguments, action.edit]),
      [['Set Secret `magic-key`', 'claudeEnv.setSecret', [{ name: 'magic-key' }], undefined]],
    );
  });

  it('adds a missing required property where the schema wants it', async () => {
    await session.start();
    const { client, tree } = session;
    const uri = tree.uri(LOCAL);
    const text = yaml`
      version: 1
      settings:
        hooks:
          PreToolUse:
            - matcher: Bash
    `;
    await client.open(uri, text);
    const fixed = await applyFix(uri, text, 'schema.missingProperty');
    assert.equal(fixed.split('\n').slice(4).join('\n'), '      - hooks: \n        matcher: Bash\n');
  });
});
