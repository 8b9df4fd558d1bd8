import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { importConfiguration, WorkspaceError } from '@claude-env/engine';
import { tempTree, type TempTree } from '../helpers/workspace';

const MEMORY = '{ "mcpServers": { "memory": { "command": "npx", "args": ["-y", "server-memory"] } } }';

function isolatedEnv(tree: TempTree): NodeJS.ProcessEnv {
  return { HOME: tree.path('home'), XDG_CONFIG_HOME: tree.path('home/.config') };
}

describe('importConfiguration', () => {
  let tree: TempTree;
  afterEach(() => tree.dispose());

  it('writes the default files into a new project layer and reports what it read, counted and wrote', async () => {
    tree = tempTree({
      'repo/.mcp.json': MEMORY,
      'repo/.claude/settings.json': '{ "model": "opus", /* ours */ "permissions": { "deny": ["Read(./.env)"] } }',
    });
    const report = await importConfiguration({ workspace: tree.path('repo'), env: isolatedEnv(tree) });
    assert.equal(report.outcome, 'imported');
    assert.deepEqual(report.sources, [tree.path('repo/.claude/settings.json'), tree.path('repo/.mcp.json')]);
    assert.equal(report.target, tree.path('repo/.claude-env/project.yaml'));
    assert.equal(report.servers, 1);
    assert.equal(report.settings, 2);
    assert.deepEqual(report.filesWritten, [
      tree.path('repo/.claude-env/project.yaml'),
      tree.path('repo/.claude-env/.gitignore'),
    ]);
    const written = readFileSync(tree.path('repo/.claude-env/project.yaml'), 'utf8');
    assert.equal(report.layerText, written);
    assert.match(
      written,
      /^# The project layer: committed with the repository\.\n# Imported by claude-env from \.claude\/settings\.json, \.mcp\.json\.\n/,
    );
  });

  it('previews the layer with write: false and touches nothing', async () => {
    tree = tempTree({ 'repo/.mcp.json': MEMORY });
    const report = await importConfiguration({ workspace: tree.path('repo'), write: false, env: isolatedEnv(tree) });
    assert.equal(report.outcome, 'previewed');
    assert.match(report.layerText ?? '', /^# Imported by claude-env from \.mcp\.json\.\n\nversion: 1\n/);
    assert.deepEqual(report.filesWritten, []);
    assert.equal(existsSync(tree.path('repo/.claude-env')), false);
  });

  it('reports malformed JSON as a located error diagnostic and writes nothing', async () => {
    tree = tempTree({ 'repo/broken.json': '{ "mcpServers": {\n  "a": { "command": "x" }\n  "b": {} } }' });
    const report = await importConfiguration({
      workspace: tree.path('repo'),
      files: ['broken.json'],
      env: isolatedEnv(tree),
    });
    assert.equal(report.outcome, 'invalid');
    const error = report.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
    assert.equal(error?.code, 'import.syntax');
    assert.equal(error?.file, tree.path('repo/broken.json'));
    assert.equal(error?.range.start.line, 2);
    assert.equal(existsSync(tree.path('repo/.claude-env')), false);
  });

  it('adds to an existing layer, keeping its comments, and lists the keys it replaced', async () => {
    tree = tempTree({
      'repo/.mcp.json': MEMORY,
      'repo/.claude-env/project.yaml':
        '# Ours.\nversion: 1\nmcpServers:\n  memory:\n    command: old\n  mine:\n    command: me\n',
    });
    const report = await importConfiguration({ workspace: tree.path('repo'), env: isolatedEnv(tree) });
    assert.equal(report.outcome, 'imported');
    assert.deepEqual(report.replaced, ['mcpServers.memory']);
    const text = readFileSync(tree.path('repo/.claude-env/project.yaml'), 'utf8');
    assert.match(text, /^# Ours\./);
    assert.match(text, /command: me/);
    assert.doesNotMatch(text, /command: old/);
  });

  it('names each ending that writes nothing: nothing found, empty files, a JSON layer, a layer that must not exist', async () => {
    tree = tempTree({ 'repo/README.md': '', 'repo/empty.json': '{ /* nothing */ }' });
    const env = isolatedEnv(tree);
    const workspace = tree.path('repo');
    assert.equal((await importConfiguration({ workspace, env })).outcome, 'nothingFound');
    assert.equal((await importConfiguration({ workspace, files: ['empty.json'], env })).outcome, 'empty');
    tree.write('repo/.mcp.json', MEMORY);
    tree.write('repo/.claude-env/project.json', '{"version": 1}');
    assert.equal((await importConfiguration({ workspace, env })).outcome, 'targetIsJson');
    assert.equal(readFileSync(tree.path('repo/.claude-env/project.json'), 'utf8'), '{"version": 1}');
    tree.write('repo/.claude-env/local.yaml', 'version: 1\n');
    tree.write('repo/.claude/settings.local.json', '{ "model": "opus" }');
    const local = await importConfiguration({ workspace, to: 'local', mustCreate: true, env });
    assert.equal(local.outcome, 'targetExists');
    assert.equal(readFileSync(tree.path('repo/.claude-env/local.yaml'), 'utf8'), 'version: 1\n');
  });

  it('imports the user-scope servers of ~/.claude.json into the user layer of the given environment', async () => {
    tree = tempTree({
      'home/.claude.json': JSON.stringify({ numStartups: 3, mcpServers: { memory: { command: 'npx', args: [] } } }),
      'repo/.claude-env/project.yaml': 'version: 1\n',
    });
    const report = await importConfiguration({ workspace: tree.path('repo'), to: 'user', env: isolatedEnv(tree) });
    assert.equal(report.outcome, 'imported');
    assert.equal(report.target, tree.path('home/.config/claude-env/user.yaml'));
    assert.match(readFileSync(report.target ?? '', 'utf8'), /memory:/);
    assert.equal(
      existsSync(tree.path('repo/.claude-env/.gitignore')),
      false,
      'the user layer is not in the repository',
    );
  });

  it('throws a WorkspaceError naming a file that cannot be read', async () => {
    tree = tempTree({ 'repo/README.md': '' });
    await assert.rejects(
      importConfiguration({ workspace: tree.path('repo'), files: ['nope.json'], env: isolatedEnv(tree) }),
      (error) => {
        assert.ok(error instanceof WorkspaceError);
        assert.equal(error.kind, 'unreadable');
        assert.equal(error.file, tree.path('repo/nope.json'));
        assert.equal(error.message, 'cannot read nope.json: it does not exist');
        return true;
      },
    );
  });
});
