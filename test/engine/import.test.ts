import { strict as assert } from 'node:assert';
import { parse as parseYaml } from 'yaml';
import {
  fromClaudeSyntax,
  fromVscodeSyntax,
  guessImportKind,
  importFiles,
  layerToYaml,
  mergeIntoLayerText,
  positionAt,
} from '../../engine/src/import';

describe('engine import', () => {
  describe('variable syntax', () => {
    it('turns Claude Code variables into env references and escapes any other ${', () => {
      assert.equal(fromClaudeSyntax('Bearer ${TOKEN}'), 'Bearer ${env:TOKEN}');
      assert.equal(fromClaudeSyntax('${PORT:-8080}/x'), '${env:PORT:-8080}/x');
      assert.equal(fromClaudeSyntax('${not a var} and ${1}'), '$${not a var} and $${1}');
      assert.equal(fromClaudeSyntax('plain $HOME'), 'plain $HOME');
    });

    it('turns VS Code inputs into secrets, keeps env, escapes VS Code-only variables', () => {
      assert.equal(fromVscodeSyntax('${input:api-key}'), '${secret:api-key}');
      assert.equal(fromVscodeSyntax('${env:HOME}/x'), '${env:HOME}/x');
      assert.equal(fromVscodeSyntax('${workspaceFolder}/db'), '$${workspaceFolder}/db');
    });
  });

  it('points at the value that uses a VS Code-only variable', () => {
    const text = '{"servers": {\n  "db": {"command": "x", "args": ["${workspaceFolder}/db"]}}}';
    const result = importFiles([{ file: '/w/.vscode/mcp.json', text }], { setOutputs: false });
    const warning = result.diagnostics.find((d) => d.code === 'import.vscodeVariable');
    assert.deepEqual(warning?.range.start, { line: 1, character: 34 });
    assert.deepEqual((result.layer.mcpServers?.db as { args: string[] }).args, ['$${workspaceFolder}/db']);
  });

  it('warns about a `$` glued to a variable, which a layer cannot express', () => {
    const text = '{"mcpServers": {"s": {"command": "x", "args": ["cost: $${PRICE}"]}}}';
    const result = importFiles([{ file: '/w/.mcp.json', text }], { setOutputs: false });
    const warning = result.diagnostics.find((d) => d.code === 'import.dollarBeforeVariable');
    assert.deepEqual(warning?.range.start, { line: 0, character: 47 });
    assert.match(warning?.message ?? '', /`\${PRICE}`/);
  });

  it('guesses the kind from the name, then from the content', () => {
    assert.equal(guessImportKind('/w/.mcp.json', undefined), 'mcpJson');
    assert.equal(guessImportKind('/w/.claude/settings.json', undefined), 'claudeSettings');
    assert.equal(guessImportKind('/w/.claude/settings.local.json', undefined), 'claudeLocalSettings');
    assert.equal(guessImportKind('/w/.vscode/mcp.json', undefined), 'vscodeMcpJson');
    const servers = importFiles([{ file: '/w/other.json', text: '{"servers": {"a": {"command": "x"}}}' }], {
      setOutputs: false,
    });
    assert.equal(servers.files[0]?.kind, 'vscodeMcpJson');
  });

  it('keeps every server field, unknown ones included, in order', () => {
    const text =
      '{"mcpServers": {"s": {"command": "x", "args": ["a"], "cwd": "sub", "timeout": 5, "alwaysAllow": ["t"]}}}';
    const result = importFiles([{ file: '/w/.mcp.json', text }], { setOutputs: true });
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(result.layer, {
      version: 1,
      mcpServers: { s: { command: 'x', args: ['a'], cwd: 'sub', timeout: 5, alwaysAllow: ['t'] } },
    });
  });

  it('reports a syntax error once at its 0-based position', () => {
    const text = '{\n  "mcpServers": {\n    "a": {}\n    "b": {}\n  }\n}';
    const result = importFiles([{ file: '/w/.mcp.json', text }], { setOutputs: false });
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.message]),
      [['import.syntax', 3, 4, 'invalid JSON: comma expected']],
    );
    assert.deepEqual(result.files, []);
  });

  it('reports a wrong shape at the value', () => {
    const result = importFiles([{ file: '/w/.mcp.json', text: '{"mcpServers": ["a"]}' }], { setOutputs: false });
    assert.equal(result.diagnostics[0]?.code, 'import.shape');
    assert.equal(result.diagnostics[0]?.range.start.character, 15);
  });

  it('lets the later file win a disagreement and reports it at the later key', () => {
    const result = importFiles(
      [
        { file: '/w/.claude/settings.json', text: '{"model": "sonnet"}' },
        { file: '/w/.claude/settings.local.json', text: '{\n "model": "opus"}' },
      ],
      { setOutputs: true },
    );
    assert.equal(result.layer.settings?.model, 'opus');
    const conflict = result.diagnostics.find((d) => d.code === 'import.conflict');
    assert.equal(conflict?.file, '/w/.claude/settings.local.json');
    assert.deepEqual(conflict?.range.start, { line: 1, character: 1 });
  });

  it('asks apply to write the shared settings file and VS Code file when those were imported', () => {
    const result = importFiles(
      [
        { file: '/w/.claude/settings.json', text: '{"model": "x"}' },
        { file: '/w/.vscode/mcp.json', text: '{"servers": {"m": {"command": "x"}}}' },
        { file: '/w/empty/settings.json', text: '{}' },
      ],
      { setOutputs: true },
    );
    assert.deepEqual(result.layer.outputs, { claudeSettings: 'shared', vscodeMcpJson: true });
    const nothing = importFiles([{ file: '/w/.claude/settings.json', text: '{}' }], { setOutputs: true });
    assert.equal(nothing.layer.outputs, undefined, 'an empty file says nothing about outputs');
  });

  it('writes YAML that reads back to the same layer', () => {
    const result = importFiles(
      [
        {
          file: '/w/.mcp.json',
          text: '{"mcpServers": {"a": {"command": "npx", "args": ["-y", "@scope/pkg", "--flag"], "env": {"N": "${N}", "ONE": "1"}}}}',
        },
      ],
      { setOutputs: false },
    );
    const yaml = layerToYaml(result.layer, ['header']);
    assert.match(yaml, /^# header\n/);
    assert.match(yaml, /args: \[-y, "@scope\/pkg", --flag\]/);
    assert.deepEqual(parseYaml(yaml), result.layer);
  });

  it('merges into an existing layer, keeping comments and unrelated keys', () => {
    const existing = '# mine\nversion: 1\nsettings:\n  model: opus # preferred\nmcpServers:\n  a:\n    command: old\n';
    const merged = mergeIntoLayerText(existing, {
      version: 1,
      mcpServers: { a: { command: 'new' }, b: { command: 'b' } },
    });
    assert.deepEqual(merged.replaced, ['mcpServers.a']);
    assert.match(merged.text, /^# mine\n/);
    assert.match(merged.text, /model: opus # preferred/);
    assert.deepEqual((parseYaml(merged.text) as { mcpServers: unknown }).mcpServers, {
      a: { command: 'new' },
      b: { command: 'b' },
    });
  });

  it('refuses to merge into a file that is not a YAML map', () => {
    assert.match(mergeIntoLayerText('- a\n- b\n', { version: 1 }).error ?? '', /not a map/);
    assert.ok(mergeIntoLayerText('a: [\n', { version: 1 }).error);
  });

  it('counts lines after CRLF and lone CR once each', () => {
    assert.deepEqual(positionAt('a\r\nb\rc', 5), { line: 2, character: 0 });
  });
});
