import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainSetting, importFiles, layerToYaml, parseLayer, renderOutputs, resolveServer } from '@claude-env/engine';
import { SecretsFileProvider } from '../../engine/src/secrets';
import { tempFolder } from '../helpers/workspace';
import { mergeTexts } from '../helpers/stack';

/**
 * A layer's `__proto__` key never reaches a prototype: after parsing, merging, explaining, rendering, resolving and
 * importing one, a fresh object has no `polluted` member and the key is still there as data.
 */

const LAYER = `version: 1
settings:
  __proto__:
    polluted: 1
  env:
    __proto__: polluted
mcpServers:
  __proto__:
    command: node
    env:
      __proto__: polluted
      constructor: ctor
outputs:
  claudeSettings: both
  mcpJson: true
  vscodeMcpJson: true
`;

function assertNotPolluted(): void {
  const fresh: Record<string, unknown> = {};
  assert.equal(fresh.polluted, undefined, 'Object.prototype was polluted');
  assert.equal(Object.getPrototypeOf(fresh), Object.prototype);
}

describe('hostile keys never pollute a prototype', () => {
  afterEach(assertNotPolluted);

  for (const [format, file, text] of [
    ['YAML', '/w/.claude-env/project.yaml', LAYER],
    [
      'JSON',
      '/w/.claude-env/project.json',
      '{"version":1,"settings":{"__proto__":{"polluted":1}},"mcpServers":{"__proto__":{"command":"node"}}}',
    ],
  ] as const) {
    it(`parses, merges, explains and renders a ${format} layer with __proto__ keys, keeping them as own keys`, () => {
      const parsed = parseLayer(file, text, 'project', 'project');
      assert.deepEqual(
        parsed.diagnostics.map((d) => d.code),
        ['schema.unknownSetting'],
      );
      const env = mergeTexts([{ kind: 'project', text, file }]);
      assertNotPolluted();
      assert.ok(Object.hasOwn(env.value.settings, '__proto__'));
      assert.deepEqual(Object.keys(env.value.mcpServers), ['__proto__']);
      assert.equal(env.servers[0]?.name, '__proto__');
      const explained = explainSetting(env, 'settings.__proto__.polluted');
      assert.ok(explained.found && explained.value === 1);
      for (const output of renderOutputs(env)) {
        assertNotPolluted();
        assert.match(output.content, /"__proto__"/, output.path);
      }
    });
  }

  it('resolves a server whose env holds __proto__ and constructor, and secrets of those names', async () => {
    const folder = tempFolder();
    const secretsFile = join(folder, 'secrets.env');
    writeFileSync(secretsFile, 'prototype=from-proto\nconstructor=from-ctor\n', { mode: 0o600 });
    const text = LAYER.replace(
      'constructor: ctor',
      'constructor: ${secret:constructor}\n      TOKEN: ${secret:prototype}',
    );
    const env = mergeTexts([{ kind: 'project', text }]);
    const ctx = { workspace: folder, environment: {}, secrets: new SecretsFileProvider(secretsFile) };
    const resolution = await resolveServer(env.servers[0]!, ctx);
    assert.deepEqual(resolution.errors, []);
    const server = resolution.server!;
    assert.deepEqual(Object.keys(server.env), ['__proto__', 'constructor', 'TOKEN', 'CONSTRUCTOR', 'PROTOTYPE']);
    assert.equal(server.env.constructor, 'from-ctor');
    assert.equal(server.env.TOKEN, 'from-proto');
    assert.equal(Object.getPrototypeOf(server.env), Object.prototype);
    // A secret named `constructor` is an unknown secret when no provider holds it, never a JavaScript function.
    const missing = await resolveServer(env.servers[0]!, {
      ...ctx,
      secrets: new SecretsFileProvider(join(folder, 'none')),
    });
    assert.match(missing.errors.join('\n'), /constructor/);
  });

  it('imports JSONC with __proto__ keys into a layer that keeps them', () => {
    const result = importFiles(
      [
        {
          file: '/w/.claude/settings.json',
          text: '{"__proto__": {"polluted": 1}, "env": {"__proto__": "x"}}',
          kind: 'claudeSettings',
        },
        { file: '/w/.mcp.json', text: '{"mcpServers": {"__proto__": {"command": "node"}}}', kind: 'mcpJson' },
      ],
      { setOutputs: false },
    );
    assertNotPolluted();
    assert.deepEqual(Object.keys(result.layer.settings!), ['__proto__', 'env']);
    assert.deepEqual(Object.keys(result.layer.mcpServers!), ['__proto__']);
    assert.match(layerToYaml(result.layer, []), /^ {2}__proto__:\n {4}polluted: 1$/m);
  });
});
