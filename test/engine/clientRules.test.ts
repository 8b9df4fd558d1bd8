import { strict as assert } from 'node:assert';
import { loadEnvironment, type Diagnostic, type FileReader } from '@claude-env/engine';
import { renderOutputs } from '../../engine/src/outputs';

const WORKSPACE = '/virtual/repo';

/** Loads a workspace whose project (and optionally local) layer holds `project`, from memory. */
function load(project: string, local?: string) {
  const files = new Map([[`${WORKSPACE}/.claude-env/project.yaml`, project]]);
  if (local) files.set(`${WORKSPACE}/.claude-env/local.yaml`, local);
  const reader: FileReader = { read: (path) => files.get(path) };
  return loadEnvironment(WORKSPACE, { reader, env: {}, userConfigDir: '/virtual/user' });
}

function found(diagnostics: Diagnostic[], code: string): Array<[number, string]> {
  return diagnostics.filter((d) => d.code === code).map((d) => [d.range.start.line + 1, d.severity]);
}

describe('what the clients do with the effective configuration', () => {
  it('reports a committed file approving its own servers at the line, and not where it takes effect', () => {
    const shared = load(
      'version: 1\nsettings:\n  enableAllProjectMcpServers: true\n  model: opus\noutputs:\n  claudeSettings: shared\n',
    );
    assert.deepEqual(found(shared.diagnostics, 'scope.notInSharedSettings'), [[3, 'warning']]);
    // Written to settings.local.json (the default), Claude Code honours it: nothing to report.
    const local = load('version: 1\nsettings:\n  enableAllProjectMcpServers: true\n');
    assert.deepEqual(found(local.diagnostics, 'scope.notInSharedSettings'), []);
    // From the personal layer it never reaches the committed file either.
    const personal = load(
      'version: 1\noutputs:\n  claudeSettings: shared\n',
      'version: 1\nsettings:\n  enabledMcpjsonServers: [docs]\n',
    );
    assert.deepEqual(found(personal.diagnostics, 'scope.notInSharedSettings'), []);
  });

  it('reports managed-only keys and keys of ~/.claude.json wherever claude-env writes them', () => {
    const env = load(
      'version: 1\nsettings:\n  allowManagedHooksOnly: true\n  deniedMcpServers:\n    - serverName: x\n  theme: dark\n',
    );
    assert.deepEqual(found(env.diagnostics, 'scope.managedOnly'), [
      [3, 'warning'],
      [4, 'warning'],
    ]);
    assert.deepEqual(found(env.diagnostics, 'scope.claudeJsonOnly'), [[6, 'warning']]);
    assert.equal(env.diagnostics.filter((d) => d.severity === 'error').length, 0);
  });

  it('warns that Claude Code ignores cwd, except through the gateway, and keeps cwd in both files', () => {
    const layer =
      'version: 1\nmcpServers:\n  docs:\n    command: node\n    cwd: packages/docs\noutputs:\n  vscodeMcpJson: true\n';
    const direct = load(layer);
    assert.deepEqual(found(direct.diagnostics, 'client.cwdIgnored'), [[5, 'warning']]);
    for (const output of renderOutputs(direct).filter((o) => o.path.endsWith('mcp.json'))) {
      const servers = JSON.parse(output.content) as { mcpServers?: object; servers?: object };
      const docs = (servers.mcpServers ?? servers.servers) as Record<string, { cwd?: string }>;
      assert.equal(docs.docs.cwd, 'packages/docs', output.path);
    }
    const gateway = load(layer.replace('outputs:\n', 'outputs:\n  mcpVia: gateway\n'));
    assert.deepEqual(found(gateway.diagnostics, 'client.cwdIgnored'), []);
  });

  it('accepts any server name, warning where Claude Code rewrites it in tool names', () => {
    const env = load(
      'version: 1\nmcpServers:\n  "Dev Box MCP":\n    command: a\n  microsoft/playwright-mcp:\n    command: b\n' +
        '  plain_name-1:\n    command: c\n',
    );
    assert.equal(env.diagnostics.filter((d) => d.severity === 'error').length, 0);
    assert.deepEqual(found(env.diagnostics, 'client.serverName'), [
      [3, 'warning'],
      [5, 'warning'],
    ]);
    assert.match(env.diagnostics.find((d) => d.code === 'client.serverName')!.message, /mcp__Dev_Box_MCP__<tool>/);
    const mcp = JSON.parse(renderOutputs(env).find((o) => o.path === '.mcp.json')!.content);
    assert.deepEqual(Object.keys(mcp.mcpServers), ['Dev Box MCP', 'microsoft/playwright-mcp', 'plain_name-1']);
  });

  it('keeps streamable-http in .mcp.json, writes http to .vscode/mcp.json and says so', () => {
    const env = load(
      'version: 1\nmcpServers:\n  linear:\n    type: streamable-http\n    url: https://mcp.linear.app/mcp\noutputs:\n  vscodeMcpJson: true\n',
    );
    assert.deepEqual(found(env.diagnostics, 'client.transport'), [[4, 'info']]);
    assert.equal(env.servers[0].type, 'http');
    const byPath = Object.fromEntries(renderOutputs(env).map((o) => [o.path, JSON.parse(o.content)]));
    assert.equal(byPath['.mcp.json'].mcpServers.linear.type, 'streamable-http');
    assert.equal(byPath['.vscode/mcp.json'].servers.linear.type, 'http');
  });

  it('keeps unknown hook fields, hook types, events and comment keys with warnings, never errors', () => {
    const env = load(
      [
        'version: 1',
        'settings:',
        '  $comment: shared settings',
        '  hooks:',
        '    PostToolUse:',
        '      - matcher: Edit',
        '        hooks:',
        '          - type: command',
        '            command: fmt',
        '            statusMessage: Formatting',
        '            async: true',
        '            retries: 2',
        '          - type: http',
        '            url: http://localhost:1/x',
        '    FutureEvent:',
        '      - hooks: [{ type: teleport, where: mars }]',
        'mcpServers:',
        '  memory:',
        '    $comment: graph',
        '    command: npx',
        '',
      ].join('\n'),
    );
    assert.deepEqual(
      env.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
      [
        "'teleport' is not a valid value for 'settings.hooks.FutureEvent.0.hooks.0.type'. " +
          'Expected one of: command, prompt, agent, http, mcp_tool.',
      ],
    );
  });

  it('says so when a permission rule is listed twice, at the duplicate, as information', () => {
    const env = load(
      'version: 1\nsettings:\n  permissions:\n    allow: [Read(a), Read(b)]\n',
      'version: 1\nsettings:\n  permissions:\n    allow:\n      - Read(a)\n',
    );
    const duplicates = env.diagnostics.filter((d) => d.code === 'merge.duplicate');
    assert.deepEqual(
      duplicates.map((d) => [d.file.endsWith('local.yaml'), d.range.start.line + 1, d.severity]),
      [[true, 5, 'info']],
    );
    assert.deepEqual(env.value.settings.permissions, { allow: ['Read(a)', 'Read(b)'] });
  });

  it('replaces a plugin marketplace whole, as Claude Code does, while plugins merge key by key', () => {
    const env = load(
      [
        'version: 1',
        'settings:',
        '  enabledPlugins: { a@team: true }',
        '  extraKnownMarketplaces:',
        '    team: { source: { source: github, repo: org/plugins, ref: main } }',
      ].join('\n'),
      [
        'version: 1',
        'settings:',
        '  enabledPlugins: { b@team: false }',
        '  extraKnownMarketplaces:',
        '    team: { source: { source: directory, path: ../plugins } }',
      ].join('\n'),
    );
    assert.deepEqual(env.value.settings.extraKnownMarketplaces, {
      team: { source: { source: 'directory', path: '../plugins' } },
    });
    assert.deepEqual(env.value.settings.enabledPlugins, { 'a@team': true, 'b@team': false });
  });
});
