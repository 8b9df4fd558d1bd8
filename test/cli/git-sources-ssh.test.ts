import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { cliPath, runCliAsync } from '../helpers/cli';
import { isolatedEnv } from '../helpers/env';
import { freePort, gitTempFolder, OrgRepo, orgLayers } from '../helpers/gitRepos';
import { sshHome, sshKey, startGitSsh, startSshAgent, type GitSshServer, type SshKey } from '../helpers/gitSsh';
import { writeFile } from '../helpers/workspace';

/** The lines of a run's output, without empty ones. */
const lines = (text: string) => text.split('\n').filter((line) => line !== '');

/**
 * The org layers over SSH, from a real OpenSSH server on loopback, with the person's ssh setup: a Host alias in
 * ~/.ssh/config, known_hosts, a key file or a key in ssh-agent. Every failure is one located line, quick, and
 * nothing asks for a passphrase or accepts a host key.
 */
describe('claude-env fetch, update and status over SSH (OpenSSH on loopback)', function () {
  this.timeout(180_000);
  let root: string;
  let org: OrgRepo;
  let server: GitSshServer;
  let home: string;
  let key: SshKey;

  beforeEach(async () => {
    root = gitTempFolder();
    org = new OrgRepo(root);
    org.commit(orgLayers('org-model'));
    server = await startGitSsh(root);
    key = sshKey(root, 'id_dev');
    server.authorize(key.publicKey);
    home = join(root, 'home');
    mkdirSync(home);
  });
  afterEach(async () => {
    await server.stop();
    assert.deepEqual(server.processes(), [], 'sshd and its children are gone');
  });

  function project(name: string, url: string, ref = 'main'): string {
    const workspace = join(root, name);
    const source = `source:\n  git: ${url}\n  ref: ${ref}\n  path: claude-env\n`;
    writeFile(join(workspace, '.claude-env', 'project.yaml'), `version: 1\n${source}teams: [web]\n`);
    return workspace;
  }
  // No agent unless a test starts one: the runner's own SSH_AUTH_SOCK must not lend it keys.
  const cli = (args: string[], cwd: string, env: Record<string, string> = {}) =>
    runCliAsync(args, { cwd, home, env: { SSH_AUTH_SOCK: '', ...env } });

  it('pins, counts and updates over ssh://user@host:port/path with a key named in ~/.ssh/config', async () => {
    sshHome(home, server, { identity: key.privateFile });
    const workspace = project('app', server.url('org.git'));
    const fetched = await cli(['fetch'], workspace);
    assert.equal(fetched.code, 0, fetched.stderr);
    assert.match(
      fetched.stdout,
      /^source: ssh:\/\/claude-env-git@127\.0\.0\.1:\d+\/.*\/org\.git main @ [0-9a-f]{12} pinned$/m,
    );
    const shown = await cli(['show', '--json'], workspace);
    assert.equal(JSON.parse(shown.stdout).value.settings.model, 'org-model');
    assert.match((await cli(['status'], workspace)).stdout, /main @ [0-9a-f]{12}: up to date$/m);

    org.commit(orgLayers('second'));
    const next = org.commit({ 'README.md': 'org layers\n' });
    assert.match((await cli(['status'], workspace)).stdout, /behind by 2 commits/);
    const dry = await cli(['update', '--dry-run'], workspace);
    assert.match(dry.stdout, /~ settings\.model: org-model → second {2}\(base claude-env\/base\.yaml:3 @/);
    const moved = await cli(['update'], workspace);
    assert.equal(moved.code, 0, moved.stderr);
    assert.match(readFileSync(join(workspace, '.claude-env', 'lock.yaml'), 'utf8'), new RegExp(`commit: ${next}`));
    const nothing = await cli(['update'], workspace);
    assert.equal(nothing.code, 0, nothing.stderr);
    assert.match(nothing.stdout, /is up to date @/);
    assert.ok(server.log.some((line) => line.startsWith('Accepted publickey for claude-env-git')));
  });

  it('two projects fetch over SSH at once into one cache, and agree on the lock', async () => {
    sshHome(home, server, { identity: key.privateFile });
    const one = project('one', server.url('org.git'));
    const two = project('two', server.url('org.git'));
    const runs = await Promise.all([cli(['fetch'], one), cli(['fetch'], two)]);
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const lock = readFileSync(join(one, '.claude-env', 'lock.yaml'), 'utf8');
    assert.equal(readFileSync(join(two, '.claude-env', 'lock.yaml'), 'utf8'), lock);
    assert.match(lock, new RegExp(`commit: ${org.head()}`));
  });

  it('the scp-like form with a Host alias, the key only in a running ssh-agent', async () => {
    const agent = await startSshAgent(root);
    try {
      const agentKey = sshKey(root, 'id_in_agent');
      server.authorize(agentKey.publicKey);
      agent.add(agentKey.privateFile);
      const alias = sshHome(home, server, { alias: 'org-git' });
      // As organisations write it: a path relative to the git user's home.
      const workspace = project('app', `${alias}:${server.homePath('org.git')}`);
      const env = { SSH_AUTH_SOCK: agent.socket };
      const fetched = await cli(['fetch'], workspace, env);
      assert.equal(fetched.code, 0, fetched.stderr);
      assert.match(fetched.stdout, /^source: org-git:served-\d+\/org\.git main @ [0-9a-f]{12} pinned$/m);
      org.commit(orgLayers('from-agent'));
      assert.match((await cli(['status'], workspace, env)).stdout, /behind by 1 commit/);
      assert.equal((await cli(['update'], workspace, env)).code, 0);
      const shown = await cli(['show', '--json'], workspace, env);
      assert.equal(JSON.parse(shown.stdout).value.settings.model, 'from-agent');
      // Without the agent the same setup has no key at all.
      const withoutAgent = await cli(['status'], workspace);
      assert.equal(withoutAgent.code, 5);
      assert.match(withoutAgent.stderr, /error source\.fetchFailed: Authentication failed for org-git:/);
    } finally {
      await agent.stop();
    }
  });

  it('no key the server accepts: one located authentication message, at once, for fetch, update and status', async () => {
    const stranger = sshKey(root, 'id_stranger');
    sshHome(home, server, { identity: stranger.privateFile });
    const workspace = project('app', server.url('org.git'));
    for (const command of [['fetch'], ['update'], ['status']]) {
      const run = await cli(command, workspace);
      assert.equal(run.code, 5, `${command[0]}: ${run.stdout}${run.stderr}`);
      assert.ok(run.ms < 30_000, `${command[0]} took ${run.ms} ms`);
      assert.equal(lines(run.stderr).length, 1, run.stderr);
      assert.match(
        run.stderr,
        /^\.claude-env\/project\.yaml:3:3: error source\.fetchFailed: Authentication failed for ssh:\/\/claude-env-git@127\.0\.0\.1:\d+\/\S+\/org\.git: the SSH server accepted none of the keys .*never prompts.*ssh-add .*IdentityFile.*git ls-remote ssh:\/\//,
      );
    }
    assert.ok(server.log.some((line) => /Connection closed by authenticating user claude-env-git/.test(line)));
  });

  it('a key with a passphrase and no agent fails at once, and no askpass program runs', async () => {
    const locked = sshKey(root, 'id_locked', 'correct horse battery');
    server.authorize(locked.publicKey);
    sshHome(home, server, { identity: locked.privateFile });
    const mark = join(root, 'askpass-ran');
    const askpass = join(root, 'askpass.sh');
    writeFile(askpass, `#!/bin/sh\necho asked >> ${mark}\necho 'correct horse battery'\n`);
    chmodSync(askpass, 0o755);
    // Everything a desktop sets so that ssh asks in a window.
    const env = { SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0', GIT_ASKPASS: askpass };
    const workspace = project('app', server.url('org.git'));
    for (const command of [['fetch'], ['status']]) {
      const run = await cli(command, workspace, env);
      assert.equal(run.code, 5, run.stderr);
      assert.ok(run.ms < 30_000, `${command[0]} took ${run.ms} ms`);
      assert.match(
        run.stderr,
        /^\.claude-env\/project\.yaml:3:3: error source\.fetchFailed: Authentication failed for ssh:/,
      );
    }
    assert.equal(existsSync(mark), false, 'no askpass program ran');
  });

  it('run from a terminal, where ssh would ask for the host key or the passphrase, it still asks nothing', async () => {
    const locked = sshKey(root, 'id_locked', 'correct horse battery');
    server.authorize(locked.publicKey);
    const workspace = project('app', server.url('org.git'));
    /** `claude-env fetch` with a pseudo-terminal as its controlling terminal (`script`), stdin open and silent. */
    const fetchInTerminal = async () => {
      const child = spawn('script', ['-qefc', `${process.execPath} ${cliPath()} fetch`, '/dev/null'], {
        cwd: workspace,
        env: isolatedEnv(home, { SSH_AUTH_SOCK: '', NO_COLOR: '1' }),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      // A prompt would wait for ever: end the terminal (its session gets SIGHUP) after 30 s, and fail.
      const waiting = setTimeout(() => child.kill('SIGTERM'), 30_000);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      clearTimeout(waiting);
      assert.doesNotMatch(output, /Enter passphrase|continue connecting/i);
      assert.equal(code, 5, output);
      return output;
    };
    sshHome(home, server, { identity: locked.privateFile, knownHost: false });
    assert.match(
      await fetchInTerminal(),
      /error source\.fetchFailed: The SSH host key of 127\.0\.0\.1 port \d+ is not known/,
    );
    assert.equal(readFileSync(join(home, '.ssh', 'known_hosts'), 'utf8'), '');
    sshHome(home, server, { identity: locked.privateFile });
    assert.match(await fetchInTerminal(), /error source\.fetchFailed: Authentication failed for ssh:/);
  });

  it('an unknown host key fails with how to check and add it, and is never accepted on its own', async () => {
    sshHome(home, server, { identity: key.privateFile, knownHost: false });
    const workspace = project('app', server.url('org.git'));
    const run = await cli(['fetch'], workspace);
    assert.equal(run.code, 5);
    assert.equal(lines(run.stderr).length, 1, run.stderr);
    assert.match(
      run.stderr,
      /^\.claude-env\/project\.yaml:3:3: error source\.fetchFailed: The SSH host key of 127\.0\.0\.1 port \d+ is not known \(it is not in ~\/\.ssh\/known_hosts\), and claude-env never accepts a host key on its own\. Connect once with ssh -T -p \d+ claude-env-git@127\.0\.0\.1, check that the fingerprint .* answer yes/,
    );
    assert.equal(readFileSync(join(home, '.ssh', 'known_hosts'), 'utf8'), '', 'known_hosts is unchanged');
    assert.ok(!server.log.some((line) => line.startsWith('Accepted publickey')), 'no login happened');
  });

  it('a host key that differs from known_hosts is refused, naming the entry to remove', async () => {
    sshHome(home, server, { identity: key.privateFile });
    const impostor = sshKey(root, 'impostor_host').publicKey.split(' ').slice(0, 2).join(' ');
    writeFile(join(home, '.ssh', 'known_hosts'), `[127.0.0.1]:${server.port} ${impostor}\n`);
    const run = await cli(['fetch'], project('app', server.url('org.git')));
    assert.equal(run.code, 5);
    assert.match(
      run.stderr,
      /error source\.fetchFailed: The SSH host key of 127\.0\.0\.1 port \d+ differs from the one in ~\/\.ssh\/known_hosts: .*ssh-keygen -f ["'][^"']+known_hosts["'] -R ["']\[127\.0\.0\.1\]:\d+["']/,
    );
  });

  it('a repository path that does not exist is "repository not found"', async () => {
    sshHome(home, server, { identity: key.privateFile });
    const run = await cli(['fetch'], project('app', server.url('missing.git')));
    assert.equal(run.code, 5);
    assert.match(
      run.stderr,
      /^\.claude-env\/project\.yaml:3:3: error source\.fetchFailed: Repository not found: ssh:\/\/claude-env-git@127\.0\.0\.1:\d+\/\S+\/missing\.git: /,
    );
  });

  it('no SSH server at the address: what ssh said, not only "could not read from remote repository"', async () => {
    sshHome(home, server, { identity: key.privateFile });
    const closed = await freePort();
    const run = await cli(['fetch'], project('app', `ssh://claude-env-git@127.0.0.1:${closed}/org.git`));
    assert.equal(run.code, 5);
    assert.match(
      run.stderr,
      new RegExp(
        `^\\.claude-env/project\\.yaml:3:3: error source\\.fetchFailed: Could not fetch ssh://claude-env-git@127\\.0\\.0\\.1:${closed}/org\\.git: ssh: connect to host 127\\.0\\.0\\.1 port ${closed}: Connection refused\\. Check that this machine reaches it`,
      ),
    );
  });
});
