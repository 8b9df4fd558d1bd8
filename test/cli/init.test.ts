import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readText, runCli, workspaceWith } from './helpers';

describe('claude-env init', () => {
  it('creates the project layer with the reference fleet and a .gitignore for personal files', () => {
    const workspace = workspaceWith({ 'README.md': '# repo\n' });
    const run = runCli(['init'], { cwd: workspace });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /created \.claude-env\/project\.yaml and \.claude-env\/\.gitignore/);
    const text = readText(join(workspace, '.claude-env', 'project.yaml'));
    assert.match(text, /^# source:\n#   path: /m, 'source is offered, commented out');
    assert.match(text, /^# teams: \[web\]$/m);
    const layer = parseYaml(text) as { mcpServers: Record<string, { args: string[]; env?: Record<string, string> }> };
    assert.deepEqual(Object.keys(layer.mcpServers), ['context7', 'sequential-thinking', 'playwright', 'magic']);
    assert.deepEqual(layer.mcpServers.context7?.args, ['-y', '@upstash/context7-mcp']);
    assert.equal(layer.mcpServers.magic?.env?.API_KEY, '${secret:magic-api-key}');
    assert.equal(readText(join(workspace, '.claude-env', '.gitignore')), 'local.yaml\nstate.json\nbackups/\n');
  });

  it('produces a layer that validates, its only finding the Magic key still to be provided', () => {
    const workspace = workspaceWith({ 'README.md': '' });
    assert.equal(runCli(['init'], { cwd: workspace }).code, 0);
    assert.equal(runCli(['validate', '--no-secrets', '--strict'], { cwd: workspace }).code, 0);
    const withSecrets = runCli(['validate'], { cwd: workspace });
    assert.equal(withSecrets.code, 1);
    assert.match(withSecrets.stdout, /^\.claude-env\/project\.yaml:\d+:\d+: error secret\.unresolved: `\$\{secret:magic-api-key\}`/m);
    assert.match(withSecrets.stdout, /^1 error in 1 file$/m);
    assert.equal(runCli(['validate'], { cwd: workspace, env: { CLAUDE_ENV_SECRET_MAGIC_API_KEY: 'k-123456' } }).code, 0);
  });

  it('refuses to overwrite an existing project layer, exit 1, file untouched', () => {
    const workspace = workspaceWith({ '.claude-env/project.yaml': 'version: 1 # mine\n' });
    const run = runCli(['init'], { cwd: workspace });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /\.claude-env\/project\.yaml already exists; not overwriting it/);
    assert.equal(readText(join(workspace, '.claude-env', 'project.yaml')), 'version: 1 # mine\n');
  });

  it('refuses when the project layer is JSON too', () => {
    const workspace = workspaceWith({ '.claude-env/project.json': '{"version": 1}' });
    assert.equal(runCli(['init'], { cwd: workspace }).code, 1);
  });

  it('keeps what an existing .claude-env/.gitignore holds and adds only the missing lines', () => {
    const workspace = workspaceWith({ '.claude-env/.gitignore': 'notes.txt\nstate.json' });
    assert.equal(runCli(['init'], { cwd: workspace }).code, 0);
    assert.equal(readText(join(workspace, '.claude-env', '.gitignore')), 'notes.txt\nstate.json\nlocal.yaml\nbackups/\n');
  });

  it('imports the existing files instead of the template with --from-existing', () => {
    const workspace = workspaceWith({ '.mcp.json': '{ "mcpServers": { "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] } } }' });
    const run = runCli(['init', '--from-existing'], { cwd: workspace });
    assert.equal(run.code, 0, run.stderr);
    const layer = parseYaml(readText(join(workspace, '.claude-env', 'project.yaml'))) as { mcpServers: Record<string, unknown> };
    assert.deepEqual(Object.keys(layer.mcpServers), ['memory']);
    assert.equal(runCli(['init', '--from-existing'], { cwd: workspace }).code, 1, 'second time: refused');
  });

  it('explains a file in the way of .claude-env/ instead of failing obscurely', () => {
    const workspace = workspaceWith({ '.claude-env': 'not a folder' });
    const run = runCli(['init'], { cwd: workspace });
    assert.equal(run.code, 4);
    assert.equal(run.stderr, 'claude-env: error: cannot write .claude-env/project.yaml: a file is in the way of a folder it needs\n');
  });
});
