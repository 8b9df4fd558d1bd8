import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { initWorkspace, PROJECT_TEMPLATE, WorkspaceError } from '@claude-env/engine';
import { tempTree, type TempTree } from '../helpers/workspace';

/** No user layer, no CLAUDE_ENV_* variables: only what the test writes. */
function isolatedEnv(tree: TempTree): NodeJS.ProcessEnv {
  return { HOME: tree.path('home'), XDG_CONFIG_HOME: tree.path('home/.config') };
}

describe('initWorkspace', () => {
  let tree: TempTree;
  afterEach(() => tree.dispose());

  it('writes the template and both .gitignore files, and lists every file it wrote', async () => {
    tree = tempTree({ 'repo/README.md': '# repo\n' });
    const workspace = tree.path('repo');
    const report = await initWorkspace({ workspace, env: isolatedEnv(tree) });
    assert.equal(report.outcome, 'created');
    assert.equal(report.projectLayer, tree.path('repo/.claude-env/project.yaml'));
    assert.deepEqual(report.filesWritten, [
      tree.path('repo/.claude-env/project.yaml'),
      tree.path('repo/.claude-env/.gitignore'),
      tree.path('repo/.gitignore'),
    ]);
    assert.equal(report.gitignoreUpdated, true);
    assert.equal(report.outputsIgnored, true);
    assert.equal(readFileSync(report.projectLayer, 'utf8'), PROJECT_TEMPLATE);
    assert.equal(readFileSync(tree.path('repo/.claude-env/.gitignore'), 'utf8'), 'local.yaml\nstate.json\nbackups/\n');
  });

  it('reports an existing project layer, JSON included, and writes nothing', async () => {
    tree = tempTree({ 'repo/.claude-env/project.json': '{"version": 1}' });
    const report = await initWorkspace({ workspace: tree.path('repo'), env: isolatedEnv(tree) });
    assert.equal(report.outcome, 'alreadyExists');
    assert.equal(report.projectLayer, tree.path('repo/.claude-env/project.json'));
    assert.deepEqual(report.filesWritten, []);
    assert.equal(existsSync(tree.path('repo/.claude-env/project.yaml')), false);
    assert.equal(existsSync(tree.path('repo/.gitignore')), false);
  });

  it('imports the existing files with fromExisting, carrying the import report', async () => {
    tree = tempTree({
      'repo/.mcp.json': '{ "mcpServers": { "memory": { "command": "npx", "args": ["-y", "server-memory"] } } }',
    });
    const report = await initWorkspace({ workspace: tree.path('repo'), fromExisting: true, env: isolatedEnv(tree) });
    assert.equal(report.outcome, 'imported');
    assert.equal(report.import?.outcome, 'imported');
    assert.equal(report.import?.servers, 1);
    assert.equal(report.outputsIgnored, true);
    assert.match(readFileSync(tree.path('repo/.claude-env/project.yaml'), 'utf8'), /memory:/);
    assert.ok(report.filesWritten.includes(tree.path('repo/.gitignore')));
  });

  it('says why nothing was imported with fromExisting in a folder without Claude Code files', async () => {
    tree = tempTree({ 'repo/README.md': '' });
    const report = await initWorkspace({ workspace: tree.path('repo'), fromExisting: true, env: isolatedEnv(tree) });
    assert.equal(report.outcome, 'importFailed');
    assert.equal(report.import?.outcome, 'nothingFound');
    assert.deepEqual(report.import?.lookedFor, ['.claude/settings.json', '.mcp.json', '.vscode/mcp.json']);
    assert.equal(existsSync(tree.path('repo/.claude-env')), false);
  });

  it('throws a WorkspaceError naming the file when a file is in the way of .claude-env/', async () => {
    tree = tempTree({ 'repo/.claude-env': 'not a folder' });
    await assert.rejects(initWorkspace({ workspace: tree.path('repo'), env: isolatedEnv(tree) }), (error) => {
      assert.ok(error instanceof WorkspaceError);
      assert.equal(error.kind, 'unwritable');
      assert.equal(error.file, tree.path('repo/.claude-env/project.yaml'));
      assert.equal(error.message, 'cannot write .claude-env/project.yaml: a file is in the way of a folder it needs');
      return true;
    });
  });
});
