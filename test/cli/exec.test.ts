import { strict as assert } from 'node:assert';
import { copyExample } from '../helpers/examples';
import { allFiles } from '../helpers/workspace';
import { runCli } from '../helpers/cli';

const CANARY = 'canary-exec-7f3a9c2e';
const printKey = [
  'exec',
  '--',
  process.execPath,
  '-e',
  'process.stdout.write("key=" + (process.env.MAGIC_API_KEY ?? "unset"))',
];

describe('claude-env exec', function () {
  this.timeout(60_000);

  it('starts the command with the secret under the variable .mcp.json refers to, and writes it nowhere', () => {
    const workspace = copyExample();
    const run = runCli(printKey, { cwd: workspace, env: { CLAUDE_ENV_SECRET_MAGIC_API_KEY: CANARY } });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `key=${CANARY}`);
    assert.ok(!run.stderr.includes(CANARY));
    for (const file of allFiles(workspace)) assert.ok(!file.text.includes(CANARY), `${file.path} holds the secret`);
  });

  it('warns about an unresolved secret and still runs the command', () => {
    const run = runCli(printKey, { cwd: copyExample() });
    assert.equal(run.code, 0);
    assert.equal(run.stdout, 'key=unset');
    assert.match(run.stderr, /warning: `\$\{secret:magic-api-key\}` is not set/);
  });

  it('refuses to run with --strict when a secret is missing', () => {
    const run = runCli(['exec', '--strict', '--', process.execPath, '-e', 'process.stdout.write("ran")'], {
      cwd: copyExample(),
    });
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
  });

  it("returns the command's exit code, and 4 when the command cannot be started", () => {
    const workspace = copyExample();
    assert.equal(runCli(['exec', '--', process.execPath, '-e', 'process.exit(7)'], { cwd: workspace }).code, 7);
    const missing = runCli(['exec', '--', 'claude-env-no-such-command'], { cwd: workspace });
    assert.equal(missing.code, 4);
    assert.match(missing.stderr, /cannot run claude-env-no-such-command: command not found/);
  });

  it('asks for a command', () => {
    assert.equal(runCli(['exec'], { cwd: copyExample() }).code, 2);
  });
});
