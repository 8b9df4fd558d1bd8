import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DebianRoot, type RunResult } from './debianRoot';
import { containerEnv, installFeature, packagedFeature, runLifecycle } from './featureInstall';
import { freePort, gitTempFolder, OrgRepo, startGitDaemon, type GitDaemon } from '../helpers/gitRepos';
import { EXPECTED_POLICY, ORG_LAYERS, pinOnHost, SECRET_BASE } from './orgPolicy';
import { DEV } from './workspace';

const FILE = '/etc/claude-code/managed-settings.d/50-claude-env.json';
const RECORD = '/usr/local/share/claude-env/policy.env';
const SHOP = '/workspaces/shop';

/**
 * The feature with orgSource: install.sh renders the org's policy as Claude Code managed settings at build time,
 * as root, from a bare repository served by `git daemon` on the host's loopback (which the root shares); the
 * lifecycle commands run as the remote user and compare the project's lock with the commit the policy came from.
 */
describe('dev container feature: the org policy as managed settings, and org layers from git', function () {
  this.timeout(10 * 60_000);
  let archive: string;
  let root: DebianRoot;
  let org: OrgRepo;
  let daemon: GitDaemon;
  let first: string;
  let installed: RunResult;
  const options = () => ({ orgSource: daemon.url('org.git'), orgRef: 'main', orgPath: 'claude-env', team: 'web' });
  const asDev = (script: string, cwd?: string) =>
    root.run(script, { user: DEV.name, cwd, env: containerEnv(DEV.name, DEV.home) });
  const policy = () => JSON.parse(readFileSync(root.path(FILE), 'utf8')) as unknown;

  before(async function () {
    this.timeout(20 * 60_000);
    if (process.getuid?.() !== 0) throw new Error('the feature tests need root: they chroot and mount /proc');
    archive = packagedFeature();
    const scratch = gitTempFolder();
    org = new OrgRepo(scratch);
    first = org.commit(ORG_LAYERS);
    daemon = await startGitDaemon(scratch);
    root = DebianRoot.create('node');
    const user = root.run(`useradd --create-home --shell /bin/bash --uid 1000 ${DEV.name}`);
    assert.equal(user.status, 0, user.output);
    // A policy whose managed-only setting is a secret, in a repository placed in the image (read as a local path).
    const withSecret = new OrgRepo(scratch, 'org-with-secret');
    withSecret.commit({ ...ORG_LAYERS, 'claude-env/base.yaml': SECRET_BASE });
    cpSync(withSecret.bare, root.path('/srv/org-with-secret.git'), { recursive: true });
    // Owned by another account, as after a COPY --chown: git's ownership check must not hide the real finding.
    assert.equal(root.run(`chown -R ${DEV.name}:${DEV.name} /srv/org-with-secret.git`).status, 0);
    pinOnHost(root.path(SHOP), daemon.url('org.git'), scratch);
    const owned = root.run(`chown -R ${DEV.name}:${DEV.name} /workspaces`);
    assert.equal(owned.status, 0, owned.output);
    // Online: the Debian root has no git, which install.sh installs from Debian for orgSource.
    installed = installFeature(root, archive, { remoteUser: DEV.name, options: options() });
  });

  after(async () => {
    root?.dispose();
    await daemon?.stop();
  });

  it('renders the base layer and the team at build time, root-owned and read-only, and records the commit', () => {
    assert.equal(installed.status, 0, installed.output);
    assert.match(
      installed.stdout,
      /claude-env: installed git from Debian GNU\/Linux 12 \(bookworm\) to read orgSource\./,
    );
    const written = `managed settings from ${daemon.url('org.git')} main @ ${first.slice(0, 12)} with team web written to ${FILE}`;
    assert.ok(installed.stdout.includes(written), installed.output);
    assert.deepEqual(policy(), EXPECTED_POLICY);
    const modes = root.run(
      `stat -c '%n %U:%G %a' /etc/claude-code /etc/claude-code/managed-settings.d ${FILE} ${RECORD}`,
    );
    assert.equal(
      modes.stdout,
      [
        '/etc/claude-code root:root 755',
        '/etc/claude-code/managed-settings.d root:root 755',
        `${FILE} root:root 644`,
        `${RECORD} root:root 644`,
        '',
      ].join('\n'),
    );
    assert.match(readFileSync(root.path(RECORD), 'utf8'), new RegExp(`^CLAUDE_ENV_POLICY_COMMIT=${first}$`, 'm'));
    assert.equal(root.run('ls -A /tmp /root').stdout.includes('tmp.'), false, 'the rendering folder is removed');
    assert.equal(root.run('ls -A /var/lib/apt/lists').stdout, '', 'apt lists are cleaned');
  });

  it('lets the remote user read the policy, but not write, rename, delete, loosen or add to it', () => {
    assert.equal(asDev(`cat ${FILE}`).status, 0);
    for (const attempt of [
      `echo '{}' > ${FILE}`,
      `mv ${FILE} ${FILE}.moved`,
      `rm -f ${FILE}`,
      `chmod 0666 ${FILE}`,
      'touch /etc/claude-code/managed-settings.d/99-mine.json',
      'touch /etc/claude-code/managed-settings.json',
      'rm -rf /etc/claude-code/managed-settings.d',
    ]) {
      assert.notEqual(asDev(attempt).status, 0, `${DEV.name} could run: ${attempt}`);
    }
    assert.deepEqual(policy(), EXPECTED_POLICY);
    assert.equal(root.run('ls -A /etc/claude-code/managed-settings.d').stdout, '50-claude-env.json\n');
  });

  describe('a project that pins the org layers in .claude-env/lock.yaml', () => {
    it('post-create fetches the locked commit into an empty cache, applies, and says the policy is the locked one', () => {
      const lock = readFileSync(root.path(`${SHOP}/.claude-env/lock.yaml`), 'utf8');
      const created = runLifecycle(root, 'postCreateCommand', DEV, SHOP);
      assert.equal(created.status, 0, created.output);
      assert.match(created.stdout, /fetching the org layers pinned in \.claude-env\/lock\.yaml/);
      assert.ok(created.stdout.includes(`main @ ${first.slice(0, 12)} fetched`), created.output);
      assert.match(created.stdout, /applied: Claude Code's files in \/workspaces\/shop are up to date/);
      assert.match(
        created.stdout,
        /Claude Code enforces the org's managed settings from .* @ [0-9a-f]{12}, the commit \.claude-env\/lock\.yaml pins\./,
      );
      assert.doesNotMatch(created.stdout, /warning:/);
      assert.equal(
        readFileSync(root.path(`${SHOP}/.claude-env/lock.yaml`), 'utf8'),
        lock,
        'the lock stays as committed',
      );
      assert.match(readFileSync(root.path(`${SHOP}/.claude/settings.local.json`), 'utf8'), /"Bash\(rm -rf:\*\)"/);
    });

    it('keeps the policy whatever a local layer or a hand edit says, and validate names the overridden lines', () => {
      const local = root.path(`${SHOP}/.claude-env/local.yaml`);
      const settings = root.path(`${SHOP}/.claude/settings.local.json`);
      const applied = readFileSync(settings, 'utf8');
      try {
        writeFileSync(
          local,
          [
            'version: 1',
            'settings:',
            '  permissions:',
            '    defaultMode: bypassPermissions',
            '    allow:',
            '      - Bash(curl:*)',
            '    deny:',
            '      $replace: []',
            '',
          ].join('\n'),
        );
        // What Claude Code would obey without managed settings: a hand edit of the file apply wrote.
        writeFileSync(settings, '{ "permissions": { "defaultMode": "bypassPermissions", "deny": [] } }\n');
        const validated = asDev('claude-env validate', SHOP);
        assert.equal(validated.status, 1, validated.output);
        assert.match(
          validated.output,
          /^\.claude-env\/local\.yaml:4:5: error policy\.lockedKey: 'settings\.permissions\.defaultMode' is locked by base/m,
        );
        assert.match(
          validated.output,
          /^\.claude-env\/local\.yaml:6:9: warning policy\.managedOverrides: Claude Code ignores this permission rule/m,
        );
        assert.match(
          validated.output,
          /^\.claude-env\/local\.yaml:7:5: error policy\.denyRemoved: This removes the deny rule "Bash\(curl:\*\)" set by base/m,
        );
        assert.deepEqual(policy(), EXPECTED_POLICY, 'the managed settings Claude Code reads first are unchanged');
      } finally {
        root.run(`rm -f ${SHOP}/.claude-env/local.yaml`);
        writeFileSync(settings, applied);
      }
    });

    it('warns that the policy is stale once the lock moves, and starts without network or cache, saying what is missing', () => {
      const next = org.commit({ 'claude-env/teams/web.yaml': 'version: 1\nsettings:\n  env:\n    TEAM: web\n' });
      const updated = asDev('claude-env update', SHOP);
      assert.equal(updated.status, 0, updated.output);
      assert.equal(root.run(`rm -rf ${DEV.home}/.cache/claude-env`).status, 0);
      const created = runLifecycle(root, 'postCreateCommand', DEV, SHOP, [], { offline: true });
      assert.equal(created.status, 0, created.output);
      assert.match(created.stdout, /the org layers could not be fetched \(no network, or no access to the repository/);
      assert.match(created.stderr, /error stack\.gitNotFetched: .*run 'claude-env fetch'/);
      const stale =
        `warning: Claude Code enforces the org's managed settings from ${daemon.url('org.git')} main @ ` +
        `${first.slice(0, 12)}, rendered when the container was built, but .claude-env/lock.yaml pins ` +
        `${next.slice(0, 12)}; the policy in ${FILE} is stale until the container is rebuilt`;
      assert.ok(created.stdout.includes(stale), created.output);
      assert.match(created.stdout, /claude-env: the container starts either way\./);
      assert.deepEqual(policy(), EXPECTED_POLICY);
    });
  });

  describe('what the build refuses, changing nothing', () => {
    const refusals: [string, Record<string, string>, RegExp][] = [
      ['a command in orgSource', { orgSource: 'https://example.test/org.git;touch /tmp/owned' }, /option orgSource is/],
      ['the ext:: transport', { orgSource: 'ext::sh' }, /option orgSource is 'ext::sh'; .*a relative path means/],
      ['an option as orgSource', { orgSource: '--upload-pack=touch' }, /option orgSource is '--upload-pack=touch'/],
      ['a relative path', { orgSource: '../org' }, /a relative path means nothing at build time/],
      ['a password', { orgSource: 'https://ci:hunter2@git.example.test/org.git' }, /option orgSource holds a password/],
      ['a quote in orgRef', { orgRef: "main'; touch /tmp/owned; '" }, /option orgRef is 'main'; touch/],
      ['an option as orgRef', { orgRef: '--upload-pack=touch' }, /option orgRef is '--upload-pack=touch'/],
      ['no orgRef', { orgRef: '' }, /option orgRef is empty; with orgSource, name the branch, tag or commit/],
      ['orgPath leaving the repository', { orgPath: '../../etc' }, /option orgPath is '\.\.\/\.\.\/etc'/],
      ['orgRef without orgSource', { orgSource: '', orgPath: '' }, /options orgRef and orgPath need orgSource/],
    ];
    for (const [what, values, message] of refusals) {
      it(`refuses ${what}`, () => {
        const record = readFileSync(root.path(RECORD), 'utf8');
        const refused = installFeature(root, archive, {
          remoteUser: DEV.name,
          options: { ...options(), ...values },
          offline: true,
        });
        assert.notEqual(refused.status, 0, refused.output);
        assert.match(refused.stderr, message);
        assert.doesNotMatch(refused.output, /hunter2/, 'a password is never echoed');
        assert.ok(!existsSync(root.path('tmp/owned')), 'the value must never run as a command');
        assert.deepEqual(policy(), EXPECTED_POLICY);
        assert.equal(readFileSync(root.path(RECORD), 'utf8'), record);
      });
    }

    it('stops when the org repository cannot be reached, naming it and what to check', async () => {
      const unreachable = `git://127.0.0.1:${await freePort()}/org.git`;
      const refused = installFeature(root, archive, {
        remoteUser: DEV.name,
        options: { ...options(), orgSource: unreachable },
      });
      assert.notEqual(refused.status, 0, refused.output);
      assert.match(refused.stderr, /error source\.fetchFailed: Could not fetch git:\/\/127\.0\.0\.1/);
      assert.ok(
        refused.stderr.includes(`no managed settings: the org repository ${unreachable} could not be read at 'main'`),
        refused.output,
      );
      assert.match(refused.stderr, /The build stops because orgSource asks for the org's policy; remove orgSource/);
      assert.deepEqual(policy(), EXPECTED_POLICY);
    });

    it('stops when the policy holds a secret, read offline from a repository at a path in the image', () => {
      const refused = installFeature(root, archive, {
        remoteUser: DEV.name,
        options: { ...options(), orgSource: '/srv/org-with-secret.git' },
        offline: true,
      });
      assert.notEqual(refused.status, 0, refused.output);
      assert.match(
        refused.stderr,
        /no managed settings: the org's policy holds references that managed settings cannot resolve: settings\.forceLoginOrgUUID\./,
      );
      assert.deepEqual(policy(), EXPECTED_POLICY);
    });
  });

  describe('installed again with other options', () => {
    it('with an empty team option, renders the base policy only and post-create says the project names teams', () => {
      const again = installFeature(root, archive, { remoteUser: DEV.name, options: { ...options(), team: '' } });
      assert.equal(again.status, 0, again.output);
      assert.deepEqual((policy() as typeof EXPECTED_POLICY).permissions.deny, ['Bash(curl:*)', 'Read(./.env)']);
      const created = runLifecycle(root, 'postCreateCommand', DEV, SHOP, [], { offline: true });
      assert.equal(created.status, 0, created.output);
      assert.match(
        created.stdout,
        /note: the managed settings hold the base layer's policy only, while the project names teams; set the feature's team option/,
      );
    });

    it("renders from a shallow clone the image's Dockerfile made (a private repository read with a build secret)", () => {
      // What docs/devcontainer.md shows for a private org repository: the Dockerfile clones it with a BuildKit secret,
      // and orgSource names the clone. The clone holds no credentials; the feature reads it offline.
      const scratch = gitTempFolder();
      const privateOrg = new OrgRepo(scratch, 'private-org');
      const head = privateOrg.commit(ORG_LAYERS);
      const clone = root.path('/opt/org-claude-env');
      execFileSync('git', ['clone', '--quiet', '--depth', '1', '--branch', 'main', `file://${privateOrg.bare}`, clone]);
      const again = installFeature(root, archive, {
        remoteUser: DEV.name,
        options: { ...options(), orgSource: '/opt/org-claude-env' },
        offline: true,
      });
      assert.equal(again.status, 0, again.output);
      assert.ok(
        again.stdout.includes(`managed settings from /opt/org-claude-env main @ ${head.slice(0, 12)} with team web`),
        again.output,
      );
      assert.deepEqual(policy(), EXPECTED_POLICY);
      assert.match(readFileSync(root.path(RECORD), 'utf8'), new RegExp(`^CLAUDE_ENV_POLICY_COMMIT=${head}$`, 'm'));
    });

    it('without orgSource, removes the policy it wrote; post-create in an image without git says so', () => {
      const again = installFeature(root, archive, { remoteUser: DEV.name, offline: true });
      assert.equal(again.status, 0, again.output);
      assert.match(again.stdout, /orgSource is empty: removed the managed settings an earlier install wrote/);
      assert.ok(!existsSync(root.path(FILE)) && !existsSync(root.path(RECORD)));
      // And an image without git: the summary says so before the fetch fails.
      assert.equal(root.run('mv /usr/bin/git /usr/bin/git.away').status, 0);
      let created: RunResult;
      try {
        created = runLifecycle(root, 'postCreateCommand', DEV, SHOP, [], { offline: true });
      } finally {
        root.run('mv /usr/bin/git.away /usr/bin/git');
      }
      assert.equal(created.status, 0, created.output);
      assert.match(
        created.stdout,
        /git is not installed in this container, .*add ghcr\.io\/devcontainers\/features\/git/,
      );
      assert.match(created.stdout, /the container starts either way/);
      assert.doesNotMatch(created.stdout, /enforces the org's managed settings/);
    });
  });
});
