import { strict as assert } from 'node:assert';
import { DEFAULT_GATEWAY_LAUNCH, outputSelection, renderOutputs, type RenderedOutput } from '../../engine/src/outputs';
import { exampleWorkspace, type ExampleWorkspace } from '../helpers/examples';

type Entry = Record<string, unknown>;

function byPath(outputs: RenderedOutput[]): Record<string, Record<string, Record<string, Entry>>> {
  return Object.fromEntries(outputs.map((output) => [output.path, JSON.parse(output.content)]));
}

const LAYER = [
  'version: 1',
  'mcpServers:',
  '  memory:',
  '    command: npx',
  '    args: [-y, "@modelcontextprotocol/server-memory"]',
  '    env:',
  '      TOKEN: ${secret:memory-token}',
  '  remote:',
  '    type: http',
  '    url: https://mcp.example.com/mcp',
  '    headers:',
  '      Authorization: Bearer ${secret:remote-token}',
  'outputs:',
  '  mcpJson: true',
  '  vscodeMcpJson: true',
  '  mcpVia: gateway',
  '',
].join('\n');

describe('outputs.mcpVia: gateway', () => {
  let example: ExampleWorkspace;
  afterEach(() => example.dispose());

  const launch = { command: '/usr/bin/node', args: ['/opt/claude-env/dist/mcp-connect.js'] };

  it('writes each stdio server as the shim for this workspace, with neither its command nor its secrets', () => {
    example = exampleWorkspace({ '.claude-env/project.yaml': LAYER });
    const files = byPath(renderOutputs(example.load(), { gateway: launch }));
    assert.deepEqual(files['.mcp.json'].mcpServers.memory, {
      type: 'stdio',
      command: '/usr/bin/node',
      args: ['/opt/claude-env/dist/mcp-connect.js', 'memory', '--cwd', example.workspace],
      env: {},
    });
    assert.deepEqual(files['.vscode/mcp.json'].servers.memory, files['.mcp.json'].mcpServers.memory);
  });

  it('keeps HTTP servers direct, and VS Code prompts only for the secrets it still uses', () => {
    example = exampleWorkspace({ '.claude-env/project.yaml': LAYER });
    const files = byPath(renderOutputs(example.load(), { gateway: launch }));
    assert.deepEqual(files['.mcp.json'].mcpServers.remote, {
      type: 'http',
      url: 'https://mcp.example.com/mcp',
      headers: { Authorization: 'Bearer ${REMOTE_TOKEN}' },
    });
    const inputs = files['.vscode/mcp.json'].inputs as unknown as { id: string }[];
    assert.deepEqual(
      inputs.map((input) => input.id),
      ['remote-token'],
    );
  });

  it('renders byte for byte the same twice', () => {
    example = exampleWorkspace({ '.claude-env/project.yaml': LAYER });
    const first = renderOutputs(example.load(), { gateway: launch });
    const second = renderOutputs(example.load(), { gateway: launch });
    assert.deepEqual(second, first);
  });

  it('falls back to `claude-env mcp connect` on PATH when no install path is given', () => {
    example = exampleWorkspace({ '.claude-env/project.yaml': LAYER });
    const memory = byPath(renderOutputs(example.load()))['.mcp.json'].mcpServers.memory;
    assert.equal(memory.command, DEFAULT_GATEWAY_LAUNCH.command);
    assert.deepEqual(memory.args, ['mcp', 'connect', 'memory', '--cwd', example.workspace]);
  });

  it('stays direct by default, as today', () => {
    example = exampleWorkspace({ '.claude-env/project.yaml': LAYER.replace('  mcpVia: gateway\n', '') });
    const env = example.load();
    assert.equal(outputSelection(env).mcpVia, 'direct');
    assert.equal(byPath(renderOutputs(env, { gateway: launch }))['.mcp.json'].mcpServers.memory.command, 'npx');
  });
});
