import { strict as assert } from 'node:assert';
import type { Hover, Location, MarkupContent } from 'vscode-languageserver-protocol/node';
import { withCarets, yaml } from '../helpers/carets';
import { BASE, LOCAL, lspSession, PROJECT, TEAM } from '../helpers/lspSession';

describe('LSP go to definition', function () {
  const session = lspSession(this);

  const definitionAt = (uri: string, position: { line: number; character: number }) =>
    session.client.request<Location[] | null>('textDocument/definition', { textDocument: { uri }, position });

  it('jumps from a key in a lower layer to the line of the layer that wins', async () => {
    await session.start({
      [LOCAL]: yaml`
        version: 1
        settings:
          |model|: claude-haiku-4-5
      `,
    });
    const { client, tree } = session;
    const { text, carets } = withCarets(tree.text(BASE).replace('model:', 'mo|del:'));
    await client.open(tree.uri(BASE), text);
    const locations = await definitionAt(tree.uri(BASE), carets[0]);
    const [start, end] = tree.carets(LOCAL);
    assert.deepEqual(locations, [{ uri: tree.uri(LOCAL), range: { start, end } }]);
  });

  it('jumps from the winning key to the values it overrides', async () => {
    await session.start({
      [LOCAL]: yaml`
        version: 1
        settings:
          mo|del: claude-haiku-4-5
      `,
    });
    const { client, tree } = session;
    await client.open(tree.uri(LOCAL), tree.text(LOCAL));
    const locations = await definitionAt(tree.uri(LOCAL), tree.carets(LOCAL)[0]);
    assert.deepEqual(
      locations?.map((location) => [location.uri, location.range.start.line]),
      [
        [tree.uri(TEAM), 2],
        [tree.uri(BASE), 2],
      ],
    );
  });

  it("jumps from the project's teams entry to the team file and from source.path to the base", async () => {
    await session.start();
    const { client, tree } = session;
    const { text, carets } = withCarets(
      tree.text(PROJECT).replace('teams: [web]', 'teams: [w|eb]').replace('path: ../../org', 'path: ../..|/org'),
    );
    await client.open(tree.uri(PROJECT), text);
    const start = { line: 0, character: 0 };
    assert.deepEqual(await definitionAt(tree.uri(PROJECT), carets[1]), [
      { uri: tree.uri(TEAM), range: { start, end: start } },
    ]);
    assert.deepEqual(await definitionAt(tree.uri(PROJECT), carets[0]), [
      { uri: tree.uri(BASE), range: { start, end: start } },
    ]);
  });

  it('jumps from a locked path in the policy to the value it locks, and hover shows that value', async () => {
    await session.start();
    const { client, tree } = session;
    const { text, carets } = withCarets(
      tree.text(BASE).replace('- settings.cleanupPeriodDays', '- settings.cleanup|PeriodDays'),
    );
    await client.open(tree.uri(BASE), text);
    const locations = await definitionAt(tree.uri(BASE), carets[0]);
    const line = text.split('\n').findIndex((candidate) => candidate.includes('cleanupPeriodDays: 30'));
    assert.deepEqual(
      locations?.map((location) => [location.uri, location.range.start.line]),
      [[tree.uri(BASE), line]],
    );
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: tree.uri(BASE) },
      position: carets[0],
    });
    assert.match(
      (hover.contents as MarkupContent).value,
      /Applies to `settings\.cleanupPeriodDays`: `30`, set by \*\*base\*\*/,
    );
  });
});
