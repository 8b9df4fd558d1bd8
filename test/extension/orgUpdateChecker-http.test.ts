import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { fetchSources, type GitRunner } from '@claude-env/engine';
import { OrgUpdateChecker } from '../../extension/src/orgUpdates/checker';
import { isolatedEnv } from '../helpers/env';
import { startGitHttp, type GitHttpServer } from '../helpers/gitHttp';
import { git, gitTempFolder, OrgRepo, orgLayers, recordingGit } from '../helpers/gitRepos';
import { writeFile } from '../helpers/workspace';
import { assertNewCommitToldReviewedAndUpdated } from './checkerScenario';

/**
 * The editor's periodic check against an org repository served over smart HTTP by `git http-backend`, private
 * behind Basic auth with the credentials in the person's credential helper: a check with nothing new is one
 * `git ls-remote` (one round trip), a new commit is told, and a server that stops answering never hangs it.
 */
describe('extension org layer update checker over HTTP', function () {
  this.timeout(120_000);
  let root: string;
  let org: OrgRepo;
  let server: GitHttpServer;
  let env: NodeJS.ProcessEnv;
  let ran: string[];
  let gitRunner: GitRunner;

  beforeEach(async () => {
    root = gitTempFolder();
    org = new OrgRepo(root);
    const home = join(root, 'home');
    env = isolatedEnv(home, { GIT_HTTP_LOW_SPEED_TIME: '2' });
    server = await startGitHttp(root, { private: { repositories: ['org.git'], user: 'dev', password: 'pw-checker' } });
    writeFile(join(home, '.git-credentials'), `http://dev:pw-checker@127.0.0.1:${server.port}\n`);
    git(root, 'config', '--file', join(home, '.gitconfig'), 'credential.helper', 'store');
    ({ git: gitRunner, ran } = recordingGit(env));
  });
  afterEach(() => server.stop());

  async function project(url: string): Promise<string> {
    const workspace = join(root, 'app');
    writeFile(join(workspace, '.claude-env', 'project.yaml'), `version: 1\nsource: git+${url}#main:claude-env\n`);
    const fetched = await fetchSources({ workspace, env, git: gitRunner });
    assert.deepEqual(fetched.diagnostics, []);
    return workspace;
  }

  it('checks with one ls-remote, tells a new commit once, and updates the lock', async () => {
    org.commit(orgLayers('model-a'));
    const workspace = await project(server.url('org.git'));
    const checker = new OrgUpdateChecker({ git: gitRunner, env });
    ran.length = 0;
    server.requests.length = 0;
    const upToDate = await checker.check(workspace);
    assert.equal(upToDate.newCommits, undefined);
    assert.deepEqual(ran, ['ls-remote']);
    // One ls-remote over smart HTTP: the refs asked for (401, then again with the helper's credentials) and one
    // ls-refs exchange. No pack travels.
    assert.deepEqual(
      server.requests.map((request) => `${request.method} ${request.url.split('?')[0]} ${request.status}`),
      ['GET /org.git/info/refs 401', 'GET /org.git/info/refs 200', 'POST /org.git/git-upload-pack 200'],
    );

    await assertNewCommitToldReviewedAndUpdated(checker, workspace, org);
  });

  it('a server that stops answering ends the check, unreachable, in bounded time', async () => {
    org.commit(orgLayers());
    const workspace = await project(server.url('org.git'));
    const stalled = await startGitHttp(root, { stalled: true });
    try {
      const port = String(stalled.port);
      writeFile(
        join(workspace, '.claude-env', 'project.yaml'),
        `version: 1\nsource: git+${stalled.url('org.git')}#main:claude-env\n`,
      );
      const checker = new OrgUpdateChecker({ git: gitRunner, env });
      const started = Date.now();
      const result = await checker.check(workspace);
      assert.ok(Date.now() - started < 20_000);
      assert.equal(result.report.unreachable, true);
      assert.equal(result.newCommits, undefined);
      assert.match(
        result.report.diagnostics[0]?.message ?? '',
        new RegExp(`No answer from http://127\\.0\\.0\\.1:${port}/`),
      );
    } finally {
      await stalled.stop();
    }
  });
});
