import { strict as assert } from 'node:assert';
import type { CompletionList } from 'vscode-languageserver-protocol/node';
import { withCarets } from '../helpers/carets';
import { lspSession } from '../helpers/lspSession';

describe('LSP completion in JSON layer files', function () {
  const session = lspSession(this);

  async function completeJson(marked: string): Promise<string[]> {
    const { client, tree } = session;
    const { text, carets } = withCarets(marked);
    const uri = tree.uri('repo/.claude-env/local.json');
    await client.open(uri, text, 'json');
    const list = await client.request<CompletionList>('textDocument/completion', {
      textDocument: { uri },
      position: carets[0],
    });
    return list.items.map((item) => item.label);
  }

  it('offers enum values inside a JSON string and keys inside a JSON object', async () => {
    await session.start();
    assert.deepEqual(await completeJson('{"settings": {"permissions": {"defaultMode": "|"}}}'), [
      'default',
      'acceptEdits',
      'plan',
      'bypassPermissions',
      'dontAsk',
      'auto',
    ]);
    const keys = await completeJson('{"mcpServers": {"x": {"command": "node", "|"}}}');
    assert.ok(keys.includes('args') && keys.includes('supervision'), keys.join(','));
  });
});
