import { strict as assert } from 'node:assert';
import type { CodeLens, Hover, MarkupContent } from 'vscode-languageserver-protocol/node';
import { withCarets } from '../helpers/carets';
import { BASE, LOCAL, lspSession } from '../helpers/lspSession';

describe('LSP code lens', function () {
  const session = lspSession(this);

  it('puts a lens on each overridden key naming the winning layer and the effective value, and none on kept keys', async () => {
    await session.start();
    const { client, tree } = session;
    const { text, carets } = withCarets(tree.text(BASE).replace('  model:', '  |model|:'));
    await client.open(tree.uri(BASE), text);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: tree.uri(BASE) } });
    assert.equal(lenses.length, 1, JSON.stringify(lenses));
    assert.deepEqual(lenses[0].range, { start: carets[0], end: carets[1] });
    assert.equal(lenses[0].command?.title, 'overridden in local layer → effective: claude-haiku-4-5');
    assert.equal(lenses[0].command?.command, 'claudeEnv.explain');
    assert.deepEqual(lenses[0].command?.arguments, [tree.uri(BASE), 'settings.model']);
  });

  it('says which layer deleted a key this file sets, and hover tells the same', async () => {
    await session.start({ [LOCAL]: 'version: 1\nsettings:\n  model:\n    $delete: true\n' });
    const { client, tree } = session;
    const { text, carets } = withCarets(tree.text(BASE).replace('  model:', '  |model|:'));
    await client.open(tree.uri(BASE), text);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: tree.uri(BASE) } });
    assert.deepEqual(
      lenses.map((lens) => [lens.range.start, lens.command?.title]),
      [[carets[0], 'deleted in local layer']],
    );
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: tree.uri(BASE) },
      position: carets[0],
    });
    assert.match(
      (hover.contents as MarkupContent).value,
      /Deleted by \*\*local\*\* at \[\.claude-env\/local\.yaml:3\]/,
    );
  });

  it('puts a lens on a replaced list but not on a unioned one', async () => {
    await session.start({
      [LOCAL]:
        'version: 1\nsettings:\n  permissions:\n    deny:\n      - Bash(curl:*)\nmcpServers:\n  context7:\n    args: ["-e", "1"]\n',
    });
    const { client, tree } = session;
    const { text, carets } = withCarets(tree.text(BASE).replace('    args:', '    |args|:'));
    await client.open(tree.uri(BASE), text);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: tree.uri(BASE) } });
    const titles = lenses.map((lens) => [lens.range.start, lens.command?.title]);
    assert.deepEqual(
      titles.filter(([, title]) => String(title).includes('["-e"')),
      [[carets[0], 'overridden in local layer → effective: ["-e","1"]']],
    );
    const denyLine = text.split('\n').findIndex((line) => line.trim() === 'deny:');
    assert.ok(denyLine > 0);
    assert.ok(
      !titles.some(([position]) => (position as { line: number }).line === denyLine),
      'no lens on the unioned deny list',
    );
  });

  it('asks the editor to refresh lenses when another file of the stack changes them', async () => {
    await session.start();
    const { client, tree } = session;
    await client.open(tree.uri(BASE), tree.text(BASE));
    const before = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: tree.uri(BASE) } });
    assert.equal(before.length, 1);
    const refreshed = client.nextCodeLensRefresh();
    await client.open(tree.uri(LOCAL), 'version: 1\n');
    await refreshed;
    const after = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: tree.uri(BASE) } });
    assert.deepEqual(
      after.map((lens) => lens.command?.title),
      ['overridden in team web layer → effective: claude-opus-4-1'],
    );
  });
});
