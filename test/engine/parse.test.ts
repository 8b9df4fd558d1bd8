import { strict as assert } from 'node:assert';
import { parseLayer } from '@claude-env/engine';
import { positionOf } from '../helpers/carets';

const parse = (text: string, file = '/ws/.claude-env/project.yaml') => parseLayer(file, text, 'project', 'project');
const codes = (text: string, file?: string) => parse(text, file).diagnostics.map((d) => d.code);

describe('parseLayer', () => {
  it('gives every key and value of a YAML file its source range', () => {
    const text = 'version: 1\nsettings:\n  model: opus\n';
    const layer = parse(text);
    assert.deepEqual(layer.diagnostics, []);
    const settings = layer.root!.entries[1];
    assert.equal(settings.key, 'settings');
    assert.deepEqual(settings.keyRange.start, positionOf(text, 'settings'));
    const model = settings.value.type === 'map' ? settings.value.entries[0] : undefined;
    assert.deepEqual(model?.value.range, { start: positionOf(text, 'opus'), end: { line: 2, character: 13 } });
  });

  it('reads JSON layers with comments and trailing commas, with ranges', () => {
    const text = '{\n  // org model\n  "settings": { "model": "opus", },\n}\n';
    const layer = parse(text, '/ws/.claude-env/project.json');
    assert.equal(layer.format, 'json');
    assert.deepEqual(layer.diagnostics, []);
    const settings = layer.root!.entries[0];
    assert.deepEqual(settings.keyRange.start, positionOf(text, '"settings"'));
  });

  it('warns (not errors) about unknown keys where new Claude Code keys may appear', () => {
    const text = 'version: 1\nsettings:\n  permissions:\n    alow: [x]\n';
    const [diagnostic] = parse(text).diagnostics;
    assert.equal(diagnostic.code, 'schema.unknownSetting');
    assert.equal(diagnostic.severity, 'warning');
    assert.deepEqual(diagnostic.range.start, positionOf(text, 'alow'));
    assert.match(diagnostic.message, /Did you mean 'allow'/);
  });

  it('warns about an unknown Claude Code setting at its key and suggests the known one', () => {
    const text = 'settings:\n  modle: opus\n';
    const [warning] = parse(text).diagnostics;
    assert.equal(warning.code, 'schema.unknownSetting');
    assert.equal(warning.severity, 'warning');
    assert.deepEqual(warning.range.start, positionOf(text, 'modle'));
    assert.match(warning.message, /Did you mean 'model'\?/);
  });

  it('rejects an unknown top-level key at the key', () => {
    const text = 'version: 1\nsetings:\n  model: opus\n';
    const [error] = parse(text).diagnostics;
    assert.equal(error.code, 'schema.unknownKey');
    assert.deepEqual(error.range.start, positionOf(text, 'setings'));
    assert.match(error.message, /Did you mean 'settings'/);
  });

  it('reports a missing required property on its parent key', () => {
    const text = 'settings:\n  hooks:\n    PreToolUse:\n      - matcher: Bash\n';
    const [error] = parse(text).diagnostics;
    assert.equal(error.code, 'schema.missingProperty');
    // The missing property belongs to the list item, so the error sits on the item that lacks it.
    assert.deepEqual(error.range.start, positionOf(text, 'matcher'));
    assert.match(error.message, /'hooks'/);
  });

  it('reports a wrong type on the value', () => {
    const text = 'settings:\n  permissions:\n    allow: Bash(ls)\n';
    const [error] = parse(text).diagnostics;
    assert.equal(error.code, 'schema.type');
    assert.deepEqual(error.range.start, positionOf(text, 'Bash(ls)'));
    assert.match(error.message, /must be a list/);
  });

  it('reports an invalid enum value with the valid ones', () => {
    const text = 'settings:\n  permissions:\n    defaultMode: acceptEdit\n';
    const [error] = parse(text).diagnostics;
    assert.equal(error.code, 'schema.enum');
    assert.deepEqual(error.range.start, positionOf(text, 'acceptEdit'));
    assert.match(error.message, /Did you mean 'acceptEdits'/);
  });

  it('explains a bad duration once, not once per alternative', () => {
    const text = 'mcpServers:\n  a:\n    command: x\n    supervision:\n      startupTimeout: soon\n';
    const diagnostics = parse(text).diagnostics;
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].code, 'schema.invalid');
    assert.deepEqual(diagnostics[0].range.start, positionOf(text, 'soon'));
    assert.match(diagnostics[0].message, /duration/);
  });

  it('reports a duplicate key at the second occurrence', () => {
    const text = 'settings:\n  model: a\n  model: b\n';
    const [error] = parse(text).diagnostics;
    assert.equal(error.code, 'syntax.duplicateKey');
    assert.deepEqual(error.range.start, positionOf(text, 'model', 1));
  });

  it('reports a YAML syntax error at its place and keeps no tree', () => {
    const text = 'settings:\n  model: [a, b\n';
    const layer = parse(text);
    assert.equal(layer.root, undefined);
    assert.equal(layer.diagnostics[0].code, 'syntax.invalid');
    assert.ok(layer.diagnostics[0].range.start.line >= 1);
  });

  it('counts positions after a byte-order mark and across CRLF line ends', () => {
    const text = '\ufeffversion: 1\r\nsettings:\r\n  modle: x\r\n';
    const [warning] = parse(text).diagnostics;
    assert.deepEqual(warning.range.start, { line: 2, character: 2 });
  });

  it('treats an empty file as an empty layer', () => {
    assert.deepEqual(parse('').diagnostics, []);
    assert.deepEqual(parse('# only a comment\n').diagnostics, []);
    assert.deepEqual(parse('', '/ws/.claude-env/project.json').diagnostics, []);
  });

  it('refuses a binary file with a clear message', () => {
    assert.deepEqual(codes('\u0000\u0001\u0002PNG'), ['syntax.binary']);
  });

  it('stops a YAML alias bomb instead of expanding it', function () {
    this.timeout(5000);
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill('*' + String.fromCharCode(96 + i))
          .join(',')}]`,
      );
    const layer = parse(`settings:\n  companyAnnouncements: []\n${lines.map((l) => 'x' + l).join('\n')}\n`);
    assert.ok(layer.diagnostics.some((d) => d.code === 'syntax.aliasLimit'));
  });

  it('refuses a 10 MB file at once', () => {
    const started = Date.now();
    const layer = parse('settings:\n' + '  # padding\n'.repeat(1_000_000));
    assert.deepEqual(
      layer.diagnostics.map((d) => d.code),
      ['syntax.tooLarge'],
    );
    assert.ok(Date.now() - started < 2000);
  });

  it('rejects a root that is not a map', () => {
    assert.deepEqual(codes('- a\n- b\n'), ['schema.type']);
    assert.deepEqual(codes('[1, 2]', '/ws/x.json'), ['schema.type']);
  });

  it('validates directives: $delete takes true and stands alone', () => {
    assert.deepEqual(codes('settings:\n  model: { $delete: yes }\n'), ['directive.invalid']);
    assert.deepEqual(codes('settings:\n  model: { $delete: true, x: 1 }\n').includes('directive.invalid'), true);
    assert.deepEqual(codes('settings:\n  model: { $remove: true }\n').includes('directive.unknown'), true);
    assert.deepEqual(codes('settings:\n  permissions: { $replace: { allow: [a] } }\n'), []);
  });

  it('validates the content of a $replace against the schema', () => {
    const text = 'settings:\n  permissions:\n    $replace:\n      defaultMode: never\n';
    const [error] = parse(text).diagnostics;
    assert.equal(error.code, 'schema.enum');
    assert.deepEqual(error.range.start, positionOf(text, 'never'));
  });

  it('supports YAML anchors and merge keys', () => {
    const text = 'mcpServers:\n  a: &srv\n    command: npx\n    args: [x]\n  b:\n    <<: *srv\n    args: [y]\n';
    const layer = parse(text);
    assert.deepEqual(layer.diagnostics, []);
    const servers = layer.root!.entries[0].value;
    const b = servers.type === 'map' ? servers.entries[1].value : undefined;
    assert.deepEqual(b?.type === 'map' ? b.entries.map((e) => e.key) : [], ['args', 'command']);
  });
});
