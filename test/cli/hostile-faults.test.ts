import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cliPath, runCli } from '../helpers/cli';
import { isolatedEnv } from '../helpers/env';
import { copyExample } from '../helpers/examples';
import { readText, tempFolder, workspaceWith, writeFile } from '../helpers/workspace';

/**
 * Odd targets and faults: a file where a folder belongs and the reverse, a read-only workspace, an unreadable
 * project layer, a full disk, and the leftovers of a killed apply. Each is a sentence at the path, never an
 * internal error (exit 70), and never a lost hand edit.
 */

const HAND_EDIT = '{"mcpServers": {"mine": {"command": "hand-edit"}}}\n';

/** Every file under a folder whose name is one of claude-env's temporary files. */
function temporaryFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.claude-env.tmp'));
}

const TEST_USER = 'claude-env-hostile';

/**
 * A second, unprivileged Unix user (root bypasses permission bits, so "permission denied" needs one). Created with
 * useradd when the suite runs as root; otherwise the suite's own user is already unprivileged.
 */
function secondUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const exists = spawnSync('id', ['-u', TEST_USER], { encoding: 'utf8' });
  if (exists.status !== 0) execFileSync('useradd', ['--no-create-home', '--shell', '/bin/false', TEST_USER]);
  const uid = Number(execFileSync('id', ['-u', TEST_USER], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', TEST_USER], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** Runs the CLI as the unprivileged user (or as ourselves when we are not root). */
function runUnprivileged(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const user = secondUser();
  const home = tempFolder('claude-env-home-');
  if (user) {
    // The user must reach the bundle, the workspace's parents and its own home.
    for (const folder of [dirname(cliPath()), dirname(cwd)]) chmodSync(folder, 0o755);
    chmodSync(home, 0o755);
    chownSync(home, user.uid, user.gid);
  }
  const result = spawnSync(process.execPath, [cliPath(), ...args], {
    cwd,
    env: isolatedEnv(home),
    encoding: 'utf8',
    timeout: 60_000,
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `work` on a fresh 64 KiB tmpfs (root only; this machine allows mounting one), unmounted afterwards. */
function withSmallTmpfs(work: (mountPoint: string) => void): void {
  const mountPoint = tempFolder('claude-env-tmpfs-');
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint]);
  try {
    work(mountPoint);
  } finally {
    execFileSync('umount', [mountPoint]);
  }
}

describe('odd targets: a clear message at the path, no internal error, no lost hand edit', () => {
  it('.mcp.json being a folder: apply and a forced apply exit 4 naming it', () => {
    const workspace = copyExample();
    mkdirSync(join(workspace, '.mcp.json'));
    for (const args of [['apply'], ['apply', '--force']]) {
      const run = runCli(args, { cwd: workspace });
      assert.equal(run.code, 4, run.stderr);
      assert.match(run.stderr, /cannot apply: \.mcp\.json is a folder, but claude-env writes a file there/);
    }
  });

  it('.claude being a file: a forced apply exits 4 too, and the file stays', () => {
    const workspace = copyExample();
    writeFile(join(workspace, '.claude'), 'notes\n');
    const run = runCli(['apply', '--force'], { cwd: workspace });
    assert.equal(run.code, 4, run.stderr);
    assert.match(run.stderr, /\.claude is a file, but claude-env needs a folder there/);
    assert.equal(readText(join(workspace, '.claude')), 'notes\n');
  });

  it('state.json being a folder: a forced apply stops before replacing the hand-edited file', () => {
    const workspace = copyExample();
    writeFile(join(workspace, '.mcp.json'), HAND_EDIT);
    mkdirSync(join(workspace, '.claude-env', 'state.json'));
    const run = runCli(['apply', '--force'], { cwd: workspace });
    assert.equal(run.code, 4, run.stderr);
    assert.match(run.stderr, /state\.json: is a folder, but claude-env needs a file there/);
    assert.doesNotMatch(run.stderr, /internal error/);
    assert.equal(readText(join(workspace, '.mcp.json')), HAND_EDIT);
    assert.equal(existsSync(join(workspace, '.claude-env', 'backups')), false);
  });

  it('backups/ being a file: a forced apply stops before replacing the hand-edited file', () => {
    const workspace = copyExample();
    writeFile(join(workspace, '.mcp.json'), HAND_EDIT);
    writeFile(join(workspace, '.claude-env', 'backups'), 'not a folder\n');
    const run = runCli(['apply', '--force'], { cwd: workspace });
    assert.equal(run.code, 4, run.stderr);
    assert.match(run.stderr, /backups: is a file, but claude-env needs a folder there/);
    assert.equal(readText(join(workspace, '.mcp.json')), HAND_EDIT);
  });

  it('a project layer that is a folder is reported as such, and init does not create one over it', () => {
    const workspace = workspaceWith({});
    mkdirSync(join(workspace, '.claude-env', 'project.yaml'), { recursive: true });
    const validate = runCli(['validate'], { cwd: workspace });
    assert.match(
      validate.stdout + validate.stderr,
      /project\.yaml:1:1: error stack\.unreadable: Cannot read this layer file: it is a folder/,
    );
    assert.doesNotMatch(validate.stdout + validate.stderr, /No project layer|run 'claude-env init'/);
    const init = runCli(['init'], { cwd: workspace });
    assert.equal(init.code, 1);
    assert.match(init.stderr, /project\.yaml already exists; not overwriting it/);
  });
});

describe('permissions, read-only and full file systems', () => {
  it('a project layer the person cannot read: "permission denied" at the file, and init keeps it', () => {
    const workspace = workspaceWith({ '.claude-env/project.yaml': 'version: 1\nsettings:\n  model: mine\n' });
    chmodSync(join(workspace, '.claude-env', 'project.yaml'), 0o000);
    chmodSync(workspace, 0o777);
    chmodSync(join(workspace, '.claude-env'), 0o777);
    const validate = runUnprivileged(['validate'], workspace);
    assert.match(
      validate.stdout + validate.stderr,
      /project\.yaml:1:1: error stack\.unreadable: Cannot read this layer file: permission denied/,
    );
    assert.doesNotMatch(validate.stdout + validate.stderr, /No project layer/);
    const init = runUnprivileged(['init'], workspace);
    assert.equal(init.code, 1, init.stderr);
    assert.match(init.stderr, /already exists; not overwriting it/);
    chmodSync(join(workspace, '.claude-env', 'project.yaml'), 0o644);
    assert.equal(readText(join(workspace, '.claude-env', 'project.yaml')), 'version: 1\nsettings:\n  model: mine\n');
  });

  it('init in a folder the person cannot write says the folder is read-only', () => {
    const workspace = workspaceWith({});
    chmodSync(workspace, 0o555);
    const run = runUnprivileged(['init'], workspace);
    assert.equal(run.code, 4, run.stderr);
    assert.match(
      run.stderr,
      /cannot write \.claude-env\/project\.yaml: the folder .*workspace is read-only for you \(permission denied\)/,
    );
  });

  it('init on a read-only file system says so', () => {
    withSmallTmpfs((mountPoint) => {
      execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
      const run = runCli(['init'], { cwd: mountPoint });
      assert.equal(run.code, 4, run.stderr);
      assert.match(run.stderr, /cannot write \.claude-env\/project\.yaml: the folder .* is on a read-only file system/);
    });
  });

  it('a full disk: the .gitignore update fails with "no space left", leaving no temporary file behind', () => {
    withSmallTmpfs((mountPoint) => {
      const workspace = join(mountPoint, 'workspace');
      mkdirSync(workspace);
      writeFile(join(workspace, '.claude-env', 'project.yaml'), 'version: 1\nsettings:\n  model: a\n');
      assert.equal(runCli(['apply'], { cwd: workspace }).code, 0);
      writeFileSync(join(workspace, '.claude-env', '.gitignore'), 'local.yaml\n');
      // Fill the file system to the last byte.
      spawnSync('dd', ['if=/dev/zero', `of=${join(workspace, 'filler')}`, 'bs=1k', 'count=1000'], { stdio: 'ignore' });
      const run = runCli(['apply'], { cwd: workspace });
      assert.equal(run.code, 4, run.stderr);
      assert.match(run.stderr, /cannot write \.claude-env\/\.gitignore: no space left on the device/);
      assert.deepEqual(temporaryFiles(workspace), []);
      assert.equal(readText(join(workspace, '.claude-env', '.gitignore')), 'local.yaml\n', 'the old file is intact');
    });
  });
});

describe('leftovers of a killed apply', () => {
  it("the next apply removes the temporary files a dead claude-env left, says so, and keeps a running one's", () => {
    const workspace = copyExample();
    const dead = Number(
      spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout,
    );
    const stale = [
      `.claude/.settings.local.json.${dead}.0123abcd.claude-env.tmp`,
      `.claude-env/.state.json.${dead}.4567cdef.claude-env.tmp`,
    ];
    const running = `.vscode/.mcp.json.${process.pid}.89abcdef.claude-env.tmp`;
    for (const path of [...stale, running]) writeFile(join(workspace, path), '{"partial');
    const run = runCli(['apply'], { cwd: workspace });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /removed 2 temporary files an interrupted apply left behind: /);
    for (const path of stale) assert.equal(existsSync(join(workspace, path)), false, path);
    assert.equal(existsSync(join(workspace, running)), true, 'a running process keeps its file');
  });
});
