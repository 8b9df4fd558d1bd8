import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCli } from '../helpers/cli';
import { copyExample } from '../helpers/examples';
import { readText, tempFolder, workspaceWith, writeFile } from '../helpers/workspace';

/**
 * A cloned repository is untrusted: its symbolic links, FIFOs and devices must never make claude-env write or read
 * outside it, hang, or fill memory. Each case runs the built CLI on a real file system.
 */

const PRIVATE = 'PRIVATE-CONTENT-0b9e';

/** A folder next to the workspace, with a file the repository must never see printed nor changed. */
function outsideOf(workspace: string): { outside: string; victim: string } {
  const outside = join(dirname(workspace), 'outside');
  mkdirSync(outside, { recursive: true });
  const victim = join(outside, 'victim.json');
  writeFileSync(victim, `{"token": "${PRIVATE}"}\n`);
  return { outside, victim };
}

function assertUntouched(outside: string, victim: string): void {
  assert.deepEqual(readdirSync(outside), ['victim.json'], 'nothing was created outside the workspace');
  assert.equal(readText(victim), `{"token": "${PRIVATE}"}\n`);
}

describe('hostile repositories: no write or read outside the workspace', () => {
  for (const folder of ['.vscode', '.claude']) {
    it(`apply refuses a ${folder}/ that is a link leading out, names it, and writes nothing anywhere`, () => {
      const workspace = copyExample();
      const { outside, victim } = outsideOf(workspace);
      symlinkSync(outside, join(workspace, folder));
      const run = runCli(['apply'], { cwd: workspace });
      assert.equal(run.code, 4, run.stderr);
      assert.match(
        run.stderr,
        new RegExp(`inside ${folder.replace('.', '\\.')}, which is a symbolic link to .*outside`),
      );
      assertUntouched(outside, victim);
      assert.equal(existsSync(join(workspace, '.mcp.json')), false, 'all or nothing: no other target written');
    });
  }

  it('a forced apply refuses .claude-env/backups/ leading out, and the hand-edited file stays', () => {
    const workspace = copyExample();
    const { outside, victim } = outsideOf(workspace);
    writeFile(join(workspace, '.mcp.json'), '{"mcpServers": {"mine": {"command": "hand-edit"}}}\n');
    symlinkSync(outside, join(workspace, '.claude-env', 'backups'));
    const run = runCli(['apply', '--force'], { cwd: workspace });
    assert.equal(run.code, 4, run.stderr);
    assert.match(run.stderr, /backups: is a symbolic link to .*outside/);
    assertUntouched(outside, victim);
    assert.equal(readText(join(workspace, '.mcp.json')), '{"mcpServers": {"mine": {"command": "hand-edit"}}}\n');
  });

  it('init refuses a committed .gitignore that is a link to a file outside, which stays unchanged', () => {
    const workspace = workspaceWith({});
    const { outside, victim } = outsideOf(workspace);
    symlinkSync(victim, join(workspace, '.gitignore'));
    const run = runCli(['init'], { cwd: workspace });
    assert.equal(run.code, 4, run.stderr);
    assert.match(run.stderr, /cannot read \.gitignore: .*is a symbolic link to .*victim\.json, outside/);
    assertUntouched(outside, victim);
  });

  it('init refuses a .claude-env/ that is a link leading out', () => {
    const workspace = workspaceWith({});
    const { outside, victim } = outsideOf(workspace);
    symlinkSync(outside, join(workspace, '.claude-env'));
    const run = runCli(['init'], { cwd: workspace });
    assert.equal(run.code, 4, run.stderr);
    assert.match(run.stderr, /cannot write \.claude-env\/project\.yaml: .*\.claude-env is a symbolic link/);
    assertUntouched(outside, victim);
  });

  it('import refuses to add to a project layer that is a link to a file outside', () => {
    const workspace = workspaceWith({ '.mcp.json': '{"mcpServers": {"a": {"command": "a"}}}\n' });
    const { outside, victim } = outsideOf(workspace);
    mkdirSync(join(workspace, '.claude-env'));
    symlinkSync(victim, join(workspace, '.claude-env', 'project.yaml'));
    const run = runCli(['import'], { cwd: workspace });
    assert.equal(run.code, 4, run.stderr);
    assert.match(run.stderr, /project\.yaml: .*symbolic link .*outside/);
    assert.doesNotMatch(run.stderr + run.stdout, new RegExp(PRIVATE));
    assertUntouched(outside, victim);
  });

  it('diff reports an output that is a link to a file outside instead of printing that file', () => {
    const workspace = copyExample();
    const { victim } = outsideOf(workspace);
    symlinkSync(victim, join(workspace, '.mcp.json'));
    for (const args of [['diff'], ['diff', '--json'], ['apply', '--dry-run']]) {
      const run = runCli(args, { cwd: workspace });
      assert.doesNotMatch(run.stdout + run.stderr, new RegExp(PRIVATE), `${args.join(' ')} printed the file`);
      assert.match(run.stdout + run.stderr, /symbolic link to .*victim\.json, outside/);
    }
  });

  it('validate reports a project layer that is a link to a file outside, without reading it', () => {
    const workspace = workspaceWith({});
    const { victim } = outsideOf(workspace);
    mkdirSync(join(workspace, '.claude-env'));
    symlinkSync(victim, join(workspace, '.claude-env', 'project.yaml'));
    const run = runCli(['validate'], { cwd: workspace });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout + run.stderr, /project\.yaml:1:1: error stack\.unreadable: .*symbolic link/);
    assert.doesNotMatch(run.stdout + run.stderr, new RegExp(PRIVATE));
    assert.doesNotMatch(run.stdout + run.stderr, /No project layer/);
  });

  it('detects a source cycle through a link: the organisation base.yaml being the project layer', () => {
    const workspace = workspaceWith({
      '.claude-env/project.yaml': 'version: 1\nsource:\n  path: ../../org\nsettings:\n  model: a\n',
    });
    const org = join(dirname(workspace), 'org');
    mkdirSync(org);
    symlinkSync(join(workspace, '.claude-env', 'project.yaml'), join(org, 'base.yaml'));
    const run = runCli(['validate'], { cwd: workspace });
    assert.match(
      run.stdout + run.stderr,
      /error stack\.sourceCycle: The source points back at this project: .*base\.yaml is a link to this file/,
    );
  });
});

describe('hostile repositories: devices, FIFOs and sizes', () => {
  it('validate, show and diff do not block on a layer that is a FIFO', () => {
    const workspace = copyExample();
    const local = join(workspace, '.claude-env', 'local.yaml');
    execFileSync('rm', [local]);
    execFileSync('mkfifo', [local]);
    for (const command of ['validate', 'show', 'diff']) {
      const run = runCli([command], { cwd: workspace });
      assert.notEqual(run.code, -1, `${command} hung`);
      assert.match(
        run.stdout + run.stderr,
        /local\.yaml:1:1: error stack\.unreadable: .*FIFO \(named pipe\), not a regular file/,
      );
    }
  });

  it('a layer linked to /dev/zero is refused at once (in the repository: a link leading out; the user layer: a device)', () => {
    const workspace = copyExample();
    const local = join(workspace, '.claude-env', 'local.yaml');
    execFileSync('rm', [local]);
    symlinkSync('/dev/zero', local);
    const home = tempFolder('claude-env-home-');
    mkdirSync(join(home, '.config', 'claude-env'), { recursive: true });
    symlinkSync('/dev/zero', join(home, '.config', 'claude-env', 'user.yaml'));
    const run = runCli(['validate'], { cwd: workspace, home });
    assert.notEqual(run.code, -1);
    assert.match(run.stdout + run.stderr, /local\.yaml:1:1: error stack\.unreadable: .*symbolic link to \/dev\/zero/);
    assert.match(run.stdout + run.stderr, /user\.yaml:1:1: error stack\.unreadable: .*character device/);
  });

  it('diff does not block on an output that is a FIFO, and apply says what it is', () => {
    const workspace = copyExample();
    execFileSync('mkfifo', [join(workspace, '.mcp.json')]);
    const diff = runCli(['diff'], { cwd: workspace });
    assert.match(diff.stdout, /^drifted \.mcp\.json \(is a FIFO \(named pipe\), not a regular file/m);
    const apply = runCli(['apply', '--force'], { cwd: workspace });
    assert.equal(apply.code, 4);
    assert.match(apply.stderr, /cannot apply: \.mcp\.json is a FIFO/);
  });

  it('a ${file:…} reference to a FIFO or to /dev/stdin is reported, not waited for', () => {
    const workspace = workspaceWith({
      '.claude-env/project.yaml': [
        'version: 1',
        'mcpServers:',
        '  a:',
        '    command: a',
        '    env:',
        '      TOKEN: ${file:./token}',
        '      OTHER: ${file:/dev/stdin}',
        '',
      ].join('\n'),
    });
    execFileSync('mkfifo', [join(workspace, 'token')]);
    const run = runCli(['validate'], { cwd: workspace });
    assert.notEqual(run.code, -1, 'validate hung');
    assert.match(run.stdout + run.stderr, /the file .*token is a FIFO \(named pipe\), not a regular file/);
    assert.match(run.stdout + run.stderr, /the file \/dev\/stdin is a (FIFO|socket)/);
  });

  it('a layer file larger than 16 MiB is refused while reading, with the limit named', () => {
    const workspace = copyExample();
    const line = `# ${'x'.repeat(1021)}\n`;
    writeFile(join(workspace, '.claude-env', 'local.yaml'), `version: 1\n${line.repeat(16 * 1024 + 1)}`);
    const run = runCli(['validate'], { cwd: workspace });
    assert.match(run.stdout + run.stderr, /local\.yaml:1:1: error stack\.unreadable: .*larger than 16 MiB/);
  });
});
