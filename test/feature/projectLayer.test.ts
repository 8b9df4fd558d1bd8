import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { LAYER_EXTENSIONS } from '@claude-env/engine';

const REPO_ROOT = join(__dirname, '..', '..');
const LIFECYCLE = join(REPO_ROOT, 'devcontainer-feature', 'src', 'claude-env', 'lifecycle');
const CLI = join(REPO_ROOT, 'dist', 'cli.js');

/**
 * The lifecycle scripts decide on their own, in shell, whether a workspace has a project layer. They run here on
 * the host against the real CLI bundle (run `npm run build` first), without a container: only that decision is
 * under test, for every name the engine accepts.
 */
describe('dev container lifecycle scripts: finding the project layer', () => {
  let scratch: string;
  let bin: string;

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'claude-env-lifecycle-'));
    bin = join(scratch, 'bin');
    mkdirSync(bin);
    const wrapper = join(bin, 'claude-env');
    writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(wrapper, 0o755);
  });

  after(() => rmSync(scratch, { recursive: true, force: true }));

  function workspaceWith(name: string | undefined): string {
    const workspace = mkdtempSync(join(scratch, 'workspace-'));
    mkdirSync(join(workspace, '.claude-env'));
    if (name) {
      const text = name.endsWith('.json') ? '{ "version": 1 }\n' : 'version: 1\n';
      writeFileSync(join(workspace, '.claude-env', name), text);
    }
    return workspace;
  }

  function run(script: string, workspace: string): string {
    const result = spawnSync('sh', [join(LIFECYCLE, script)], {
      cwd: workspace,
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
        CLAUDE_ENV_CHECK_TIMEOUT: '60',
        XDG_CONFIG_HOME: join(scratch, 'config'),
      },
      timeout: 90_000,
    });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout;
  }

  for (const extension of LAYER_EXTENSIONS) {
    const name = `project${extension}`;
    it(`post-create applies a workspace whose project layer is ${name}`, () => {
      const output = run('post-create.sh', workspaceWith(name));
      assert.match(output, /applying the layers in/);
      assert.match(output, /applied: Claude Code's files in .* are up to date\./);
    });

    it(`post-start checks the servers of a workspace whose project layer is ${name}`, () => {
      const output = run('post-start.sh', workspaceWith(name));
      assert.match(output, /checking the MCP servers of/);
      assert.match(output, /all required MCP servers are healthy\./);
    });
  }

  it('both scripts skip a workspace without a project layer, and say so', () => {
    const workspace = workspaceWith(undefined);
    assert.match(
      run('post-create.sh', workspace),
      /no \.claude-env\/project\.yaml \(or \.yml, \.json\) in .*; nothing to apply\./,
    );
    assert.match(
      run('post-start.sh', workspace),
      /no \.claude-env\/project\.yaml \(or \.yml, \.json\) in .*; no servers to check\./,
    );
  });
});
