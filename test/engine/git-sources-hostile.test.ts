import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { fetchSources } from '../../engine/src/workspace/gitSources';
import { systemGit, type GitResult, type GitRunner } from '../../engine/src/gitSources/runner';
import { writeFile } from '../helpers/workspace';
import { gitTempFolder, OrgRepo, orgLayers } from '../helpers/gitRepos';

const NO_OUTPUT: GitResult = { code: 0, stdout: Buffer.alloc(0), stderr: '' };

describe('git sources: a repository is not trusted', function () {
  this.timeout(120_000);
  let root: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    root = gitTempFolder();
    env = { ...process.env, HOME: join(root, 'home'), XDG_CACHE_HOME: join(root, 'cache') };
  });

  function project(source: string): string {
    const workspace = join(root, 'app');
    writeFile(join(workspace, '.claude-env', 'project.yaml'), `version: 1\nsource:\n${source}`);
    return workspace;
  }

  it('runs no hook and no checkout filter, even when the person configures them globally', async () => {
    const org = new OrgRepo(root);
    org.commit({ ...orgLayers(), '.gitattributes': '* filter=evil\n' });
    const proof = join(root, 'ran');
    const hooks = join(root, 'hooks');
    mkdirSync(hooks);
    for (const hook of ['reference-transaction', 'post-checkout', 'post-merge']) {
      writeFileSync(join(hooks, hook), `#!/bin/sh\ntouch ${proof}-${hook}\n`);
      chmodSync(join(hooks, hook), 0o755);
    }
    const globalConfig = join(root, 'gitconfig');
    writeFileSync(
      globalConfig,
      `[core]\n\thooksPath = ${hooks}\n[filter "evil"]\n\tsmudge = touch ${proof}-smudge\n\tprocess = touch ${proof}-process\n`,
    );
    // The same configuration does run the hook for a plain fetch: the test would see it.
    const plain = join(root, 'plain.git');
    execFileSync('git', ['init', '--quiet', '--bare', plain]);
    execFileSync('git', ['--git-dir', plain, 'fetch', '--quiet', org.bare, 'main:refs/heads/x'], {
      env: { ...env, GIT_CONFIG_GLOBAL: globalConfig },
    });
    assert.equal(existsSync(`${proof}-reference-transaction`), true, 'a plain fetch runs the hook');
    rmSync(`${proof}-reference-transaction`);
    const workspace = project(`  git: ${org.bare}\n  ref: main\n  path: claude-env\n`);
    const report = await fetchSources({
      workspace,
      env,
      git: systemGit({ env: { ...env, GIT_CONFIG_GLOBAL: globalConfig } }),
    });
    assert.deepEqual(report.diagnostics, []);
    for (const what of ['reference-transaction', 'post-checkout', 'post-merge', 'smudge', 'process']) {
      assert.equal(existsSync(`${proof}-${what}`), false, `${what} ran`);
    }
  });

  it('gives up on a server that never answers, within the time limit', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const workspace = project(`  git: git://127.0.0.1:${port}/org.git\n  ref: main\n`);
      const started = Date.now();
      const report = await fetchSources({ workspace, env, git: systemGit({ env, timeoutMs: 1500 }) });
      assert.deepEqual(
        report.diagnostics.map((d) => d.code),
        ['source.fetchFailed'],
      );
      assert.match(
        report.diagnostics[0].message,
        /^No answer from git:\/\/127\.0\.0\.1:\d+\/org\.git: the server sent nothing in time, so git stopped/,
      );
      assert.ok(Date.now() - started < 30_000);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      silent.close();
    }
  });

  it('refuses a password or a token written in the URL before git runs, and never repeats it', async () => {
    for (const userInfo of ['admin:hunter2-secret', 'ghp_hunter2secretAbcdefghijklmnopqrstuv']) {
      const workspace = project(`  git: "https://${userInfo}@127.0.0.1:9/org.git"\n  ref: main\n`);
      const ran: string[] = [];
      const recording: GitRunner = { run: (args) => (ran.push(args.join(' ')), Promise.resolve(NO_OUTPUT)) };
      const report = await fetchSources({ workspace, env, git: recording });
      assert.deepEqual(
        report.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]),
        [['stack.gitSourceInvalid', 2, 7]],
      );
      assert.match(report.diagnostics[0].message, /holds (a password|a token as user name).*credential helper/);
      assert.doesNotMatch(JSON.stringify(report), /hunter2/);
      assert.deepEqual(ran, []);
    }
  });

  it('says which cache folder cannot be written instead of failing obscurely', async () => {
    const org = new OrgRepo(root);
    org.commit(orgLayers());
    writeFileSync(join(root, 'not-a-folder'), '');
    const workspace = project(`  git: ${org.bare}\n  ref: main\n`);
    const blocked = { ...env, XDG_CACHE_HOME: join(root, 'not-a-folder') };
    const report = await fetchSources({ workspace, env: blocked, git: systemGit({ env: blocked }) });
    assert.deepEqual(
      report.diagnostics.map((d) => d.code),
      ['source.fetchFailed'],
    );
    assert.match(report.diagnostics[0].message, /Cannot write the git cache .*not-a-folder.*: a file is in the way/);
  });

  it('removes the half-written checkout a killed fetch left, and only that', async () => {
    const org = new OrgRepo(root);
    org.commit(orgLayers());
    const checkouts = join(root, 'cache', 'claude-env', 'git', 'checkouts');
    // A pid far above any Linux pid_max default: no process has it.
    const dead = join(checkouts, '.0123456789ab.99999999.0a1b2c3d.tmp');
    const running = join(checkouts, `.0123456789ab.${process.pid}.0a1b2c3d.tmp`);
    for (const folder of [dead, running]) {
      mkdirSync(join(folder, 'teams'), { recursive: true });
      chmodSync(folder, 0o555);
    }
    const workspace = project(`  git: ${org.bare}\n  ref: main\n  path: claude-env\n`);
    assert.deepEqual((await fetchSources({ workspace, env, git: systemGit({ env }) })).diagnostics, []);
    assert.equal(existsSync(dead), false, 'the dead process left it');
    assert.equal(existsSync(running), true, 'a running process is still writing it');
  });
});
