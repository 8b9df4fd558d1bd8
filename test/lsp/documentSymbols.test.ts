import { strict as assert } from 'node:assert';
import type { DocumentSymbol } from 'vscode-languageserver-protocol/node';
import { BASE, lspSession } from '../helpers/lspSession';

describe('LSP document symbols', function () {
  const session = lspSession(this);

  it('outlines a layer file with nested keys and value details', async () => {
    await session.start();
    const { client, tree } = session;
    await client.open(tree.uri(BASE), tree.text(BASE));
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: { uri: tree.uri(BASE) },
    });
    assert.deepEqual(
      symbols.map((symbol) => symbol.name),
      ['version', 'settings', 'mcpServers', 'policy'],
    );
    const settings = symbols[1];
    assert.deepEqual(
      settings.children?.map((symbol) => [symbol.name, symbol.detail ?? '']),
      [
        ['model', 'claude-sonnet-4-5'],
        ['cleanupPeriodDays', '30'],
        ['permissions', ''],
      ],
    );
    assert.deepEqual(settings.selectionRange, { start: { line: 1, character: 0 }, end: { line: 1, character: 8 } });
  });
});
