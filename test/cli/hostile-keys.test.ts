import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { readText, workspaceWith } from '../helpers/workspace';

/**
 * Keys that plain JavaScript objects inherit (`__proto__`, `constructor`, `prototype`) are data like any other key
 * of a layer: settings, nested settings, server names, env and header names reach every output, `show`, `explain`
 * and `import` as written, never dropped and never read as a JavaScript member.
 */

const PROTO_NAMES = ['__proto__', 'constructor', 'prototype'] as const;

const YAML_LAYER = `version: 1
settings:
  __proto__:
    polluted: 1
  constructor: ctor-value
  prototype: proto-value
  env:
    __proto__: env-a
    constructor: env-b
    prototype: env-c
mcpServers:
  __proto__:
    command: node
    args: [server.js]
    env:
      __proto__: v1
      constructor: v2
  constructor:
    command: node
  prototype:
    type: http
    url: https://example.com/mcp
    headers:
      __proto__: h1
      constructor: h2
outputs:
  claudeSettings: local
  mcpJson: true
  vscodeMcpJson: true
`;

const JSON_LAYER = JSON.stringify({
  version: 1,
  settings: { constructor: 'ctor-value', prototype: 'proto-value', env: { constructor: 'env-b', prototype: 'env-c' } },
  mcpServers: {
    constructor: { command: 'node' },
    prototype: { type: 'http', url: 'https://example.com/mcp', headers: { constructor: 'h2' } },
  },
  outputs: { claudeSettings: 'local', mcpJson: true, vscodeMcpJson: true },
})
  // JSON.stringify of an object literal cannot hold `__proto__` as a key, so it is spliced into the text.
  .replace('"settings":{', '"settings":{"__proto__":{"polluted":1},')
  .replace('"env":{', '"env":{"__proto__":"env-a",')
  .replace(
    '"mcpServers":{',
    '"mcpServers":{"__proto__":{"command":"node","args":["server.js"],"env":{"__proto__":"v1","constructor":"v2"}},',
  )
  .replace('"headers":{', '"headers":{"__proto__":"h1",');

type Json = Record<string, unknown>;

/** The object at `key` of `value`, which must be an own key. */
function own(value: unknown, key: string): Json {
  assert.ok(value !== null && typeof value === 'object', `not a map where '${key}' should be`);
  assert.ok(Object.prototype.hasOwnProperty.call(value, key), `'${key}' missing from ${JSON.stringify(value)}`);
  return (value as Json)[key] as Json;
}

function parsedOutput(workspace: string, relative: string): Json {
  return JSON.parse(readText(join(workspace, relative))) as Json;
}

function assertOutputsKeepKeys(workspace: string): void {
  const settings = parsedOutput(workspace, '.claude/settings.local.json');
  assert.deepEqual(Object.keys(settings).slice(0, 3), [...PROTO_NAMES]);
  assert.deepEqual(own(settings, '__proto__'), JSON.parse('{"polluted":1}'));
  assert.equal(own(settings, 'constructor'), 'ctor-value');
  assert.deepEqual(Object.keys(own(settings, 'env')), [...PROTO_NAMES]);
  for (const [file, section] of [
    ['.mcp.json', 'mcpServers'],
    ['.vscode/mcp.json', 'servers'],
  ] as const) {
    const servers = own(parsedOutput(workspace, file), section);
    assert.deepEqual(Object.keys(servers), [...PROTO_NAMES], file);
    assert.deepEqual(own(servers, '__proto__').args, ['server.js'], file);
    assert.deepEqual(Object.keys(own(own(servers, '__proto__'), 'env')), ['__proto__', 'constructor'], file);
    assert.equal(own(servers, 'constructor').command, 'node', file);
    const headers = own(own(servers, 'prototype'), 'headers');
    assert.equal(own(headers, '__proto__'), 'h1', file);
    assert.equal(own(headers, 'constructor'), 'h2', file);
  }
}

describe('claude-env keeps __proto__, constructor and prototype as keys', function () {
  this.timeout(120_000);

  for (const [format, file, text] of [
    ['YAML', 'project.yaml', YAML_LAYER],
    ['JSON', 'project.json', JSON_LAYER],
  ] as const) {
    it(`apply writes them from a ${format} layer to settings.local.json, .mcp.json and .vscode/mcp.json`, () => {
      const workspace = workspaceWith({ [`.claude-env/${file}`]: text });
      const run = runCli(['apply'], { cwd: workspace });
      assert.equal(run.code, 0, run.stderr);
      assertOutputsKeepKeys(workspace);
      assert.equal(runCli(['diff'], { cwd: workspace }).code, 0, 'a second look finds the outputs up to date');
    });
  }

  it('validate reports each as an unknown Claude Code setting at its line, and nothing else', () => {
    const workspace = workspaceWith({ '.claude-env/project.yaml': YAML_LAYER });
    const run = runCli(['validate'], { cwd: workspace });
    assert.equal(run.code, 0, run.stderr);
    const found = (run.stdout + run.stderr).split('\n').filter((line) => line.includes('schema.'));
    const warning = (line: number, key: string) =>
      `.claude-env/project.yaml:${line}:3: warning schema.unknownSetting: ` +
      `Unknown Claude Code setting '${key}' in 'settings': it is kept as written.`;
    assert.deepEqual(found, [warning(3, '__proto__'), warning(5, 'constructor'), warning(6, 'prototype')]);
  });

  it('show --json and show --explain list them with their origins', () => {
    const workspace = workspaceWith({ '.claude-env/project.yaml': YAML_LAYER });
    const json = runCli(['show', '--json'], { cwd: workspace });
    assert.equal(json.code, 0, json.stderr);
    const value = own(JSON.parse(json.stdout), 'value');
    assert.deepEqual(Object.keys(own(value, 'settings')).slice(0, 3), [...PROTO_NAMES]);
    assert.deepEqual(Object.keys(own(value, 'mcpServers')), [...PROTO_NAMES]);
    const explained = runCli(['show', '--json', '--explain'], { cwd: workspace });
    const provenance = own(JSON.parse(explained.stdout), 'provenance');
    assert.equal(own(own(provenance, 'settings.__proto__.polluted'), 'origin').line, 4);
    assert.equal(own(own(provenance, 'mcpServers.__proto__.env.constructor'), 'origin').line, 17);
    const text = runCli(['show', '--explain'], { cwd: workspace });
    assert.match(text.stdout, /^ {2}__proto__:\n {4}polluted: 1 +← project \.claude-env\/project\.yaml:4$/m);
  });

  it('explain finds a key named after a JavaScript member, and a higher layer overrides it', () => {
    const workspace = workspaceWith({
      '.claude-env/project.yaml': YAML_LAYER,
      '.claude-env/local.yaml':
        'version: 1\nsettings:\n  __proto__:\n    polluted: 2\nmcpServers:\n  constructor:\n    command: deno\n',
    });
    const run = runCli(['explain', 'settings.__proto__.polluted'], { cwd: workspace });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^settings\.__proto__\.polluted = 2$/m);
    assert.match(
      run.stdout,
      /✔ local +\.claude-env\/local\.yaml:4:5 +2\n +project +\.claude-env\/project\.yaml:4:5 +1/,
    );
    const server = runCli(['explain', 'mcpServers.constructor.command', '--json'], { cwd: workspace });
    assert.equal(JSON.parse(server.stdout).value, 'deno');
  });

  it('import carries them from JSONC files into the layer, and apply writes them back', () => {
    const workspace = workspaceWith({
      '.mcp.json':
        '{\n  // servers\n  "mcpServers": {\n    "__proto__": {"command": "node", "env": {"__proto__": "x", "constructor": "y"}},\n' +
        '    "constructor": {"type": "http", "url": "https://e.x/mcp", "headers": {"prototype": "p", "__proto__": "q"}},\n  }\n}\n',
      '.claude/settings.json': '{"__proto__": {"polluted": 1}, "constructor": 1, "env": {"__proto__": "e"}}\n',
    });
    const imported = runCli(['import'], { cwd: workspace });
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stderr, /imported 2 servers and 3 settings/);
    const layer = readText(join(workspace, '.claude-env', 'project.yaml'));
    assert.match(
      layer,
      /^settings:\n {2}__proto__:\n {4}polluted: 1\n {2}constructor: 1\n {2}env:\n {4}__proto__: e$/m,
    );
    rmSync(join(workspace, '.mcp.json'));
    rmSync(join(workspace, '.claude', 'settings.json'));
    const applied = runCli(['apply'], { cwd: workspace });
    assert.equal(applied.code, 0, applied.stderr);
    const servers = own(parsedOutput(workspace, '.mcp.json'), 'mcpServers');
    assert.deepEqual(Object.keys(servers), ['__proto__', 'constructor']);
    assert.deepEqual(Object.keys(own(own(servers, '__proto__'), 'env')), ['__proto__', 'constructor']);
    assert.deepEqual(Object.keys(own(own(servers, 'constructor'), 'headers')), ['prototype', '__proto__']);
    const settings = parsedOutput(workspace, '.claude/settings.json');
    assert.deepEqual(Object.keys(settings), ['__proto__', 'constructor', 'env']);
  });
});

describe('claude-env explain never reports a JavaScript property as a key', function () {
  this.timeout(120_000);
  const LAYER =
    'version: 1\nsettings:\n  model: sonnet\nmcpServers:\n  s:\n    command: node\n    args: [a.js, b.js]\n';

  for (const [path, note] of [
    [
      'mcpServers.s.args.0.length',
      '`mcpServers.s.args.0` (.claude-env/project.yaml:7:12) is a string (a.js): it holds no `length`',
    ],
    [
      'mcpServers.s.args.length',
      '`mcpServers.s.args` (.claude-env/project.yaml:7:5) is a list (indices are its last segment): it holds no `length`',
    ],
    [
      'mcpServers.s.args.2',
      '`mcpServers.s.args` (.claude-env/project.yaml:7:5) is a list of 2 items; `2` is not one of its indices',
    ],
    [
      'mcpServers.s.args.01',
      '`mcpServers.s.args` (.claude-env/project.yaml:7:5) is a list (indices are its last segment): it holds no `01`',
    ],
    ['mcpServers.s.constructor', '`mcpServers.s` (.claude-env/project.yaml:5:3) has no key `constructor`'],
    [
      'settings.model.length',
      '`settings.model` (.claude-env/project.yaml:3:3) is a string (sonnet): it holds no `length`',
    ],
    ['settings.__proto__', '`settings` (.claude-env/project.yaml:2:1) has no key `__proto__`'],
  ] as const) {
    it(`says where \`${path}\` stops, at the file position of the deepest value it reaches`, () => {
      const workspace = workspaceWith({ '.claude-env/project.yaml': LAYER });
      const run = runCli(['explain', path], { cwd: workspace });
      assert.equal(run.code, 1, run.stdout);
      assert.equal(run.stdout, '');
      assert.equal(
        run.stderr.split('\n')[0],
        `claude-env: error: no value at \`${path}\` in the effective environment`,
      );
      assert.equal(run.stderr.split('\n')[1], `  ${note}`);
    });
  }

  it('still explains a list item by its decimal index', () => {
    const workspace = workspaceWith({ '.claude-env/project.yaml': LAYER });
    const run = runCli(['explain', 'mcpServers.s.args.1'], { cwd: workspace });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^mcpServers\.s\.args\.1 = b\.js$/m);
  });
});
