import { strict as assert } from 'node:assert';
import type { CompletionItem, CompletionList } from 'vscode-languageserver-protocol/node';
import { withCarets, yaml } from '../helpers/carets';
import { LOCAL, lspSession } from '../helpers/lspSession';

describe('LSP completion', function () {
  const session = lspSession(this, { stopAfter: 'suite' });

  before(async () => {
    await session.start({
      [LOCAL]: yaml`
        version: 1
        mcpServers:
          magic:
            env:
              API_KEY: \${secret:magic-api-key}
      `,
    });
  });

  /** Opens `marked` as the local layer (a fresh version each time) and completes at its single caret. */
  async function complete(marked: string): Promise<CompletionItem[]> {
    const { client, tree } = session;
    const { text, carets } = withCarets(marked);
    const uri = tree.uri(LOCAL);
    if (client.diagnostics.has(uri)) await client.change(uri, text);
    else await client.open(uri, text);
    const list = await client.request<CompletionList>('textDocument/completion', {
      textDocument: { uri },
      position: carets[0],
    });
    return list.items;
  }

  const labels = (items: CompletionItem[]) => items.map((item) => item.label);

  it('offers the schema keys of the map at the cursor, with their descriptions', async () => {
    const items = await complete(yaml`
      version: 1
      settings:
        permissions:
          |
    `);
    assert.deepEqual(labels(items).sort(), [
      'additionalDirectories',
      'allow',
      'ask',
      'defaultMode',
      'deny',
      'disableBypassPermissionsMode',
    ]);
    const deny = items.find((item) => item.label === 'deny')!;
    assert.match(JSON.stringify(deny.documentation), /never use/);
  });

  it('offers top-level keys on an empty line at the root', async () => {
    const items = await complete('version: 1\n|\n');
    for (const key of ['settings', 'mcpServers', 'policy', 'outputs', 'source', 'teams'])
      assert.ok(labels(items).includes(key), key);
  });

  it('offers the enum values of a key', async () => {
    const items = await complete(yaml`
      settings:
        permissions:
          defaultMode: |
    `);
    assert.deepEqual(labels(items), ['default', 'acceptEdits', 'plan', 'bypassPermissions', 'dontAsk', 'auto']);
  });

  it('offers a snippet for a new server under mcpServers', async () => {
    const items = await complete(yaml`
      mcpServers:
        |
    `);
    const snippet = items.find((item) => item.label === 'new stdio server');
    assert.ok(snippet);
    assert.match(snippet.insertText ?? '', /command: \$\{2:npx\}/);
  });

  it('offers the server names of the whole stack (this buffer included) in a policy list', async () => {
    const items = await complete(yaml`
      mcpServers:
        playwright:
          command: npx
      policy:
        servers:
          allowed:
            - |
    `);
    assert.deepEqual(labels(items), ['context7', 'playwright']);
  });

  it('offers reference kinds after ${ and secret names already used after ${secret:', async () => {
    const kinds = await complete(yaml`
      mcpServers:
        context7:
          env:
            TOKEN: \${|
    `);
    assert.deepEqual(labels(kinds), ['env:', 'secret:', 'file:']);
    const secrets = await complete(yaml`
      mcpServers:
        magic:
          env:
            API_KEY: \${secret:magic-api-key}
        context7:
          env:
            TOKEN: \${secret:|
    `);
    assert.deepEqual(labels(secrets), ['magic-api-key']);
  });

  it('offers supervision keys inside a server entry, except those already set', async () => {
    const items = await complete(yaml`
      mcpServers:
        context7:
          supervision:
            restart: always
            |
    `);
    assert.ok(labels(items).includes('startupTimeout'));
    assert.ok(labels(items).includes('autoStart'));
    assert.ok(!labels(items).includes('restart'));
  });
});
