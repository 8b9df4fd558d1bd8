/**
 * The example workspace in and out of a Debian root: copies of examples/workspace with examples/org beside it,
 * what the desktop CLI writes for them, and the assertions the feature tests share.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DebianRoot, type RunResult } from './debianRoot';
import { REPO_ROOT } from '../helpers/paths';
import { type RemoteUser, runLifecycle } from './featureInstall';

export const DEV: RemoteUser = { name: 'dev', home: '/home/dev' };
/** Where the example sits in the container: the org folder beside the workspace, as project.yaml expects. */
export const WORKSPACE = '/workspaces/examples/workspace';
/** Files a developer already had before the container was created; none of them is an output of apply. */
export const USER_FILES: Record<string, string> = {
  'src/app.ts': 'export const shop = "storefront";\n',
  '.claude/settings.json': '{\n  "statusLine": { "type": "command", "command": "echo mine" }\n}\n',
  '.claude/commands/review.md': 'Review the staged change.\n',
};

/** Copies examples/workspace and examples/org under `parent`, at the same relative place, with the user's files. */
export function copyExample(parent: string): string {
  cpSync(join(REPO_ROOT, 'examples', 'workspace'), join(parent, 'workspace'), { recursive: true });
  cpSync(join(REPO_ROOT, 'examples', 'org'), join(parent, 'org'), { recursive: true });
  for (const [file, text] of Object.entries(USER_FILES)) {
    mkdirSync(join(parent, 'workspace', file, '..'), { recursive: true });
    writeFileSync(join(parent, 'workspace', file), text);
  }
  return join(parent, 'workspace');
}

/** What the desktop CLI writes for the example: each output file `apply` reports, with its bytes. */
export function desktopApply(): Map<string, Buffer> {
  const scratch = mkdtempSync(join(tmpdir(), 'claude-env-desktop-'));
  try {
    const workspace = copyExample(join(scratch, 'examples'));
    const home = join(scratch, 'home');
    mkdirSync(home);
    // Only what a fresh account has: no user layer, no CLAUDE_ENV_* variables from whoever runs the tests.
    const env = { PATH: process.env.PATH ?? '', HOME: home };
    const applied = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'apply', '--json'], {
      cwd: workspace,
      env,
      encoding: 'utf8',
    });
    assert.equal(applied.status, 0, `desktop apply failed:\n${applied.stdout}${applied.stderr}`);
    const report = JSON.parse(applied.stdout) as { targets: { path: string; outcome: string }[] };
    const written = new Map<string, Buffer>();
    for (const target of report.targets) {
      assert.equal(target.outcome, 'written', target.path);
      written.set(target.path, readFileSync(join(workspace, target.path)));
    }
    return written;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function ownerOf(root: DebianRoot, path: string): string {
  return root.run(`stat -c %U:%G ${path}`).stdout.trim();
}

/** Copies the example into the root, owned by the remote user, and runs postCreateCommand there. */
export function createContainer(root: DebianRoot, otherFeatureEnvs: Record<string, string>[] = []): RunResult {
  copyExample(root.path('/workspaces/examples'));
  const owned = root.run(`chown -R ${DEV.name}:${DEV.name} /workspaces`);
  assert.equal(owned.status, 0, owned.output);
  return runLifecycle(root, 'postCreateCommand', DEV, WORKSPACE, otherFeatureEnvs);
}

/** Asserts that postCreateCommand wrote what the desktop CLI writes, byte for byte, owned by the remote user. */
export function assertSameAsDesktop(root: DebianRoot, created: RunResult): void {
  assert.equal(created.status, 0, created.output);
  assert.match(
    created.stdout,
    /claude-env: applied: Claude Code's files in \/workspaces\/examples\/workspace are up to date\./,
  );
  const expected = desktopApply();
  assert.deepEqual([...expected.keys()].sort(), ['.claude/settings.local.json', '.mcp.json', '.vscode/mcp.json']);
  for (const [file, bytes] of expected) {
    const inContainer = root.path(join(WORKSPACE, file));
    assert.ok(existsSync(inContainer), `${file} was not written in the container:\n${created.output}`);
    assert.ok(readFileSync(inContainer).equals(bytes), `${file} differs from the desktop CLI's`);
    assert.equal(ownerOf(root, join(WORKSPACE, file)), `${DEV.name}:${DEV.name}`, `${file} belongs to the remote user`);
  }
}

/** Asserts that a server has a row of `mcp check` with the given result. */
export function assertServerResult(output: string, server: string, result: string): void {
  assert.match(output, new RegExp(`^${server}\\s+${result}\\b`, 'm'), `${server} should be ${result}:\n${output}`);
}
