import { strict as assert } from 'node:assert';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from '../helpers/paths';
import { readText, tempFolder, workspaceWith, writeFile } from '../helpers/workspace';
import { runCli } from '../helpers/cli';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'import');

function fixtureWorkspace(): string {
  const workspace = join(tempFolder(), 'workspace');
  cpSync(join(FIXTURES, 'workspace'), workspace, { recursive: true });
  return workspace;
}

/** The JSON content of a file, comments and trailing commas allowed, as canonical text for byte comparison. */
function jsonContent(text: string): string {
  return JSON.stringify(parseJsonc(text, [], { allowTrailingComma: true }));
}

describe('claude-env import', () => {
  it('imports .claude/settings.json, .mcp.json and .vscode/mcp.json with comments and trailing commas', () => {
    const workspace = fixtureWorkspace();
    const run = runCli(['import'], { cwd: workspace });
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      /imported 6 servers and 8 settings from \.claude\/settings\.json, \.mcp\.json, \.vscode\/mcp\.json into \.claude-env\/project\.yaml/,
    );
    const layer = parseYaml(readText(join(workspace, '.claude-env', 'project.yaml'))) as {
      settings: Record<string, unknown>;
      mcpServers: Record<string, { env?: Record<string, string>; headers?: Record<string, string> }>;
      outputs: Record<string, unknown>;
    };
    assert.equal(layer.mcpServers.context7?.env?.CONTEXT7_API_KEY, '${env:CONTEXT7_API_KEY:-}');
    assert.equal(layer.mcpServers.github?.headers?.Authorization, 'Bearer ${env:GITHUB_TOKEN}');
    assert.equal(layer.mcpServers.magic?.env?.API_KEY, '${secret:magic-api-key}');
    assert.equal(layer.mcpServers.playwright?.env?.PLAYWRIGHT_BROWSERS_PATH, '${env:PLAYWRIGHT_BROWSERS_PATH}');
    // Settings are literal for Claude Code: a `${` there is escaped so it is not read as a reference.
    assert.match(JSON.stringify(layer.settings.hooks), /"\$\$\{CLAUDE_PROJECT_DIR\}\/\.claude\/hooks\/format\.sh"/);
    // `$schema` points editors at the settings schema: it is kept and written back.
    assert.equal(layer.settings['$schema'], 'https://json.schemastore.org/claude-code-settings.json');
    assert.deepEqual(layer.outputs, { claudeSettings: 'shared', vscodeMcpJson: true });
    assert.deepEqual(
      readText(join(workspace, '.claude-env', '.gitignore'))
        .split('\n')
        .filter(Boolean),
      ['local.yaml', 'state.json', 'backups/'],
    );
  });

  it('round trip: import then apply reproduces .mcp.json and .claude/settings.json, byte for byte on the JSON content', () => {
    const workspace = fixtureWorkspace();
    const original = {
      mcp: readText(join(workspace, '.mcp.json')),
      settings: readText(join(workspace, '.claude/settings.json')),
    };
    assert.equal(runCli(['import', '.claude/settings.json', '.mcp.json'], { cwd: workspace }).code, 0);
    const validate = runCli(['validate', '--no-secrets'], { cwd: workspace });
    assert.equal(validate.code, 0, validate.stdout);

    // The originals hold comments, so they differ from the rendered text: apply calls them drift until forced.
    assert.equal(runCli(['apply'], { cwd: workspace }).code, 3);
    const applied = runCli(['apply', '--force'], { cwd: workspace });
    assert.equal(applied.code, 0, applied.stderr);

    assert.equal(jsonContent(readText(join(workspace, '.mcp.json'))), jsonContent(original.mcp));
    // Every key comes back, `$schema` (which points editors at the settings schema) included.
    assert.equal(jsonContent(readText(join(workspace, '.claude/settings.json'))), jsonContent(original.settings));
    // Nothing the user wrote is lost: each original is in the backups, byte for byte.
    const backups = readdirSync(join(workspace, '.claude-env', 'backups')).map((name) =>
      readText(join(workspace, '.claude-env', 'backups', name)),
    );
    assert.ok(backups.includes(original.mcp) && backups.includes(original.settings));
  });

  it('round trip: import then apply reproduces the servers of .vscode/mcp.json, inputs becoming secrets', () => {
    const workspace = fixtureWorkspace();
    const original = readText(join(workspace, '.vscode/mcp.json'));
    assert.equal(runCli(['import', '.vscode/mcp.json'], { cwd: workspace }).code, 0);
    const applied = runCli(['apply', '--force'], { cwd: workspace });
    assert.equal(applied.code, 0, applied.stderr);
    const servers = (text: string) =>
      JSON.stringify((parseJsonc(text, [], { allowTrailingComma: true }) as { servers: unknown }).servers);
    assert.equal(servers(readText(join(workspace, '.vscode/mcp.json'))), servers(original));
    // Claude Code gets the same server, the secret as a variable claude-env provides.
    const mcp = JSON.parse(readText(join(workspace, '.mcp.json'))) as {
      mcpServers: Record<string, { env: Record<string, string> }>;
    };
    assert.equal(mcp.mcpServers.magic?.env.API_KEY, '${MAGIC_API_KEY}');
  });

  it('leaves files that already hold the rendered bytes untouched: import then apply changes nothing', () => {
    const everything = {
      type: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-everything'],
      env: { TOKEN: '${TOKEN}' },
    };
    const canonical = `${JSON.stringify({ mcpServers: { everything } }, null, 2)}\n`;
    const workspace = workspaceWith({ '.mcp.json': canonical });
    assert.equal(runCli(['import'], { cwd: workspace }).code, 0);
    const run = runCli(['apply'], { cwd: workspace });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^unchanged \.mcp\.json$/m);
    assert.equal(readText(join(workspace, '.mcp.json')), canonical);
  });

  it('reports malformed JSON at file:line:col and writes nothing', () => {
    const workspace = workspaceWith({ 'broken.json': readText(join(FIXTURES, 'malformed.mcp.json')) });
    const run = runCli(['import', 'broken.json'], { cwd: workspace });
    assert.equal(run.code, 1);
    // Line 4 starts the second server, after a missing comma.
    assert.match(run.stderr, /^broken\.json:4:5: error import\.syntax: invalid JSON: comma expected$/m);
    assert.match(run.stderr, /nothing imported/);
    assert.equal(existsSync(join(workspace, '.claude-env')), false);
  });

  it('prints the layer with --print and writes nothing', () => {
    const workspace = fixtureWorkspace();
    const run = runCli(['import', '.mcp.json', '--print'], { cwd: workspace });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^# Imported by claude-env from \.mcp\.json\.\n\nversion: 1\n/);
    assert.match(run.stdout, /^    args: \[-y, "@upstash\/context7-mcp"\]$/m);
    assert.equal(existsSync(join(workspace, '.claude-env')), false);
  });

  it('adds to an existing project layer, keeping its comments, and lists what it replaced', () => {
    const workspace = fixtureWorkspace();
    writeFile(
      join(workspace, '.claude-env', 'project.yaml'),
      '# Our project layer.\nversion: 1\nmcpServers:\n  context7:\n    command: old\n  keep-me:\n    command: mine # my own server\n',
    );
    const run = runCli(['import', '.mcp.json'], { cwd: workspace });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^  replaced mcpServers\.context7$/m);
    const text = readText(join(workspace, '.claude-env', 'project.yaml'));
    assert.match(text, /^# Our project layer\./);
    assert.match(text, /command: mine # my own server/);
    assert.doesNotMatch(text, /command: old/);
  });

  it('imports the personal settings into the local layer with --to local', () => {
    const workspace = workspaceWith({
      '.claude-env/project.yaml': 'version: 1\n',
      '.claude/settings.local.json': '{ "model": "opus", /* mine */ "permissions": { "allow": ["Bash(make:*)"] } }',
    });
    const run = runCli(['import', '--to', 'local'], { cwd: workspace });
    assert.equal(run.code, 0, run.stderr);
    const layer = parseYaml(readText(join(workspace, '.claude-env', 'local.yaml'))) as {
      settings: Record<string, unknown>;
      outputs?: unknown;
    };
    assert.deepEqual(layer.settings, { model: 'opus', permissions: { allow: ['Bash(make:*)'] } });
    assert.equal(layer.outputs, undefined, "where apply writes is the project's choice");
    // The default output is settings.local.json itself: the round trip gives back the same JSON content.
    assert.equal(runCli(['apply', '--force'], { cwd: workspace }).code, 0);
    assert.deepEqual(JSON.parse(readText(join(workspace, '.claude/settings.local.json'))), {
      model: 'opus',
      permissions: { allow: ['Bash(make:*)'] },
    });
  });

  it('imports the user-scope servers of ~/.claude.json into the user layer with --to user, ignoring Claude Code state', () => {
    const home = tempFolder('claude-env-home-');
    writeFile(
      join(home, '.claude.json'),
      JSON.stringify({
        numStartups: 12,
        tipsHistory: { a: 1 },
        projects: { '/x': { allowedTools: [] } },
        mcpServers: {
          memory: { type: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], env: {} },
        },
      }),
    );
    const workspace = workspaceWith({ '.claude-env/project.yaml': 'version: 1\n' });
    const run = runCli(['import', '--to', 'user'], { cwd: workspace, home });
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /warning/);
    const userLayer = join(home, '.config', 'claude-env', 'user.yaml');
    assert.deepEqual(Object.keys((parseYaml(readText(userLayer)) as { mcpServers: object }).mcpServers), ['memory']);
    const show = runCli(['show', '--explain'], { cwd: workspace, home });
    assert.match(show.stdout, /^    command: npx +← user ~\/\.config\/claude-env\/user\.yaml:\d+$/m);
  });

  it('exits 1 when there is nothing to import, 2 for a bad --to, 4 for a missing file', () => {
    const workspace = workspaceWith({ 'README.md': '' });
    assert.equal(runCli(['import'], { cwd: workspace }).code, 1);
    assert.equal(runCli(['import', '--to', 'team'], { cwd: workspace }).code, 2);
    writeFile(join(workspace, 'empty.json'), '{ /* nothing yet */ }');
    const empty = runCli(['import', 'empty.json'], { cwd: workspace });
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /nothing to import: empty\.json holds no settings and no servers/);
    const missing = runCli(['import', 'nope.json'], { cwd: workspace });
    assert.equal(missing.code, 4);
    assert.match(missing.stderr, /cannot read nope\.json: it does not exist/);
  });
});
