import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { copyExample } from '../helpers/examples';
import { REPO_ROOT } from '../helpers/paths';
import { readText, tempFolder, workspaceWith, writeFile } from '../helpers/workspace';
import { runCli } from '../helpers/cli';

const COMMANDS = ['validate', 'show', 'explain', 'diff', 'apply', 'init', 'import'];

describe('claude-env command line', () => {
  it('prints the package version with --version', () => {
    const version = (JSON.parse(readText(join(REPO_ROOT, 'package.json'))) as { version: string }).version;
    const run = runCli(['--version'], { cwd: tempFolder() });
    assert.equal(run.code, 0);
    assert.equal(run.stdout, `${version}\n`);
  });

  it('lists every command and the exit codes in --help', () => {
    const run = runCli(['--help'], { cwd: tempFolder() });
    assert.equal(run.code, 0);
    for (const command of COMMANDS) assert.match(run.stdout, new RegExp(`^  ${command} `, 'm'));
    assert.match(run.stdout, /0 ok, 1 findings, 2 usage, 3 drift refused, 4 workspace not loaded/);
  });

  for (const command of COMMANDS) {
    it(`prints usage, options and exit codes for \`${command} --help\` without touching the folder`, () => {
      const cwd = tempFolder();
      const run = runCli([command, '--help'], { cwd });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`^Usage: claude-env ${command}`));
      assert.match(run.stdout, /^Exit codes:$/m);
      assert.match(run.stdout, /--cwd DIR/);
      assert.equal(run.stderr, '');
    });
  }

  it('prints the help on stderr and exits 2 without a command', () => {
    const run = runCli([], { cwd: tempFolder() });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^claude-env \S+ —/);
  });

  it('exits 2 on an unknown command and suggests the close one', () => {
    const run = runCli(['valdate'], { cwd: tempFolder() });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown command `valdate` \(did you mean `validate`\?\)/);
    assert.doesNotMatch(run.stderr, /at .*\.js:\d+/);
  });

  it('exits 2 on an unknown option and points at the command help', () => {
    const run = runCli(['show', '--colour'], { cwd: tempFolder() });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown option '--colour'/);
    assert.match(run.stderr, /Run `claude-env show --help` for usage\./);
  });

  it('exits 2 when explain has no path or validate gets an extra argument', () => {
    assert.equal(runCli(['explain'], { cwd: tempFolder() }).code, 2);
    const extra = runCli(['validate', 'surplus'], { cwd: tempFolder() });
    assert.equal(extra.code, 2);
    assert.match(extra.stderr, /unexpected argument: surplus/);
  });

  it('exits 4 with a clear message when --cwd does not exist', () => {
    const run = runCli(['show', '--cwd', 'no/such/folder'], { cwd: tempFolder() });
    assert.equal(run.code, 4);
    assert.equal(run.stderr, 'claude-env: error: cannot work in no/such/folder: it does not exist\n');
  });

  it('accepts --cwd before the command', () => {
    const workspace = workspaceWith({ '.claude-env/project.yaml': 'version: 1\nsettings:\n  model: opus\n' });
    const run = runCli(['--cwd', workspace, 'show'], { cwd: tempFolder() });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /model: opus/);
  });

  it('exits 4 and says how to start when the folder has no project layer', () => {
    const run = runCli(['validate'], { cwd: tempFolder() });
    assert.equal(run.code, 4);
    assert.match(run.stderr, /No project layer in .*: run 'claude-env init'/);
  });

  it('explains an unreadable project layer instead of crashing', () => {
    // A folder where the file should be fails to read even for root, unlike chmod.
    const workspace = workspaceWith({ '.claude-env/project.yaml/keep': '' });
    const run = runCli(['show'], { cwd: workspace });
    assert.equal(run.code, 4);
    assert.match(
      run.stderr,
      /\.claude-env\/project\.yaml:1:1: error stack\.unreadable: Cannot read this layer file: it is a folder\./,
    );
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });

  it('routes `mcp` to its sub-commands and refuses a missing or unknown one', () => {
    const help = runCli(['mcp', '--help'], { cwd: tempFolder() });
    assert.equal(help.code, 0);
    for (const sub of ['list', 'check', 'run']) assert.match(help.stdout, new RegExp(`^  mcp ${sub} `, 'm'));
    assert.equal(runCli(['mcp'], { cwd: tempFolder() }).code, 2);
    const unknown = runCli(['mcp', 'lst'], { cwd: tempFolder() });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command `mcp lst` \(did you mean `mcp list`\?\)/);
  });

  it('reports a failure as JSON on stdout when --json was asked for', () => {
    const run = runCli(['validate', '--json'], { cwd: tempFolder() });
    assert.equal(run.code, 4);
    const report = JSON.parse(run.stdout) as { ok: boolean; error: { exitCode: number; message: string } };
    assert.equal(report.ok, false);
    assert.equal(report.error.exitCode, 4);
    assert.match(report.error.message, /No project layer/);
  });
});

describe('claude-env --team', () => {
  it('applies the given teams instead of the project list, before or after the command', () => {
    const workspace = copyExample();
    const teamFile = join(workspace, '..', 'org', 'teams', 'data.yaml');
    writeFile(teamFile, 'version: 1\nsettings:\n  model: data-model\n');
    writeFile(join(workspace, '.claude-env', 'local.yaml'), 'version: 1\n');
    const after = runCli(['explain', 'settings.model', '--team', 'data', '--json'], { cwd: workspace });
    assert.equal(after.code, 0, after.stderr);
    assert.equal(JSON.parse(after.stdout).value, 'data-model');
    const before = runCli(['--team', 'data,web', 'explain', 'settings.model', '--json'], { cwd: workspace });
    assert.equal(JSON.parse(before.stdout).value, 'claude-opus-4-1');
  });
});
