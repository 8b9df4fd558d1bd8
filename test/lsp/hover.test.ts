import { strict as assert } from 'node:assert';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol/node';
import { withCarets, yaml } from '../helpers/carets';
import { BASE, LOCAL, lspSession, PROJECT, TEAM } from '../helpers/lspSession';

describe('LSP hover', function () {
  const session = lspSession(this);

  async function hoverAt(uri: string, position: { line: number; character: number }): Promise<string> {
    const result = await session.client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position,
    });
    assert.ok(result, 'no hover');
    return (result.contents as MarkupContent).value;
  }

  it('shows the effective value, the layer and file:line that set it, what it overrode and the schema description', async () => {
    const marked = yaml`
      version: 1
      settings:
        mo|del: claude-haiku-4-5
    `;
    await session.start({ [LOCAL]: marked });
    const { client, tree } = session;
    await client.open(tree.uri(LOCAL), tree.text(LOCAL));
    const text = await hoverAt(tree.uri(LOCAL), tree.carets(LOCAL)[0]);
    assert.match(text, /\*\*`settings\.model`\*\*/);
    assert.match(text, /The model Claude Code uses/);
    assert.match(text, /Effective value: `claude-haiku-4-5`/);
    assert.match(text, /Set by \*\*local\*\* at \[\.claude-env\/local\.yaml:3\]/);
    assert.match(text, /Overrides `claude-opus-4-1` from \*\*team web\*\* at \[\.\.\/org\/teams\/web\.yaml:3\]/);
    assert.match(text, /Overrides `claude-sonnet-4-5` from \*\*base\*\* at \[\.\.\/org\/base\.yaml:3\]/);
  });

  it("describes Claude Code's newer keys from the schema: hook types, status line, server fields", async () => {
    const marked = yaml`
      version: 1
      settings:
        status|Line: { type: command, command: ~/.claude/statusline.sh }
        hooks:
          Stop:
            - hooks: [{ type: http, url: "http://localhost:1/x", status|Message: Saving }]
      mcpServers:
        remote:
          type: http
          url: https://mcp.example.dev/mcp
          headers|Helper: scripts/headers.sh
    `;
    await session.start({ [LOCAL]: marked });
    const { client, tree } = session;
    await client.open(tree.uri(LOCAL), tree.text(LOCAL));
    const [statusLine, statusMessage, headersHelper] = tree.carets(LOCAL);
    assert.match(await hoverAt(tree.uri(LOCAL), statusLine), /A custom status line/);
    assert.match(await hoverAt(tree.uri(LOCAL), statusMessage), /Text shown while the hook runs/);
    assert.match(await hoverAt(tree.uri(LOCAL), headersHelper), /prints extra request headers as JSON/);
  });

  it('tells a lower layer that its value is overridden, and by whom', async () => {
    await session.start();
    const { client, tree } = session;
    const { text, carets } = withCarets(tree.text(TEAM).replace('model:', 'mod|el:'));
    await client.open(tree.uri(TEAM), text);
    const hover = await hoverAt(tree.uri(TEAM), carets[0]);
    assert.match(hover, /Effective value: `claude-haiku-4-5`/);
    assert.match(hover, /Set by \*\*local\*\*/);
    assert.match(hover, /overridden/);
  });

  it('shows a secret as its reference, never a resolved value', async () => {
    const marked = yaml`
      version: 1
      mcpServers:
        context7:
          env:
            TOK|EN: \${secret:context7-token}
    `;
    await session.start({ [LOCAL]: marked }, { CLAUDE_ENV_SECRET_CONTEXT7_TOKEN: 'resolved-value-must-not-leak' });
    const { client, tree } = session;
    await client.open(tree.uri(LOCAL), tree.text(LOCAL));
    const text = await hoverAt(tree.uri(LOCAL), tree.carets(LOCAL)[0]);
    assert.match(text, /\$\{secret:context7-token\}/);
    assert.doesNotMatch(text, /resolved-value-must-not-leak/);
  });

  it('masks a literal credential in the effective value instead of repeating it', async () => {
    const marked = yaml`
      version: 1
      mcpServers:
        context7:
          env:
            API_K|EY: ghp_Zq8xV2mN4pL7rT1wY6uB9cE3fH5jK0sDa1b2
    `;
    await session.start({ [LOCAL]: marked });
    const { client, tree } = session;
    await client.open(tree.uri(LOCAL), tree.text(LOCAL));
    const text = await hoverAt(tree.uri(LOCAL), tree.carets(LOCAL)[0]);
    assert.match(text, /Effective value: `•••••• \(literal credential hidden\)`/);
    assert.doesNotMatch(text, /ghp_Zq8x/);
  });

  it('names every layer that merged into a map', async () => {
    await session.start();
    const { client, tree } = session;
    const { text, carets } = withCarets(tree.text(PROJECT).replace('settings:', 'sett|ings:'));
    await client.open(tree.uri(PROJECT), text);
    const hover = await hoverAt(tree.uri(PROJECT), carets[0]);
    assert.match(hover, /Merged from \*\*base\*\*, \*\*team web\*\*, \*\*project\*\*, \*\*local\*\*/);
  });

  it('shows which layer contributed an item of a unioned permission list', async () => {
    await session.start();
    const { client, tree } = session;
    const { text, carets } = withCarets(tree.text(BASE).replace('- Read(./.env)', '- Read(|./.env)'));
    await client.open(tree.uri(BASE), text);
    const hover = await hoverAt(tree.uri(BASE), carets[0]);
    assert.match(hover, /Item contributed by \*\*base\*\* at \[\.\.\/org\/base\.yaml:8\]/);
  });
});
