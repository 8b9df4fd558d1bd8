import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, runCliAsync } from '../helpers/cli';
import { writeFile } from '../helpers/workspace';
import { gitTempFolder, OrgRepo, orgLayers, startGitDaemon, freePort, type GitDaemon } from '../helpers/gitRepos';

const BASE = 'claude-env/base.yaml';

describe('claude-env fetch, update and status against a git daemon on loopback', function () {
  this.timeout(180_000);
  let root: string;
  let org: OrgRepo;
  let daemon: GitDaemon;
  let home: string;

  beforeEach(async () => {
    root = gitTempFolder();
    org = new OrgRepo(root);
    home = join(root, 'home');
    daemon = await startGitDaemon(root);
  });
  afterEach(() => daemon.stop());

  /** A project on the org repository served by the daemon, at `ref`. */
  function project(name: string, ref: string, extra = ''): string {
    const workspace = join(root, name);
    const source = `source:\n  git: ${daemon.url('org.git')}\n  ref: ${ref}\n  path: claude-env\n`;
    writeFile(join(workspace, '.claude-env', 'project.yaml'), `version: 1\n${source}teams: [web]\n${extra}`);
    return workspace;
  }
  const cli = (args: string[], cwd: string) => runCli(args, { cwd, home });

  it('pins a tag, then validates and shows offline from the cache', async () => {
    const commit = org.commit(orgLayers('org-model'));
    org.tag('v1');
    const workspace = project('app', 'v1');
    const fetched = cli(['fetch'], workspace);
    assert.equal(fetched.code, 0, fetched.stderr);
    assert.match(
      fetched.stdout,
      new RegExp(`^source: git://127\\.0\\.0\\.1:\\d+/org\\.git v1 @ ${commit.slice(0, 12)} pinned$`, 'm'),
    );
    assert.match(fetched.stdout, /Wrote \.claude-env\/lock\.yaml: commit it/);
    assert.match(readFileSync(join(workspace, '.claude-env', 'lock.yaml'), 'utf8'), new RegExp(`commit: ${commit}`));
    await daemon.stop();
    const validated = cli(['validate', '--no-secrets'], workspace);
    assert.equal(validated.code, 0, validated.stdout);
    // Reading needs no git at all: with no git on PATH, validate and show still work from the cache.
    const noGit = runCli(['validate', '--no-secrets'], {
      cwd: workspace,
      home,
      env: { PATH: join(root, 'no-git-here') },
    });
    assert.equal(noGit.code, 0, noGit.stdout + noGit.stderr);
    const shown = cli(['show', '--json'], workspace);
    assert.equal(JSON.parse(shown.stdout).value.settings.model, 'org-model');
    const again = cli(['fetch'], workspace);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already cached/);
  });

  it('reports an empty cache as one located error naming claude-env fetch', () => {
    org.commit(orgLayers());
    const workspace = project('app', 'main');
    assert.equal(cli(['fetch'], workspace).code, 0);
    const fresh = runCli(['validate', '--no-secrets'], { cwd: workspace });
    assert.equal(fresh.code, 1);
    assert.match(
      fresh.stdout,
      /^\.claude-env\/project\.yaml:3:3: error stack\.gitNotFetched: .*run 'claude-env fetch'\.$/m,
    );
  });

  it('update --dry-run prints the effective change with the org file and line, and leaves the lock', () => {
    org.commit(orgLayers('first'));
    const workspace = project('app', 'main');
    cli(['fetch'], workspace);
    const lock = readFileSync(join(workspace, '.claude-env', 'lock.yaml'), 'utf8');
    const second = org.commit({
      [BASE]:
        'version: 1\nsettings:\n  model: second\nmcpServers:\n  memory:\n    command: npx\n    args: [server-memory]\n',
    });
    const dry = cli(['update', '--dry-run'], workspace);
    assert.equal(dry.code, 1, dry.stderr);
    assert.match(dry.stdout, new RegExp(`→ ${second.slice(0, 12)} \\(1 new commit\\)`));
    assert.match(
      dry.stdout,
      new RegExp(`~ settings\\.model: first → second  \\(base claude-env/base\\.yaml:3 @ ${second.slice(0, 12)}\\)`),
    );
    assert.match(
      dry.stdout,
      /\+ mcpServers\.memory = \{"command":"npx","args":\["server-memory"\]\}  \(base claude-env\/base\.yaml:5 @/,
    );
    assert.match(dry.stdout, /- settings\.permissions \(was \{"deny":\["Bash\(curl:\*\)"\]\}\)/);
    assert.match(dry.stdout, /Dry run: the lock was not changed/);
    assert.equal(readFileSync(join(workspace, '.claude-env', 'lock.yaml'), 'utf8'), lock);

    const moved = cli(['update'], workspace);
    assert.equal(moved.code, 0, moved.stderr);
    assert.match(readFileSync(join(workspace, '.claude-env', 'lock.yaml'), 'utf8'), new RegExp(`commit: ${second}`));
    const nothing = cli(['update'], workspace);
    assert.equal(nothing.code, 0);
    assert.match(nothing.stdout, /is up to date @/);
  });

  it('names both lines when an org change is overridden and when a new lock refuses a local value', () => {
    org.commit(orgLayers('first'));
    const workspace = project('app', 'main');
    writeFile(
      join(workspace, '.claude-env', 'local.yaml'),
      'version: 1\nsettings:\n  model: mine\n  cleanupPeriodDays: 7\n',
    );
    cli(['fetch'], workspace);
    org.commit({
      [BASE]:
        'version: 1\nsettings:\n  model: second\n  cleanupPeriodDays: 30\npolicy:\n  locked:\n    - settings.cleanupPeriodDays\n',
    });
    const run = cli(['update', '--dry-run'], workspace);
    assert.match(run.stdout, /Conflicts \(2\):/);
    assert.match(
      run.stdout,
      /now set settings\.model to "second" \(was "first"\), but the local layer overrides it with "mine"/,
    );
    assert.match(
      run.stdout,
      /org: {4}claude-env\/base\.yaml:3 @ [0-9a-f]{12}\n {6}wins: {3}local \.claude-env\/local\.yaml:3/,
    );
    assert.match(run.stdout, /refused: \.claude-env\/local\.yaml:4/);
    assert.match(run.stdout, /claude-env\/base\.yaml:7 @ [0-9a-f]{12}/, 'the new lock, in the org file');
  });

  it('status counts new commits with exit 1, and exit 0 once updated and applied', () => {
    org.commit(orgLayers());
    const workspace = project('app', 'main');
    cli(['fetch'], workspace);
    assert.equal(cli(['apply'], workspace).code, 0);
    const clean = cli(['status'], workspace);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    org.commit({ 'claude-env/teams/web.yaml': 'version: 1\nsettings:\n  env:\n    TEAM: web2\n' });
    org.commit({ 'README.md': 'org layers\n' });
    const behind = cli(['status'], workspace);
    assert.equal(behind.code, 1);
    assert.match(behind.stdout, /behind by 2 commits/);
    cli(['update'], workspace);
    const stale = cli(['status', '--json'], workspace);
    assert.deepEqual(JSON.parse(stale.stdout).outdated, ['.claude/settings.local.json']);
    cli(['apply'], workspace);
    assert.equal(cli(['status'], workspace).code, 0);
  });

  it('status and fetch name a force-push that made the locked commit unreachable', () => {
    const first = org.commit(orgLayers('first'));
    org.commit(orgLayers('second'));
    const workspace = project('app', 'main');
    cli(['fetch'], workspace);
    org.rewrite(first, orgLayers('rewritten'));
    const status = cli(['status'], workspace);
    assert.equal(status.code, 1);
    assert.match(status.stdout, /its history was rewritten/);
    const cold = runCli(['fetch'], { cwd: workspace });
    assert.equal(cold.code, 1);
    assert.match(
      cold.stderr,
      /error source\.commitUnreachable: The locked commit [0-9a-f]{12} is not reachable from branch main/,
    );
  });

  it("exits 5 with git's reason for a private repository, an unreachable host and a missing ref", async () => {
    org.commit(orgLayers());
    const secret = await startGitDaemon(root, { exportAll: false });
    try {
      const workspace = join(root, 'private');
      writeFile(
        join(workspace, '.claude-env', 'project.yaml'),
        `version: 1\nsource: git+${secret.url('org.git')}#main\n`,
      );
      const denied = cli(['fetch'], workspace);
      assert.equal(denied.code, 5);
      assert.match(
        denied.stderr,
        /error source\.fetchFailed: Could not fetch git:\/\/127\.0\.0\.1:\d+\/org\.git: .*not exported/,
      );
      assert.match(denied.stderr, /credentials \(SSH key, credential helper\)/);
    } finally {
      await secret.stop();
    }
    const port = await freePort();
    const nowhere = join(root, 'nowhere');
    writeFile(
      join(nowhere, '.claude-env', 'project.yaml'),
      `version: 1\nsource: git+git://127.0.0.1:${port}/org.git#main\n`,
    );
    const unreachable = cli(['fetch'], nowhere);
    assert.equal(unreachable.code, 5);
    assert.match(unreachable.stderr, /Could not fetch git:\/\/127\.0\.0\.1:\d+\/org\.git: unable to connect/);
    const missing = cli(['fetch'], project('app', 'v404'));
    assert.equal(missing.code, 5);
    assert.match(missing.stderr, /error source\.refNotFound: .* has no branch, tag or commit 'v404'/);
  });

  it('fetch --frozen refuses to pin and leaves no lock', () => {
    org.commit(orgLayers());
    const workspace = project('app', 'main');
    const run = cli(['fetch', '--frozen'], workspace);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /error source\.lockStale: --frozen/);
    assert.equal(cli(['validate', '--no-secrets'], workspace).code, 1);
  });

  it('two projects fetching at once share one cache and both succeed', async () => {
    org.commit(orgLayers());
    const one = project('one', 'main');
    const two = project('two', 'main');
    const runs = await Promise.all([
      runCliAsync(['fetch'], { cwd: one, home }),
      runCliAsync(['fetch'], { cwd: two, home }),
    ]);
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const locks = [one, two].map((workspace) => readFileSync(join(workspace, '.claude-env', 'lock.yaml'), 'utf8'));
    assert.equal(locks[0], locks[1]);
    for (const workspace of [one, two]) assert.equal(cli(['validate', '--no-secrets'], workspace).code, 0);
  });

  it('apply --managed renders the policy of the org layers from git as Claude Code managed settings', () => {
    org.commit({
      [BASE]:
        'version: 1\nsettings:\n  cleanupPeriodDays: 30\n  permissions:\n    deny: [Bash(curl:*)]\n' +
        'policy:\n  locked: [settings.cleanupPeriodDays]\n  servers:\n    denied: [magic]\n',
      'claude-env/teams/web.yaml': 'version: 1\n',
    });
    const workspace = project('app', 'main', 'settings:\n  permissions:\n    deny: [Read(./project-only)]\n');
    cli(['fetch'], workspace);
    const out = join(root, 'deploy');
    const run = cli(['apply', '--managed', out], workspace);
    assert.equal(run.code, 0, run.stderr);
    const file = join(out, 'managed-settings.d', '50-claude-env.json');
    assert.equal(run.stdout, `wrote ${file}\n`);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), {
      cleanupPeriodDays: 30,
      permissions: { deny: ['Bash(curl:*)'] },
      deniedMcpServers: [{ serverName: 'magic' }],
    });
    assert.match(cli(['apply', '--managed', out], workspace).stdout, /^unchanged /);
  });
});
