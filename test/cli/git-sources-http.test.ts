import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliAsync } from '../helpers/cli';
import { selfSignedCertificate, startGitHttp, type GitHttpServer } from '../helpers/gitHttp';
import { git, gitTempFolder, OrgRepo, orgLayers } from '../helpers/gitRepos';
import { writeFile } from '../helpers/workspace';

const PASSWORD = 'canary-pw-7f3a9c2e';
const USER = 'alice';

/** Files under `folder` whose name or bytes hold `needle`, except those in `except`. */
function filesHolding(folder: string, needle: string, except: string[] = []): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    if (path.includes(needle)) found.push(path);
    const stat = lstatSync(path);
    if (stat.isDirectory()) return readdirSync(path).forEach((name) => walk(join(path, name)));
    if (stat.isFile() && !except.includes(path) && readFileSync(path).includes(needle)) found.push(path);
  };
  if (existsSync(folder)) walk(folder);
  return found;
}

/** The lines of a run's output, without empty ones. */
const lines = (text: string) => text.split('\n').filter((line) => line !== '');

describe('claude-env fetch, update and status against git http-backend on loopback', function () {
  this.timeout(180_000);
  let root: string;
  let org: OrgRepo;
  let secret: OrgRepo;
  let server: GitHttpServer;
  let home: string;

  beforeEach(async () => {
    root = gitTempFolder();
    org = new OrgRepo(root);
    org.commit(orgLayers('org-model'));
    secret = new OrgRepo(root, 'private');
    secret.commit(orgLayers('private-model'));
    home = join(root, 'home');
    mkdirSync(home);
    server = await startGitHttp(root, { private: { repositories: ['private.git'], user: USER, password: PASSWORD } });
  });
  afterEach(() => server.stop());

  function project(name: string, url: string, ref = 'main'): string {
    const workspace = join(root, name);
    const source = `source:\n  git: ${url}\n  ref: ${ref}\n  path: claude-env\n`;
    writeFile(join(workspace, '.claude-env', 'project.yaml'), `version: 1\n${source}teams: [web]\n`);
    return workspace;
  }
  const cli = (args: string[], cwd: string, env: Record<string, string> = {}) => runCliAsync(args, { cwd, home, env });

  it('pins, updates and counts new commits over http:// as over git://', async () => {
    org.tag('v1');
    const workspace = project('app', server.url('org.git'));
    const fetched = await cli(['fetch'], workspace);
    assert.equal(fetched.code, 0, fetched.stderr);
    assert.match(fetched.stdout, /^source: http:\/\/127\.0\.0\.1:\d+\/org\.git main @ [0-9a-f]{12} pinned$/m);
    const shown = await cli(['show', '--json'], workspace);
    assert.equal(JSON.parse(shown.stdout).value.settings.model, 'org-model');
    const upToDate = await cli(['status'], workspace);
    assert.match(upToDate.stdout, /main @ [0-9a-f]{12}: up to date$/m);

    org.commit(orgLayers('second'));
    const next = org.commit({ 'README.md': 'org layers\n' });
    const behind = await cli(['status'], workspace);
    assert.match(behind.stdout, /behind by 2 commits/);
    const dry = await cli(['update', '--dry-run'], workspace);
    assert.match(dry.stdout, /~ settings\.model: org-model → second {2}\(base claude-env\/base\.yaml:3 @/);
    const moved = await cli(['update'], workspace);
    assert.equal(moved.code, 0, moved.stderr);
    assert.match(readFileSync(join(workspace, '.claude-env', 'lock.yaml'), 'utf8'), new RegExp(`commit: ${next}`));
    const nothing = await cli(['update'], workspace);
    assert.equal(nothing.code, 0, nothing.stderr);
    assert.match(nothing.stdout, /is up to date @/);
    const paths = new Set(server.requests.map((request) => `${request.method} ${request.url}`));
    assert.deepEqual([...paths].sort(), [
      'GET /org.git/info/refs?service=git-upload-pack',
      'POST /org.git/git-upload-pack',
    ]);
  });

  it('two projects fetch at once over HTTP into one cache; a new machine fetches --frozen from the lock', async () => {
    const one = project('one', server.url('org.git'));
    const two = project('two', server.url('org.git'));
    const runs = await Promise.all([cli(['fetch'], one), cli(['fetch'], two)]);
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const lock = readFileSync(join(one, '.claude-env', 'lock.yaml'), 'utf8');
    assert.equal(readFileSync(join(two, '.claude-env', 'lock.yaml'), 'utf8'), lock);
    org.commit(orgLayers('newer'));
    const elsewhere = join(root, 'other-home');
    mkdirSync(elsewhere);
    const frozen = await runCliAsync(['fetch', '--frozen'], { cwd: one, home: elsewhere });
    assert.equal(frozen.code, 0, frozen.stderr);
    assert.match(frozen.stdout, /main @ [0-9a-f]{12} fetched$/m);
    assert.equal(readFileSync(join(one, '.claude-env', 'lock.yaml'), 'utf8'), lock, 'the lock did not move');
  });

  it('a private repository without credentials fails at once with one located message, and asks nobody', async () => {
    const workspace = project('app', server.url('private.git'));
    // Every askpass git or ssh could use leaves a mark if it runs.
    const mark = join(root, 'askpass-ran');
    const askpass = join(root, 'askpass.sh');
    writeFile(askpass, `#!/bin/sh\necho asked >> ${mark}\necho ${PASSWORD}\n`);
    chmodSync(askpass, 0o755);
    git(root, 'config', '--file', join(home, '.gitconfig'), 'core.askPass', askpass);
    const env = { GIT_ASKPASS: askpass, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' };
    for (const command of [['fetch'], ['update'], ['status']]) {
      const run = await cli(command, workspace, env);
      assert.equal(run.code, 5, `${command[0]}: ${run.stdout}${run.stderr}`);
      assert.ok(run.ms < 30_000, `${command[0]} took ${run.ms} ms`);
      assert.deepEqual(lines(run.stderr).length, 1, run.stderr);
      assert.match(
        run.stderr,
        /^\.claude-env\/project\.yaml:3:3: error source\.fetchFailed: Authentication failed for http:\/\/127\.0\.0\.1:\d+\/private\.git: .*never prompts.*credential helper \(git config --global credential\.helper.*'git credential approve'.*git ls-remote http:\/\/127\.0\.0\.1:\d+\/private\.git\n$/,
      );
    }
    assert.equal(existsSync(mark), false, 'no askpass program ran');
    assert.ok(server.requests.every((request) => request.authorization === ''));
  });

  it('a credential helper in the home gives access; the password is never written or printed', async () => {
    const workspace = project('app', server.url('private.git'));
    git(root, 'config', '--file', join(home, '.gitconfig'), 'credential.helper', 'store');
    const credentials = join(home, '.git-credentials');
    writeFile(credentials, `http://${USER}:${PASSWORD}@127.0.0.1:${server.port}\n`);
    const runs = [await cli(['fetch'], workspace)];
    assert.equal(runs[0].code, 0, runs[0].stderr);
    secret.commit({ 'README.md': 'private org layers\n' });
    const validate = ['validate', '--no-secrets'];
    runs.push(await cli(['status'], workspace), await cli(['update'], workspace), await cli(validate, workspace));
    assert.match(runs[1].stdout, /behind by 1 commit/);
    assert.equal(runs[2].code, 0, runs[2].stderr);
    const shown = await cli(['show', '--json'], workspace);
    assert.equal(JSON.parse(shown.stdout).value.settings.model, 'private-model');
    assert.ok(server.requests.some((request) => request.authorization.startsWith('Basic ')));
    for (const run of [...runs, shown]) assert.ok(!(run.stdout + run.stderr).includes(PASSWORD));
    assert.deepEqual(filesHolding(root, PASSWORD, [credentials]), []);
  });

  it('wrong credentials from the helper: authentication failed, the password not repeated', async () => {
    const workspace = project('app', server.url('private.git'));
    git(root, 'config', '--file', join(home, '.gitconfig'), 'credential.helper', 'store');
    writeFile(join(home, '.git-credentials'), `http://${USER}:wrong-${PASSWORD}@127.0.0.1:${server.port}\n`);
    const run = await cli(['fetch'], workspace);
    assert.equal(run.code, 5);
    assert.match(
      run.stderr,
      /error source\.fetchFailed: Authentication failed for http:\/\/127\.0\.0\.1:\d+\/private\.git:/,
    );
    assert.ok(!(run.stdout + run.stderr).includes(PASSWORD));
  });

  it('refuses a URL with user:password at its line, and the password goes nowhere', async () => {
    const withPassword = server.url('private.git').replace('http://', `http://${USER}:${PASSWORD}@`);
    const mapForm = project('app', withPassword);
    const shorthand = join(root, 'short');
    writeFile(join(shorthand, '.claude-env', 'project.yaml'), `version: 1\nsource: git+${withPassword}#main\n`);
    const outputs: string[] = [];
    for (const [workspace, at] of [
      [mapForm, '3:8'],
      [shorthand, '2:9'],
    ]) {
      for (const command of [['fetch'], ['update'], ['status'], ['validate', '--no-secrets']]) {
        const run = await cli(command, workspace);
        outputs.push(run.stdout + run.stderr);
        assert.equal(run.code, 1, command[0]);
        assert.equal(lines(run.stderr).length, command[0] === 'validate' ? 0 : 1, run.stderr);
        assert.match(
          run.stdout + run.stderr,
          new RegExp(
            `\\.claude-env/project\\.yaml:${at}: error stack\\.gitSourceInvalid: The repository URL holds a password`,
          ),
          command[0],
        );
      }
    }
    const shown = await cli(['show', '--json'], mapForm);
    outputs.push(shown.stdout + shown.stderr);
    for (const output of outputs) assert.ok(!output.includes(PASSWORD), output);
    assert.deepEqual(server.requests, [], 'git was never given the URL');
    const written = [join(mapForm, '.claude-env', 'project.yaml'), join(shorthand, '.claude-env', 'project.yaml')];
    assert.deepEqual(filesHolding(root, PASSWORD, written), []);
  });

  it("https:// trusted through the organisation's certificate authority, and a clear error without it", async () => {
    const certificate = selfSignedCertificate(root);
    const tls = await startGitHttp(root, {
      tls: certificate,
      private: { repositories: ['private.git'], user: USER, password: PASSWORD },
    });
    try {
      const workspace = project('app', tls.url('private.git'));
      const untrusted = await cli(['fetch'], workspace);
      assert.equal(untrusted.code, 5);
      assert.match(
        untrusted.stderr,
        /^\.claude-env\/project\.yaml:3:3: error source\.fetchFailed: The TLS certificate of https:\/\/127\.0\.0\.1:\d+\/private\.git is not trusted \((self[- ]signed certificate|server certificate verification failed)\)\. .*http\.sslCAInfo/,
      );
      const config = join(home, '.gitconfig');
      git(root, 'config', '--file', config, 'credential.helper', 'store');
      const credentials = join(home, '.git-credentials');
      writeFile(credentials, `https://${USER}:${PASSWORD}@127.0.0.1:${tls.port}\n`);
      // GIT_SSL_CAINFO, as this machine sets it (it wins over http.sslCAInfo in git's config).
      const trusted = { GIT_SSL_CAINFO: certificate.certFile };
      const fetched = await cli(['fetch'], workspace, trusted);
      assert.equal(fetched.code, 0, fetched.stderr);
      assert.match(fetched.stdout, /^source: https:\/\/127\.0\.0\.1:\d+\/private\.git main @ [0-9a-f]{12} pinned$/m);
      const status = await cli(['status'], workspace, trusted);
      assert.match(status.stdout, /main @ [0-9a-f]{12}: up to date$/m);
      assert.deepEqual(filesHolding(root, PASSWORD, [credentials]), []);
    } finally {
      await tls.stop();
    }
  });

  it('a missing repository is "repository not found", naming the URL', async () => {
    const run = await cli(['fetch'], project('app', server.url('missing.git')));
    assert.equal(run.code, 5);
    assert.match(
      run.stderr,
      /^\.claude-env\/project\.yaml:3:3: error source\.fetchFailed: Repository not found: http:\/\/127\.0\.0\.1:\d+\/missing\.git: .*git ls-remote/m,
    );
    assert.equal(server.requests[0]?.status, 404);
  });

  it('a server that accepts and never answers ends in bounded time with a clear error', async () => {
    const stalled = await startGitHttp(root, { stalled: true });
    try {
      const workspace = project('app', stalled.url('org.git'));
      for (const command of [['fetch'], ['status']]) {
        const run = await cli(command, workspace, { GIT_HTTP_LOW_SPEED_TIME: '2' });
        assert.equal(run.code, 5, run.stderr);
        assert.ok(run.ms < 20_000, `${command[0]} took ${run.ms} ms`);
        assert.match(
          run.stderr,
          /error source\.fetchFailed: No answer from http:\/\/127\.0\.0\.1:\d+\/org\.git: the server sent nothing for 2 s/,
        );
      }
      assert.ok(stalled.requests.length >= 2, 'git reached the server');
    } finally {
      await stalled.stop();
    }
  });
});
