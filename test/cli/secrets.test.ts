import { strict as assert } from 'node:assert';
import { dirname } from 'node:path';
import { copyExample } from '../helpers/examples';
import { allFiles } from '../helpers/workspace';
import { runCli } from '../helpers/cli';

// A value that cannot appear by accident: if it shows up anywhere, a resolved secret leaked.
const CANARY = 'canary-7f3a9c1e5b2d4806-do-not-print';

describe('claude-env keeps resolved secrets out of every output', () => {
  it('never prints the secret or writes it to a file, whatever the command', () => {
    const workspace = copyExample();
    const env = { CLAUDE_ENV_SECRET_MAGIC_API_KEY: CANARY };
    const commands = [
      ['validate'],
      ['validate', '--json'],
      ['show'],
      ['show', '--explain'],
      ['show', '--json', '--explain'],
      ['explain', 'mcpServers.magic.env.API_KEY'],
      ['explain', 'mcpServers.magic', '--json'],
      ['diff'],
      ['diff', '--json'],
      ['apply', '--dry-run'],
      ['apply', '--debug'],
      ['apply', '--json'],
      ['import', '.mcp.json', '--print'],
    ];
    for (const args of commands) {
      const run = runCli(args, { cwd: workspace, env });
      assert.ok(run.code === 0 || run.code === 1, `${args.join(' ')} exited ${run.code}: ${run.stderr}`);
      assert.equal(run.stdout.includes(CANARY), false, `stdout of ${args.join(' ')}`);
      assert.equal(run.stderr.includes(CANARY), false, `stderr of ${args.join(' ')}`);
    }
    // validate resolved it (no unresolved-secret error), so the canary was really available to the CLI.
    assert.equal(runCli(['validate'], { cwd: workspace, env }).code, 0);
    for (const file of allFiles(dirname(workspace))) {
      assert.equal(file.text.includes(CANARY), false, `${file.path} contains the secret`);
    }
  });
});
