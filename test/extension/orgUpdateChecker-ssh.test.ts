import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { fetchSources, systemGit, type GitRunner } from '@claude-env/engine';
import { OrgUpdateChecker } from '../../extension/src/orgUpdates/checker';
import { isolatedEnv } from '../helpers/env';
import { gitTempFolder, OrgRepo, orgLayers, recordingGit } from '../helpers/gitRepos';
import { sshHome, sshKey, startGitSsh, startSshAgent, type GitSshServer, type SshAgent } from '../helpers/gitSsh';
import { writeFile } from '../helpers/workspace';
import { assertNewCommitToldReviewedAndUpdated } from './checkerScenario';

/**
 * The editor's periodic check against an org repository on an SSH host (OpenSSH on loopback), reached through a
 * Host alias of ~/.ssh/config with the key in ssh-agent: a check with nothing new is one `git ls-remote`, one SSH
 * connection; a new commit is told and the update moves the lock.
 */
describe('extension org layer update checker over SSH', function () {
  this.timeout(120_000);
  let root: string;
  let org: OrgRepo;
  let server: GitSshServer;
  let agent: SshAgent;
  let env: NodeJS.ProcessEnv;
  let ran: string[];
  let gitRunner: GitRunner;

  beforeEach(async () => {
    root = gitTempFolder();
    org = new OrgRepo(root);
    server = await startGitSsh(root);
    agent = await startSshAgent(root);
    const key = sshKey(root, 'id_dev');
    server.authorize(key.publicKey);
    agent.add(key.privateFile);
    const home = join(root, 'home');
    sshHome(home, server, { alias: 'org-git' });
    env = isolatedEnv(home, { SSH_AUTH_SOCK: agent.socket });
    ({ git: gitRunner, ran } = recordingGit(env));
  });
  afterEach(async () => {
    await agent.stop();
    await server.stop();
    assert.deepEqual(server.processes(), []);
  });

  it('checks with one ls-remote over one connection, tells a new commit once, and updates the lock', async () => {
    org.commit(orgLayers('model-a'));
    const workspace = join(root, 'app');
    const source = `git+org-git:${server.path('org.git')}#main:claude-env`;
    writeFile(join(workspace, '.claude-env', 'project.yaml'), `version: 1\nsource: ${source}\n`);
    assert.deepEqual((await fetchSources({ workspace, env, git: gitRunner })).diagnostics, []);
    const checker = new OrgUpdateChecker({ git: gitRunner, env });
    ran.length = 0;
    const count = (start: string) => server.log.filter((line) => line.startsWith(start)).length;
    const connections = () => count('Connection from 127.0.0.1');
    const ended = () => count('Disconnected from user');
    // Every session sshd logs as opened it logs as ended: the fetch's are all in.
    await server.logged(() => ended() >= connections());
    const before = connections();
    const upToDate = await checker.check(workspace);
    assert.equal(upToDate.newCommits, undefined);
    assert.deepEqual(upToDate.report.diagnostics, []);
    assert.deepEqual(ran, ['ls-remote']);
    await server.logged(() => ended() >= before + 1);
    assert.equal(connections() - before, 1);

    await assertNewCommitToldReviewedAndUpdated(checker, workspace, org);
  });

  it('without the key the check reports an authentication failure, and nothing new', async () => {
    org.commit(orgLayers());
    const workspace = join(root, 'app');
    writeFile(
      join(workspace, '.claude-env', 'project.yaml'),
      `version: 1\nsource: git+org-git:${server.path('org.git')}#main:claude-env\n`,
    );
    assert.deepEqual((await fetchSources({ workspace, env, git: gitRunner })).diagnostics, []);
    const keyless = { ...env, SSH_AUTH_SOCK: '' };
    const checker = new OrgUpdateChecker({ git: systemGit({ env: keyless }), env: keyless });
    const result = await checker.check(workspace);
    assert.equal(result.report.unreachable, true);
    assert.equal(result.newCommits, undefined);
    assert.match(
      result.report.diagnostics[0]?.message ?? '',
      /^Authentication failed for org-git:\/\S+: the SSH server/,
    );
  });
});
