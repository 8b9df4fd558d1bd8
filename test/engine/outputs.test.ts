import { strict as assert } from 'node:assert';
import {
  claudeVariableOf,
  outputSelection,
  renderOutputs,
  toClaudeCodeSyntax,
  toVsCodeSyntax,
  type RenderedOutput,
} from '../../engine/src/outputs';
import { findReferences } from '../../engine/src/secrets';
import { exampleWorkspace, type ExampleWorkspace } from '../helpers/examples';

function byPath(outputs: RenderedOutput[]): Record<string, unknown> {
  return Object.fromEntries(outputs.map((output) => [output.path, JSON.parse(output.content)]));
}

/** A project layer on top of the example organisation (base + team web). */
function project(body: string): string {
  return `version: 1\nsource:\n  path: ../../org\nteams: [web]\n${body}`;
}

describe('reference conversion for written files', () => {
  it('writes env, secret and file references in Claude Code syntax', () => {
    assert.equal(toClaudeCodeSyntax('${env:HOME}/x'), '${HOME}/x');
    assert.equal(toClaudeCodeSyntax('${env:PORT:-8080}'), '${PORT:-8080}');
    assert.equal(toClaudeCodeSyntax('${env:EMPTY:-}'), '${EMPTY:-}');
    assert.equal(toClaudeCodeSyntax('Bearer ${secret:magic-api-key}'), 'Bearer ${MAGIC_API_KEY}');
    assert.equal(toClaudeCodeSyntax('${file:~/.config/gh/token}'), '${FILE_CONFIG_GH_TOKEN}');
    assert.equal(toClaudeCodeSyntax('${file:keys/openai.txt}'), '${FILE_KEYS_OPENAI_TXT}');
    assert.equal(toClaudeCodeSyntax('echo $${HOME}'), 'echo ${HOME}');
  });

  it('writes secrets as VS Code inputs and environment variables as ${env:…}', () => {
    assert.equal(toVsCodeSyntax('${secret:magic-api-key}'), '${input:magic-api-key}');
    assert.equal(toVsCodeSyntax('${env:TOKEN}'), '${env:TOKEN}');
    assert.equal(toVsCodeSyntax('${env:PORT:-8080}'), '${env:PORT}');
  });

  it('derives a valid variable name even from a name starting with a digit', () => {
    const [reference] = findReferences('${secret:1password-item}');
    assert.equal(claudeVariableOf(reference), '_1PASSWORD_ITEM');
  });
});

describe('renderOutputs', () => {
  let example: ExampleWorkspace;
  afterEach(() => example.dispose());

  it('renders the example workspace: settings.local.json, .mcp.json and .vscode/mcp.json as its outputs block asks', () => {
    example = exampleWorkspace();
    const outputs = renderOutputs(example.load());
    assert.deepEqual(
      outputs.map((output) => output.path),
      ['.claude/settings.local.json', '.mcp.json', '.vscode/mcp.json'],
    );
    const files = byPath(outputs);
    const mcp = files['.mcp.json'] as { mcpServers: Record<string, Record<string, unknown>> };
    assert.deepEqual(Object.keys(mcp.mcpServers), [
      'context7',
      'sequential-thinking',
      'playwright',
      'magic',
      'everything',
    ]);
    assert.deepEqual(mcp.mcpServers.magic, {
      type: 'stdio',
      command: 'npx',
      args: ['-y', '@21st-dev/magic'],
      env: { API_KEY: '${MAGIC_API_KEY}' },
    });
    assert.deepEqual(mcp.mcpServers.context7.env, { CONTEXT7_API_KEY: '${CONTEXT7_API_KEY:-}' });
    for (const entry of Object.values(mcp.mcpServers)) assert.equal('supervision' in entry, false);
  });

  it('writes 2-space JSON with a trailing newline, the same bytes every time', () => {
    example = exampleWorkspace();
    const first = renderOutputs(example.load());
    const second = renderOutputs(example.load());
    assert.deepEqual(first, second);
    for (const output of first) {
      assert.ok(output.content.endsWith('}\n'));
      assert.equal(output.content, `${JSON.stringify(JSON.parse(output.content), null, 2)}\n`);
    }
  });

  it('defaults to settings.local.json and .mcp.json when there is no outputs block', () => {
    example = exampleWorkspace({ '.claude-env/project.yaml': project('settings:\n  model: opus\n') });
    const env = example.load();
    assert.deepEqual(outputSelection(env), {
      claudeSettings: 'local',
      mcpJson: true,
      vscodeMcpJson: false,
      mcpVia: 'direct',
    });
    assert.deepEqual(
      renderOutputs(env).map((output) => output.path),
      ['.claude/settings.local.json', '.mcp.json'],
    );
  });

  it('writes http and sse servers with type, url and headers only', () => {
    example = exampleWorkspace({
      '.claude-env/project.yaml': project(
        [
          'mcpServers:',
          '  memory:',
          '    type: http',
          '    url: https://mcp.example.com/${env:TENANT}/mcp',
          '    cwd: tools',
          '    headers:',
          '      Authorization: Bearer ${secret:example-token}',
          '    supervision:',
          '      required: true',
          '  everything:',
          '    type: sse',
          '    url: http://localhost:3001/sse',
          '',
        ].join('\n'),
      ),
    });
    const mcp = byPath(renderOutputs(example.load()))['.mcp.json'] as { mcpServers: Record<string, unknown> };
    assert.deepEqual(mcp.mcpServers.memory, {
      type: 'http',
      url: 'https://mcp.example.com/${TENANT}/mcp',
      headers: { Authorization: 'Bearer ${EXAMPLE_TOKEN}' },
    });
    assert.deepEqual(mcp.mcpServers.everything, { type: 'sse', url: 'http://localhost:3001/sse' });
  });

  it('passes server keys it does not know and cwd through to .mcp.json, but never supervision', () => {
    example = exampleWorkspace({
      '.claude-env/project.yaml': project(
        'mcpServers:\n  memory:\n    command: npx\n' +
          '    args: [-y, "@modelcontextprotocol/server-memory"]\n    cwd: data\n    timeout: 30000\n' +
          '    supervision:\n      autoStart: true\n',
      ),
    });
    const mcp = byPath(renderOutputs(example.load()))['.mcp.json'] as { mcpServers: Record<string, unknown> };
    assert.deepEqual(mcp.mcpServers.memory, {
      type: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-memory'],
      env: {},
      cwd: 'data',
      timeout: 30000,
    });
  });

  it('leaves servers refused by policy out of .mcp.json and .vscode/mcp.json', () => {
    example = exampleWorkspace({
      '.claude-env/project.yaml': project(
        'outputs:\n  vscodeMcpJson: true\nmcpServers:\n  scraper-unvetted:\n    command: npx\n' +
          '    args: [scraper]\n    env:\n      KEY: ${secret:scraper-key}\n',
      ),
    });
    const env = example.load();
    assert.ok(
      env.servers.find((server) => server.name === 'scraper-unvetted')?.blockedReason,
      'the base policy denies *-unvetted',
    );
    const files = byPath(renderOutputs(env));
    const mcp = files['.mcp.json'] as { mcpServers: Record<string, unknown> };
    const vscode = files['.vscode/mcp.json'] as { inputs: Array<{ id: string }>; servers: Record<string, unknown> };
    assert.equal('scraper-unvetted' in mcp.mcpServers, false);
    assert.equal('scraper-unvetted' in vscode.servers, false);
    assert.deepEqual(
      vscode.inputs.map((input) => input.id),
      ['magic-api-key'],
    );
  });

  it('writes VS Code inputs as password prompts, one per secret', () => {
    example = exampleWorkspace();
    const vscode = byPath(renderOutputs(example.load()))['.vscode/mcp.json'] as {
      inputs: unknown[];
      servers: Record<string, { env: Record<string, string> }>;
    };
    assert.deepEqual(vscode.inputs, [
      {
        type: 'promptString',
        id: 'magic-api-key',
        description: 'Secret "magic-api-key" for MCP servers (claude-env)',
        password: true,
      },
    ]);
    assert.deepEqual(vscode.servers.magic.env, { API_KEY: '${input:magic-api-key}' });
    assert.deepEqual(vscode.servers.context7.env, { CONTEXT7_API_KEY: '${env:CONTEXT7_API_KEY}' });
  });

  it('puts the effective settings of every layer in settings.local.json', () => {
    example = exampleWorkspace();
    const local = byPath(renderOutputs(example.load()))['.claude/settings.local.json'] as Record<string, unknown>;
    // local.yaml's model wins over the team's; the base's deny list survives.
    assert.equal(local.model, 'claude-sonnet-4-5');
    assert.ok((local.permissions as { deny: string[] }).deny.includes('Read(./.env)'));
    assert.ok((local.permissions as { allow: string[] }).allow.includes('Edit(src/**)'));
  });

  it('puts only the shared layers in settings.json, never a person’s user or local values', () => {
    example = exampleWorkspace({
      '.claude-env/project.yaml': project(
        'outputs:\n  claudeSettings: both\nsettings:\n  env:\n    PROJECT_NAME: storefront\n',
      ),
      '.claude-env/local.yaml':
        'version: 1\nsettings:\n  model: my-private-model\n  env:\n    MY_TOKEN: ${secret:personal}\n',
    });
    const files = byPath(renderOutputs(example.load()));
    const shared = files['.claude/settings.json'] as Record<string, unknown>;
    const local = files['.claude/settings.local.json'] as Record<string, unknown>;
    assert.equal(shared.model, 'claude-opus-4-1', 'the team model, not the local one');
    assert.deepEqual(shared.env, { DISABLE_TELEMETRY: '1', PROJECT_NAME: 'storefront' });
    assert.equal(JSON.stringify(shared).includes('my-private-model'), false);
    assert.equal(local.model, 'my-private-model');
    assert.deepEqual(local.env, { DISABLE_TELEMETRY: '1', PROJECT_NAME: 'storefront', MY_TOKEN: '${PERSONAL}' });
  });

  it('writes only settings.json for claudeSettings shared, and no settings for none', () => {
    example = exampleWorkspace({
      '.claude-env/project.yaml': project('outputs:\n  claudeSettings: shared\n  mcpJson: false\n'),
    });
    assert.deepEqual(
      renderOutputs(example.load()).map((output) => output.path),
      ['.claude/settings.json'],
    );
    example.write('.claude-env/project.yaml', project('outputs:\n  claudeSettings: none\n'));
    assert.deepEqual(
      renderOutputs(example.load()).map((output) => output.path),
      ['.mcp.json'],
    );
  });
});
