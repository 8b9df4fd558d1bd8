import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import {
  applyWorkspace,
  loadWorkspace,
  planWorkspace,
  WorkspaceError,
  type DriftDecision,
  type EffectiveEnvironment,
  type PlannedTarget,
} from '@claude-env/engine';
import { tempTree, type TempTree } from '../helpers/workspace';

const PROJECT =
  'version: 1\nsettings:\n  model: opus\nmcpServers:\n  memory:\n    command: npx\n    args: ["-y", "server-memory"]\n';
const TARGETS = ['.claude/settings.local.json', '.mcp.json'];
const HAND_EDIT = '{ "mcpServers": { "mine": { "command": "me" } } }\n';

describe('planWorkspace and applyWorkspace', () => {
  let tree: TempTree;
  let workspace: string;
  const load = (): EffectiveEnvironment =>
    loadWorkspace({ workspace, env: { HOME: tree.path('home'), XDG_CONFIG_HOME: tree.path('home/.config') } });
  beforeEach(() => {
    tree = tempTree({ 'repo/.claude-env/project.yaml': PROJECT });
    workspace = tree.path('repo');
  });
  afterEach(() => tree.dispose());

  it('plans every target with its action and diff, and writes nothing', async () => {
    const plan = await planWorkspace(load());
    assert.equal(plan.outcome, 'changes');
    assert.deepEqual(
      plan.targets.map((target) => [target.path, target.action]),
      TARGETS.map((path) => [path, 'create']),
    );
    assert.match(plan.targets[1]?.diff ?? '', /^\+\+\+ b\/\.mcp\.json/m);
    assert.equal(plan.targets[1]?.absolutePath, tree.path('repo/.mcp.json'));
    assert.equal(existsSync(tree.path('repo/.mcp.json')), false);
  });

  it('writes the files, then finds them up to date and writes nothing the second time', async () => {
    const first = await applyWorkspace(load());
    assert.equal(first.outcome, 'applied');
    assert.deepEqual(
      first.targets.map((target) => [target.path, target.outcome]),
      TARGETS.map((path) => [path, 'written']),
    );
    assert.equal(first.gitignoreUpdated, true, 'state.json and backups/ are kept out of git');
    assert.match(readFileSync(tree.path('repo/.mcp.json'), 'utf8'), /"memory"/);
    assert.equal((await planWorkspace(load())).outcome, 'upToDate');
    const second = await applyWorkspace(load());
    assert.equal(second.outcome, 'applied');
    assert.deepEqual(
      second.targets.map((target) => target.outcome),
      ['unchanged', 'unchanged'],
    );
    assert.equal(second.gitignoreUpdated, false);
  });

  it('keeps a hand-edited file by default: nothing written, the drifted file named with its backup place', async () => {
    await applyWorkspace(load());
    tree.write('repo/.mcp.json', HAND_EDIT);
    tree.write('repo/.claude-env/local.yaml', 'version: 1\nsettings:\n  model: sonnet\n');
    const settingsBefore = readFileSync(tree.path('repo/.claude/settings.local.json'), 'utf8');
    const report = await applyWorkspace(load());
    assert.equal(report.outcome, 'drifted');
    assert.deepEqual(report.targets, []);
    assert.deepEqual(
      report.plan.drifted.map((target) => [target.path, target.reason, target.backupHint]),
      [['.mcp.json', 'was edited since claude-env last wrote it', '.claude-env/backups/.mcp.json.<UTC time>']],
    );
    assert.equal(readFileSync(tree.path('repo/.mcp.json'), 'utf8'), HAND_EDIT);
    assert.equal(
      readFileSync(tree.path('repo/.claude/settings.local.json'), 'utf8'),
      settingsBefore,
      'all or nothing: the other target waits too',
    );
  });

  it('asks a drift callback with the drifted files and, told to replace, backs each up first', async () => {
    await applyWorkspace(load());
    tree.write('repo/.mcp.json', HAND_EDIT);
    let asked: readonly PlannedTarget[] = [];
    const report = await applyWorkspace(load(), {
      onDrift: async (drifted): Promise<DriftDecision> => {
        asked = drifted;
        return 'replace';
      },
    });
    assert.deepEqual(
      asked.map((target) => target.path),
      ['.mcp.json'],
    );
    assert.equal(report.outcome, 'applied');
    const replaced = report.targets.find((target) => target.path === '.mcp.json');
    assert.equal(replaced?.action, 'drifted');
    assert.equal(replaced?.outcome, 'written');
    assert.equal(readFileSync(replaced?.backup ?? '', 'utf8'), HAND_EDIT);
    assert.match(readFileSync(tree.path('repo/.mcp.json'), 'utf8'), /"memory"/);
  });

  it('keeps the drifted file when the callback says keep', async () => {
    await applyWorkspace(load());
    tree.write('repo/.mcp.json', HAND_EDIT);
    const report = await applyWorkspace(load(), { onDrift: () => 'keep' });
    assert.equal(report.outcome, 'drifted');
    assert.equal(readFileSync(tree.path('repo/.mcp.json'), 'utf8'), HAND_EDIT);
  });

  it('is blocked by policy errors in the stack, reporting them and writing nothing', async () => {
    tree.write(
      'org/base.yaml',
      'version: 1\nsettings:\n  cleanupPeriodDays: 30\npolicy:\n  locked: [settings.cleanupPeriodDays]\n',
    );
    tree.write(
      'repo/.claude-env/project.yaml',
      'version: 1\nsource:\n  path: ../../org\nsettings:\n  cleanupPeriodDays: 5\n',
    );
    const report = await applyWorkspace(load());
    assert.equal(report.outcome, 'blocked');
    assert.equal(report.plan.blockingErrors.length, 1);
    assert.match(report.plan.blockingErrors[0]?.code ?? '', /^policy\./);
    assert.equal(report.plan.blockingErrors[0]?.range.start.line, 4);
    assert.equal(existsSync(tree.path('repo/.mcp.json')), false);
  });

  it('stops at a target that cannot be read, which neither a backup nor replacing can help', async () => {
    tree.write('repo/.claude', 'a file where the folder should be\n');
    const report = await applyWorkspace(load(), { onDrift: 'replace' });
    assert.equal(report.outcome, 'unreadable');
    assert.deepEqual(
      report.plan.unreadable.map((target) => target.path),
      ['.claude/settings.local.json'],
    );
    assert.match(report.plan.unreadable[0]?.reason ?? '', /^cannot be read: .*ENOTDIR/);
    assert.equal(existsSync(tree.path('repo/.mcp.json')), false);
  });

  it('reports a dry run as applied while writing neither the targets nor the state', async () => {
    const report = await applyWorkspace(load(), { dryRun: true });
    assert.equal(report.outcome, 'applied');
    assert.equal(report.dryRun, true);
    assert.equal(existsSync(tree.path('repo/.mcp.json')), false);
    assert.equal(existsSync(tree.path('repo/.claude-env/state.json')), false);
    assert.equal(existsSync(tree.path('repo/.claude-env/.gitignore')), false);
  });

  it('refuses to load a folder without a project layer with a noProjectLayer WorkspaceError', () => {
    tree.write('empty/README.md', '');
    assert.throws(
      () => loadWorkspace({ workspace: tree.path('empty'), env: { HOME: tree.path('home') } }),
      (error) => error instanceof WorkspaceError && error.kind === 'noProjectLayer' && /project/.test(error.message),
    );
  });
});
