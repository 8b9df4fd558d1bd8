import { strict as assert } from 'node:assert';
import { marked } from 'marked';
import type { CodeLens, Hover, MarkupContent } from 'vscode-languageserver-protocol/node';
import { escapeControl } from '../../engine/src/printable';
import { HOSTILE_TEXT, rawControls } from '../helpers/hostileText';
import { LOCAL, lspSession } from '../helpers/lspSession';

/**
 * Values and layer names from a repository shown in the editor: control characters, and text that markdown or a
 * lens title would act on (code fences, emphasis, links, HTML, entities that spell control characters, icons).
 * Hover markdown is rendered with marked (the renderer VS Code's hovers use) and must show each value as written,
 * control characters as `\uXXXX`, with no link, image, HTML or emphasis the repository put there.
 */

const MARKDOWN_BREAKERS = [
  'a `tick` and ``two`` and `',
  '**bold** _em_ ~~gone~~',
  '[click](javascript:alert(1)) ![img](https://evil.example/x.png)',
  '<img src=x onerror=alert(1)> <b>html</b>',
  '&#27;]52;c;&#x1b;[2J entity',
  '| table | row |',
  '$(alert) icon $(zap)',
  'line one\n# heading two',
];
const VALUES = [...MARKDOWN_BREAKERS, ...HOSTILE_TEXT.map(({ text }) => `v${text}`)];

/** The text a person sees once marked renders `markdown` (tags dropped, entities decoded). */
function rendered(markdown: string): { html: string; text: string } {
  const html = marked.parse(markdown, { async: false });
  const text = html.replace(/<[^>]*>/g, '').replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (entity, name: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return String.fromCodePoint(code);
    }
    return named[name] ?? entity;
  });
  return { html, text };
}

/** Only the elements claude-env writes itself: paragraphs, code, the bold labels, the one italic note and links to file:// origins. */
function assertOnlyOwnMarkup(html: string, what: string): void {
  const tags = [...html.matchAll(/<\/?([a-z0-9]+)/gi)].map((match) => match[1].toLowerCase());
  for (const tag of tags) assert.ok(['p', 'code', 'strong', 'em', 'a'].includes(tag), `${what}: <${tag}> in ${html}`);
  for (const [, href] of html.matchAll(/href="([^"]*)"/g)) assert.match(href, /^file:\/\//, `${what}: ${html}`);
}

describe('LSP hover and code lens markdown from a hostile repository', function () {
  const session = lspSession(this);
  this.timeout(60_000);

  it('hover shows every value as written, control characters escaped, with no markup of its own', async () => {
    const local = ['version: 1', 'settings:', '  env:', ...VALUES.map((v, i) => `    V${i}: ${JSON.stringify(v)}`)];
    // Opened as a buffer: the fixture tree reads `|` as a caret marker.
    await session.start();
    const { client, tree } = session;
    const uri = tree.uri(LOCAL);
    await client.open(uri, `${local.join('\n')}\n`);
    for (const [i, value] of VALUES.entries()) {
      const hover = await client.request<Hover | null>('textDocument/hover', {
        textDocument: { uri },
        position: { line: 3 + i, character: 5 },
      });
      const markdown = (hover?.contents as MarkupContent | undefined)?.value ?? '';
      assert.deepEqual(rawControls(markdown), [], `value ${i}: raw in the markdown`);
      const { html, text } = rendered(markdown);
      assert.deepEqual(rawControls(text), [], `value ${i}: raw once rendered: ${JSON.stringify(text)}`);
      assertOnlyOwnMarkup(html, `value ${i}`);
      assert.ok(
        text.includes(`Effective value: ${escapeControl(value.replace(/\n/g, ' '))}`),
        `value ${i} ${JSON.stringify(value)} not shown as written in ${JSON.stringify(text)} from ${JSON.stringify(markdown)}`,
      );
    }
  });

  it('hover shows a hostile org folder name as written, and the lens in the overridden file escapes the value', async () => {
    const org = 'org*[x](javascript:1)`&#27;\u001b]0;t\u0007';
    const value = 'haiku $(alert) \u001b[2J `x`';
    await session.start({
      [`${org}/base.yaml`]: 'version: 1\nsettings:\n  model: claude-opus-4-1\n',
      'repo/.claude-env/project.yaml': `version: 1\nsource:\n  path: ${JSON.stringify(`../../${org}`)}\n`,
      [LOCAL]: `version: 1\nsettings:\n  model: ${JSON.stringify(value)}\n`,
    });
    const { client, tree } = session;
    const base = tree.uri(`${org}/base.yaml`);
    await client.open(base, tree.text(`${org}/base.yaml`));
    const hover = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: base },
      position: { line: 2, character: 4 },
    });
    const markdown = (hover?.contents as MarkupContent | undefined)?.value ?? '';
    const { html, text } = rendered(markdown);
    assert.deepEqual(rawControls(markdown), []);
    assertOnlyOwnMarkup(html, 'hover in the org layer: ' + JSON.stringify(markdown));
    assert.ok(text.includes(`Effective value: ${escapeControl(value)}`), JSON.stringify(text));
    assert.ok(text.includes(`from base at ../${escapeControl(org)}/base.yaml:3`), JSON.stringify(text));

    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: base } });
    const title = lenses.find((lens) => lens.command?.arguments?.[1] === 'settings.model')?.command?.title ?? '';
    assert.equal(title, 'overridden in local layer → effective: haiku \\$(alert) \\u001b[2J `x`');
  });
});
