import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseLayer } from '@claude-env/engine';
import { IncrementalLayerParser, splitChunks } from '../../language-server/src/incrementalParse';
import { generateLayer } from '../../bench/lsp';

const FILE = '/work/repo/.claude-env/local.yaml';

/** What the server relies on: the tree and the diagnostics (the root's own range is not used). */
function comparable(text: string, parser?: IncrementalLayerParser) {
  const layer = parser ? parser.parse(FILE, text, 'local', 'local') : parseLayer(FILE, text, 'local', 'local');
  // The order of diagnostics follows the schema validator's traversal, which means nothing to a reader.
  const diagnostics = [...layer.diagnostics].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { entries: layer.root?.entries, diagnostics, rootDefined: layer.root !== undefined };
}

describe('incremental layer parsing', function () {
  // Each property run parses a 1,000-line file whole after every edit, to compare.
  this.timeout(60_000);

  it('splits a large generated layer into top-level and second-level chunks', () => {
    const chunks = splitChunks(generateLayer(5000));
    assert.ok(chunks && chunks.length > 10, `only ${chunks?.length} chunks`);
    assert.ok(chunks.some((chunk) => chunk.parents[0]?.key === 'mcpServers'));
    assert.ok(
      chunks.some(
        (chunk) => chunk.items && chunk.parents.map((parent) => parent.key).join('.') === 'settings.permissions.allow',
      ),
    );
  });

  it('re-parses only the chunk an edit touched, even when lines were inserted above others', () => {
    const parser = new IncrementalLayerParser();
    const text = generateLayer(5000);
    parser.parse(FILE, text, 'local', 'local');
    const total = parser.lastStats.chunks;
    const edited = text.replace('  model: claude-sonnet-4-5', '  model: claude-opus-4-1\n  includeCoAuthoredBy: true');
    const layer = parser.parse(FILE, edited, 'local', 'local');
    assert.deepEqual(parser.lastStats, { chunks: total, parsed: 1 });
    assert.deepEqual(layer.root?.entries, parseLayer(FILE, edited, 'local', 'local').root?.entries);
  });

  it('parses whole any file with anchors, aliases or document markers', () => {
    const text = generateLayer(1000).replace('mcpServers:', 'defaults: &d\n  a: 1\nmcpServers:');
    assert.equal(splitChunks(text), undefined);
  });

  it('gives the same tree and diagnostics as a whole-file parse across a series of edits', () => {
    const base = generateLayer(1000).split('\n');
    const edits = fc.array(
      fc.record({
        line: fc.nat({ max: base.length - 2 }),
        kind: fc.constantFrom('replace', 'insert', 'delete', 'break', 'duplicate'),
        text: fc.constantFrom(
          '    command: npx',
          '  model: claude-opus-4-1',
          '      - Bash(ls)',
          '  extra-server:\n    command: node',
          'bogus: [',
          '    cwd: 7',
          '# note',
          '',
        ),
      }),
      { minLength: 1, maxLength: 6 },
    );
    fc.assert(
      fc.property(edits, (steps) => {
        const parser = new IncrementalLayerParser();
        const lines = [...base];
        parser.parse(FILE, lines.join('\n'), 'local', 'local');
        for (const step of steps) {
          const at = Math.min(step.line, lines.length - 1);
          if (step.kind === 'replace') lines[at] = step.text;
          else if (step.kind === 'insert') lines.splice(at, 0, step.text);
          else if (step.kind === 'delete') lines.splice(at, 1);
          else if (step.kind === 'break') lines[at] = `${lines[at]} :`;
          else lines.splice(at, 0, lines[at]);
          const text = lines.join('\n');
          assert.deepEqual(comparable(text, parser), comparable(text));
        }
      }),
      { numRuns: 20 },
    );
  });
});
