import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { copyExample } from '../helpers/examples';
import { readText, workspaceWith, writeFile } from '../helpers/workspace';
import { runCli } from '../helpers/cli';

const TARGETS = ['.claude/settings.local.json', '.mcp.json', '.vscode/mcp.json'];

describe('claude-env diff and apply', () => {
  it('diff lists every target as create with a unified diff, and exits 1 because apply would change files', () => {
    const workspace = copyExample();
    const run = runCli(['diff'], { cwd: workspace });
    assert.equal(run.code, 1, run.stderr);
    for (const target of TARGETS) {
      assert.match(run.stdout, new RegExp(`^create ${target.replace(/\./g, '\\.')}$`, 'm'));
      assert.match(run.stdout, new RegExp(`^\\+\\+\\+ b/${target.replace(/\./g, '\\.')}`, 'm'));
    }
    assert.match(run.stdout, /^\+ {8}"API_KEY": "\$\{MAGIC_API_KEY\}"$/m);
    assert.equal(
      TARGETS.some((target) => existsSync(join(workspace, target))),
      false,
      'diff writes nothing',
    );
  });

  it('apply --dry-run reports the plan and writes nothing', () => {
    const workspace = copyExample();
    const run = runCli(['apply', '--dry-run'], { cwd: workspace });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^create \.mcp\.json$/m);
    assert.match(run.stdout, /dry run: nothing written/);
    assert.equal(existsSync(join(workspace, '.mcp.json')), false);
    assert.equal(existsSync(join(workspace, '.claude-env', 'state.json')), false);
  });

  it('apply writes the files with references in each target syntax; a second apply and diff find nothing to do', () => {
    const workspace = copyExample();
    const first = runCli(['apply'], { cwd: workspace });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^created \.mcp\.json$/m);
    const mcp = JSON.parse(readText(join(workspace, '.mcp.json'))) as {
      mcpServers: Record<string, { env?: Record<string, string> }>;
    };
    assert.equal(mcp.mcpServers.magic?.env?.API_KEY, '${MAGIC_API_KEY}');
    const vscode = JSON.parse(readText(join(workspace, '.vscode/mcp.json'))) as {
      servers: Record<string, { env?: Record<string, string> }>;
    };
    assert.equal(vscode.servers.magic?.env?.API_KEY, '${input:magic-api-key}');
    const settings = JSON.parse(readText(join(workspace, '.claude/settings.local.json'))) as { model: string };
    assert.equal(settings.model, 'claude-sonnet-4-5');

    const before = TARGETS.map((target) => readText(join(workspace, target)));
    const second = runCli(['apply'], { cwd: workspace });
    assert.equal(second.code, 0);
    assert.deepEqual(
      second.stdout.trim().split('\n'),
      TARGETS.map((target) => `unchanged ${target}`),
    );
    assert.deepEqual(
      TARGETS.map((target) => readText(join(workspace, target))),
      before,
    );
    const diff = runCli(['diff'], { cwd: workspace });
    assert.equal(diff.code, 0);
    assert.match(diff.stdout, /everything is up to date/);
  });

  it('refuses a hand-edited file with exit 3, names it and where the backup would go, and writes nothing', () => {
    const workspace = copyExample();
    assert.equal(runCli(['apply'], { cwd: workspace }).code, 0);
    writeFile(join(workspace, '.mcp.json'), '{ "mcpServers": { "mine": { "command": "my-server" } } }\n');
    writeFile(join(workspace, '.claude-env', 'local.yaml'), 'version: 1\nsettings:\n  model: opus\n');
    const settingsBefore = readText(join(workspace, '.claude/settings.local.json'));

    const refused = runCli(['apply'], { cwd: workspace });
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /1 file was edited by hand; nothing written/);
    assert.match(
      refused.stderr,
      /\.mcp\.json was edited since claude-env last wrote it; --force replaces it after copying it to \.claude-env\/backups\/\.mcp\.json\.<UTC time>/,
    );
    assert.equal(readText(join(workspace, '.mcp.json')), '{ "mcpServers": { "mine": { "command": "my-server" } } }\n');
    assert.equal(
      readText(join(workspace, '.claude/settings.local.json')),
      settingsBefore,
      'all or nothing: the other targets wait too',
    );

    const dryRun = runCli(['apply', '--dry-run'], { cwd: workspace });
    assert.equal(dryRun.code, 3);
    assert.match(
      dryRun.stdout,
      /^update \.claude\/settings\.local\.json\ndrifted \.mcp\.json \(edited by hand; apply needs --force\)$/m,
    );

    const diff = runCli(['diff'], { cwd: workspace });
    assert.equal(diff.code, 1);
    assert.match(
      diff.stdout,
      /^drifted \.mcp\.json \(was edited since claude-env last wrote it; apply needs --force\)$/m,
    );
    assert.match(diff.stdout, /^-\{ "mcpServers": \{ "mine": \{ "command": "my-server" \} \} \}$/m);
  });

  it('apply --force backs the hand-edited file up byte for byte, then replaces it', () => {
    const workspace = copyExample();
    assert.equal(runCli(['apply'], { cwd: workspace }).code, 0);
    const handEdit = '{ "mcpServers": {} } // mine\n';
    writeFile(join(workspace, '.mcp.json'), handEdit);
    const forced = runCli(['apply', '--force'], { cwd: workspace });
    assert.equal(forced.code, 0, forced.stderr);
    const match = /^replaced \.mcp\.json \(your version is saved in (\.claude-env\/backups\/[^)]+)\)$/m.exec(
      forced.stdout,
    );
    assert.ok(match, forced.stdout);
    assert.equal(readText(join(workspace, match[1] as string)), handEdit);
    assert.match(readText(join(workspace, '.mcp.json')), /"context7"/);
    assert.equal(readdirSync(join(workspace, '.claude-env', 'backups')).length, 1);
  });

  it('blocks apply on schema and policy errors, printing them; nothing is written', () => {
    const workspace = workspaceWith({
      'org/base.yaml':
        'version: 1\nsettings:\n  cleanupPeriodDays: 30\npolicy:\n  locked: [settings.cleanupPeriodDays]\n',
      'repo/.claude-env/project.yaml': 'version: 1\nsource:\n  path: ../../org\nsettings:\n  cleanupPeriodDays: 5\n',
    });
    const run = runCli(['apply'], { cwd: join(workspace, 'repo') });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^\.claude-env\/project\.yaml:5:3: error policy\.\w+: /m);
    assert.match(run.stderr, /apply blocked: 1 error in the stack/);
    assert.equal(existsSync(join(workspace, 'repo', '.mcp.json')), false);
    assert.equal(runCli(['diff'], { cwd: join(workspace, 'repo') }).code, 1);
  });

  it('does not block apply on an unresolved secret: the files keep the reference', () => {
    const workspace = copyExample();
    const run = runCli(['apply'], { cwd: workspace });
    assert.equal(run.code, 0, run.stderr);
    assert.match(readText(join(workspace, '.mcp.json')), /"\$\{MAGIC_API_KEY\}"/);
  });

  it('reports the plan and outcome as JSON', () => {
    const workspace = copyExample();
    const diff = JSON.parse(runCli(['diff', '--json'], { cwd: workspace }).stdout) as {
      changed: boolean;
      targets: { path: string; status: string; diff: string }[];
    };
    assert.equal(diff.changed, true);
    assert.deepEqual(
      diff.targets.map((t) => [t.path, t.status]),
      TARGETS.map((t) => [t, 'create']),
    );
    const applied = JSON.parse(runCli(['apply', '--json'], { cwd: workspace }).stdout) as {
      ok: boolean;
      targets: { path: string; outcome: string }[];
    };
    assert.equal(applied.ok, true);
    assert.deepEqual(
      applied.targets.map((t) => t.outcome),
      ['written', 'written', 'written'],
    );
  });

  it('exits 4 with the reason when a target cannot be read, instead of offering --force', () => {
    const workspace = copyExample();
    writeFile(join(workspace, '.claude'), 'a file where the folder should be\n');
    const run = runCli(['apply'], { cwd: workspace });
    assert.equal(run.code, 4);
    assert.match(
      run.stderr,
      /^claude-env: error: cannot apply: \.claude\/settings\.local\.json cannot be read: ENOTDIR/m,
    );
    assert.doesNotMatch(run.stderr, /--force/);
    assert.equal(existsSync(join(workspace, '.mcp.json')), false);
  });

  it('keeps its state and backups out of git even where init never ran', () => {
    const workspace = workspaceWith({
      '.claude-env/project.yaml': 'version: 1\nsettings:\n  model: opus\n',
      '.claude-env/.gitignore': 'notes.md\n',
    });
    const run = runCli(['apply'], { cwd: workspace });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^updated \.claude-env\/\.gitignore/m);
    assert.equal(
      readText(join(workspace, '.claude-env', '.gitignore')),
      'notes.md\nlocal.yaml\nstate.json\nbackups/\n',
    );
    assert.doesNotMatch(runCli(['apply'], { cwd: workspace }).stdout, /gitignore/, 'said once');
  });
});
