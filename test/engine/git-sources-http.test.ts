import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitEnvironment, HTTP_STALL_SECONDS, systemGit } from '../../engine/src/gitSources/runner';
import { readLockFile } from '../../engine/src/gitSources/lockFile';
import { sourceBehind } from '../../engine/src/workspace/gitBehind';
import { fetchSources } from '../../engine/src/workspace/gitSources';
import { startGitHttp, type GitHttpServer } from '../helpers/gitHttp';
import { git, gitTempFolder, OrgRepo, orgLayers } from '../helpers/gitRepos';
import { writeFile } from '../helpers/workspace';

describe('git sources over HTTP: credential helpers, prompts and time limits', function () {
  this.timeout(120_000);
  let root: string;
  let env: NodeJS.ProcessEnv;
  let server: GitHttpServer;
  let org: OrgRepo;

  beforeEach(async () => {
    root = gitTempFolder();
    org = new OrgRepo(root, 'private');
    org.commit(orgLayers('private-model'));
    env = { ...process.env, HOME: join(root, 'home'), XDG_CACHE_HOME: join(root, 'cache') };
    delete env.GIT_HTTP_LOW_SPEED_TIME;
    delete env.GIT_HTTP_LOW_SPEED_LIMIT;
    server = await startGitHttp(root, { private: { repositories: ['private.git'], user: 'bot', password: 'pw-41' } });
  });
  afterEach(() => server.stop());

  function project(url: string): string {
    const workspace = join(root, 'app');
    writeFile(join(workspace, '.claude-env', 'project.yaml'), `version: 1\nsource: git+${url}#main:claude-env\n`);
    return workspace;
  }

  it('asks the credential helper of the person, with the host and protocol, and pins the commit', async () => {
    const asked = join(root, 'asked');
    const helper = join(root, 'helper.sh');
    writeFile(helper, `#!/bin/sh\n[ "$1" = get ] || exit 0\ncat >> ${asked}\necho username=bot\necho password=pw-41\n`);
    chmodSync(helper, 0o755);
    mkdirSync(join(root, 'home'));
    git(root, 'config', '--file', join(root, 'home', '.gitconfig'), 'credential.helper', helper);
    const workspace = project(server.url('private.git'));
    const report = await fetchSources({ workspace, env, git: systemGit({ env }) });
    assert.deepEqual(report.diagnostics, []);
    assert.equal(report.sources[0]?.commit, org.head());
    assert.match(readFileSync(asked, 'utf8'), new RegExp(`protocol=http\nhost=127\\.0\\.0\\.1:${server.port}\n`));
    const behind = await sourceBehind({ workspace, env, git: systemGit({ env }) });
    assert.equal(behind.source?.tip, org.head());
    assert.equal(behind.unreachable, false);
  });

  it('stops a git run at its time limit even when the person allows slow transfers', async () => {
    const stalled = await startGitHttp(root, { stalled: true });
    try {
      const slowOk = { ...env, GIT_HTTP_LOW_SPEED_TIME: '600' };
      const started = Date.now();
      const report = await sourceBehind({
        workspace: project(stalled.url('org.git')),
        env: slowOk,
        git: systemGit({ env: slowOk, timeoutMs: 2_000 }),
      });
      assert.equal(report.unreachable, true);
      assert.match(
        report.diagnostics[0]?.message ?? '',
        /^No answer from http:\/\/127\.0\.0\.1:\d+\/org\.git: .*in time/,
      );
      assert.ok(Date.now() - started < 20_000);
    } finally {
      await stalled.stop();
    }
  });

  it('refuses a lock whose URL holds credentials, at its line, without repeating them', () => {
    const workspace = join(root, 'old-lock');
    writeFile(
      join(workspace, '.claude-env', 'lock.yaml'),
      'version: 1\nsources:\n  source:\n    git: https://bot:pw-in-lock@127.0.0.1/org.git\n    ref: main\n' +
        `    commit: ${'a'.repeat(40)}\n    content: sha256:${'b'.repeat(64)}\n`,
    );
    const lock = readLockFile(workspace);
    assert.deepEqual(lock.sources, []);
    assert.deepEqual(
      lock.problems.map((p) => [p.code, p.range.start.line, p.range.start.character]),
      [['stack.lockInvalid', 3, 9]],
    );
    assert.match(lock.problems[0].message, /holds credentials in its URL.*credential helper/);
    assert.doesNotMatch(JSON.stringify(lock), /pw-in-lock/);
  });

  it('runs git with every prompt off, and a stall limit that the person can change', () => {
    const person = {
      PATH: '/usr/bin',
      SSH_ASKPASS: '/usr/bin/ssh-askpass',
      GIT_ASKPASS: '/usr/bin/ksshaskpass',
      SSH_AUTH_SOCK: '/run/agent.sock',
      GIT_DIR: '/elsewhere',
    };
    const used = gitEnvironment(person);
    assert.equal(used.GIT_TERMINAL_PROMPT, '0');
    assert.equal(used.GIT_ASKPASS, '', 'an empty GIT_ASKPASS also hides core.askPass and SSH_ASKPASS from git');
    assert.equal(used.SSH_ASKPASS, undefined);
    assert.equal(used.SSH_ASKPASS_REQUIRE, 'never');
    assert.equal(used.GCM_INTERACTIVE, 'never');
    assert.equal(used.SSH_AUTH_SOCK, '/run/agent.sock', 'the SSH agent keeps working');
    assert.equal(used.GIT_DIR, undefined);
    assert.equal(used.GIT_HTTP_LOW_SPEED_TIME, String(HTTP_STALL_SECONDS));
    assert.equal(used.GIT_HTTP_LOW_SPEED_LIMIT, '1');
    assert.equal(gitEnvironment({ ...person, GIT_HTTP_LOW_SPEED_TIME: '5' }).GIT_HTTP_LOW_SPEED_TIME, '5');
  });
});
