import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEnvironment } from '@claude-env/engine';
import { fetchSources } from '../../engine/src/workspace/gitSources';
import { systemGit } from '../../engine/src/gitSources/runner';
import { checkoutDir } from '../../engine/src/gitSources/cache';
import { readLockFile } from '../../engine/src/gitSources/lockFile';
import { positionOf } from '../helpers/carets';
import { writeFile } from '../helpers/workspace';
import { gitTempFolder, OrgRepo, orgLayers } from '../helpers/gitRepos';

/** A project drawing its org layers from `url` at `ref`, with its own folder and a cache folder. */
function project(root: string, name: string, source: string): { workspace: string; text: string } {
  const workspace = join(root, name);
  const text = `version: 1\nsource:\n${source}teams: [web]\n`;
  writeFile(join(workspace, '.claude-env', 'project.yaml'), text);
  return { workspace, text };
}

const gitSource = (url: string, ref: string, path = 'claude-env') => `  git: ${url}\n  ref: ${ref}\n  path: ${path}\n`;

describe('git sources: fetch, lock and offline use', function () {
  this.timeout(120_000);
  let root: string;
  let org: OrgRepo;
  let env: NodeJS.ProcessEnv;
  const git = systemGit();

  beforeEach(() => {
    root = gitTempFolder();
    org = new OrgRepo(root);
    env = { HOME: join(root, 'home'), XDG_CACHE_HOME: join(root, 'cache'), XDG_CONFIG_HOME: join(root, 'config') };
  });

  it('pins a tag in the lock and reads base and team from the read-only checkout', async () => {
    const commit = org.commit(orgLayers());
    org.tag('v1');
    const { workspace } = project(root, 'app', gitSource(org.bare, 'v1'));
    const report = await fetchSources({ workspace, env, git });
    assert.deepEqual(report.diagnostics, []);
    assert.equal(report.sources[0].action, 'locked');
    assert.equal(report.sources[0].commit, commit);
    const [locked] = readLockFile(workspace).sources;
    assert.deepEqual(
      { git: locked.git, ref: locked.ref, path: locked.path, commit: locked.commit },
      { git: org.bare, ref: 'v1', path: 'claude-env', commit },
    );
    assert.match(locked.content, /^sha256:[0-9a-f]{64}$/);
    const environment = loadEnvironment(workspace, { env });
    assert.deepEqual(environment.diagnostics, []);
    assert.equal(environment.value.settings.model, 'claude-sonnet-4-5');
    assert.equal((environment.value.settings.env as Record<string, string>).TEAM, 'web');
    const dir = checkoutDir(join(root, 'cache', 'claude-env', 'git'), commit, 'claude-env');
    assert.equal(environment.stack.layers[0].file, join(dir, 'base.yaml'));
    assert.equal(statSync(join(dir, 'base.yaml')).mode & 0o222, 0, 'the checked-out files are read-only');
    assert.equal(statSync(dir).mode & 0o222, 0, 'the checkout folder is read-only');
  });

  it('keeps working offline from the cache, and fetch then needs no repository', async () => {
    org.commit(orgLayers());
    const { workspace } = project(root, 'app', gitSource(org.bare, 'main'));
    await fetchSources({ workspace, env, git });
    renameSync(org.bare, `${org.bare}.away`);
    assert.deepEqual(loadEnvironment(workspace, { env }).diagnostics, []);
    const again = await fetchSources({ workspace, env, git });
    assert.deepEqual(again.diagnostics, []);
    assert.equal(again.sources[0].action, 'cached');
    assert.equal(again.lockWritten, false);
  });

  it('reports a missing cache entry at the source, naming claude-env fetch, and fetch brings it back', async () => {
    org.commit(orgLayers());
    const { workspace, text } = project(root, 'app', gitSource(org.bare, 'main'));
    await fetchSources({ workspace, env, git });
    const otherCache = { ...env, XDG_CACHE_HOME: join(root, 'empty-cache') };
    const [missing] = loadEnvironment(workspace, { env: otherCache }).diagnostics;
    assert.equal(missing.code, 'stack.gitNotFetched');
    assert.equal(missing.file, join(workspace, '.claude-env', 'project.yaml'));
    assert.deepEqual(missing.range.start, positionOf(text, 'git:'));
    assert.match(missing.message, /not in the cache .* run 'claude-env fetch'/);
    const report = await fetchSources({ workspace, env: otherCache, git });
    assert.equal(report.sources[0].action, 'fetched');
    assert.deepEqual(loadEnvironment(workspace, { env: otherCache }).diagnostics, []);
  });

  it('says a source is not pinned yet, and that a lock made for another ref is stale', async () => {
    org.commit(orgLayers());
    org.tag('v1');
    const { workspace } = project(root, 'app', gitSource(org.bare, 'main'));
    assert.deepEqual(
      loadEnvironment(workspace, { env }).diagnostics.map((d) => d.code),
      ['stack.gitNotLocked'],
    );
    await fetchSources({ workspace, env, git });
    project(root, 'app', gitSource(org.bare, 'v1'));
    const [stale] = loadEnvironment(workspace, { env }).diagnostics;
    assert.equal(stale.code, 'stack.gitNotLocked');
    assert.match(stale.message, /pins .* \(ref main, path claude-env\), not .* \(ref v1, path claude-env\)/);
  });

  it('refuses a cache changed by hand, and fetch restores it', async () => {
    const commit = org.commit(orgLayers());
    const { workspace } = project(root, 'app', gitSource(org.bare, 'main'));
    await fetchSources({ workspace, env, git });
    const base = join(checkoutDir(join(root, 'cache', 'claude-env', 'git'), commit, 'claude-env'), 'base.yaml');
    // Read once first: this process has verified the checkout, and must still see the edit.
    assert.deepEqual(loadEnvironment(workspace, { env }).diagnostics, []);
    chmodSync(base, 0o644);
    writeFileSync(base, 'version: 1\nsettings:\n  model: tampered\n');
    const [tampered] = loadEnvironment(workspace, { env }).diagnostics;
    assert.equal(tampered.code, 'stack.gitContentMismatch');
    assert.match(tampered.message, /do not match the lock's content hash .* run 'claude-env fetch'/);
    const report = await fetchSources({ workspace, env, git });
    assert.equal(report.sources[0].action, 'repaired');
    const environment = loadEnvironment(workspace, { env });
    assert.deepEqual(environment.diagnostics, []);
    assert.equal(environment.value.settings.model, 'claude-sonnet-4-5');
  });

  it('refuses a locked commit that a force-push made unreachable from its branch', async () => {
    const first = org.commit(orgLayers('first'));
    org.commit(orgLayers('second'));
    const { workspace, text } = project(root, 'app', gitSource(org.bare, 'main'));
    await fetchSources({ workspace, env, git });
    org.rewrite(first, orgLayers('rewritten'));
    const coldCache = { ...env, XDG_CACHE_HOME: join(root, 'cold') };
    const report = await fetchSources({ workspace, env: coldCache, git });
    const [error] = report.diagnostics;
    assert.equal(error?.code, 'source.commitUnreachable');
    assert.deepEqual(error.range.start, positionOf(text, 'git:'));
    assert.match(error.message, /not reachable from branch main .*'claude-env update'/);
    assert.equal(report.lockWritten, false);
  });

  it('refuses a lock whose content hash was edited by hand', async () => {
    org.commit(orgLayers());
    const { workspace } = project(root, 'app', gitSource(org.bare, 'main'));
    await fetchSources({ workspace, env, git });
    const lockPath = join(workspace, '.claude-env', 'lock.yaml');
    writeFileSync(lockPath, readFileSync(lockPath, 'utf8').replace(/sha256:[0-9a-f]{4}/, 'sha256:0000'));
    const report = await fetchSources({ workspace, env: { ...env, XDG_CACHE_HOME: join(root, 'cold') }, git });
    assert.deepEqual(
      report.diagnostics.map((d) => d.code),
      ['source.contentMismatch'],
    );
  });

  it('reads a shallow clone as the source (an image that cloned the org repository with --depth 1)', async () => {
    org.commit(orgLayers());
    const commit = org.commit({ 'claude-env/base.yaml': 'version: 1\nsettings:\n  model: claude-opus-4-1\n' });
    const clone = join(root, 'shallow');
    execFileSync('git', ['clone', '--quiet', '--depth', '1', '--branch', 'main', `file://${org.bare}`, clone]);
    const { workspace } = project(root, 'app', gitSource(clone, 'main'));
    const report = await fetchSources({ workspace, env, git });
    assert.deepEqual(report.diagnostics, []);
    assert.equal(report.sources[0].commit, commit);
    const environment = loadEnvironment(workspace, { env });
    assert.deepEqual(environment.diagnostics, []);
    assert.equal(environment.value.settings.model, 'claude-opus-4-1');
  });

  it('names a ref the repository does not have', async () => {
    org.commit(orgLayers());
    const { workspace } = project(root, 'app', gitSource(org.bare, 'v9'));
    const report = await fetchSources({ workspace, env, git });
    assert.deepEqual(
      report.diagnostics.map((d) => d.code),
      ['source.refNotFound'],
    );
    assert.match(report.diagnostics[0].message, /has no branch, tag or commit 'v9'/);
    assert.equal(existsSync(join(workspace, '.claude-env', 'lock.yaml')), false);
  });

  it('pins a commit only when a branch or tag of the repository holds it', async () => {
    const first = org.commit(orgLayers('first'));
    org.commit(orgLayers('second'));
    const { workspace } = project(root, 'app', gitSource(org.bare, first.slice(0, 10)));
    assert.deepEqual((await fetchSources({ workspace, env, git })).diagnostics, []);
    const environment = loadEnvironment(workspace, { env });
    assert.deepEqual(environment.diagnostics, []);
    assert.equal(environment.value.settings.model, 'first');
  });

  it('with --frozen, never writes the lock and fails when it is missing or stale', async () => {
    org.commit(orgLayers());
    org.tag('v1');
    const { workspace } = project(root, 'app', gitSource(org.bare, 'main'));
    const missing = await fetchSources({ workspace, env, git, frozen: true });
    assert.deepEqual(
      missing.diagnostics.map((d) => d.code),
      ['source.lockStale'],
    );
    assert.equal(existsSync(join(workspace, '.claude-env', 'lock.yaml')), false);
    await fetchSources({ workspace, env, git });
    const before = readFileSync(join(workspace, '.claude-env', 'lock.yaml'), 'utf8');
    project(root, 'app', gitSource(org.bare, 'v1'));
    const stale = await fetchSources({ workspace, env, git, frozen: true });
    assert.deepEqual(
      stale.diagnostics.map((d) => d.code),
      ['source.lockStale'],
    );
    assert.equal(readFileSync(join(workspace, '.claude-env', 'lock.yaml'), 'utf8'), before);
    // A committed lock on a machine with an empty cache (CI, a new dev container): --frozen fetches the locked commit.
    project(root, 'app', gitSource(org.bare, 'main'));
    const cold = { ...env, XDG_CACHE_HOME: join(root, 'cold') };
    const fresh = await fetchSources({ workspace, env: cold, git, frozen: true });
    assert.deepEqual(fresh.diagnostics, []);
    assert.equal(fresh.sources[0].action, 'fetched');
    assert.equal(fresh.lockWritten, false);
    assert.deepEqual(loadEnvironment(workspace, { env: cold }).diagnostics, []);
  });

  it('shares one checkout between two projects, also when both fetch at once', async () => {
    const commit = org.commit(orgLayers());
    const one = project(root, 'one', gitSource(org.bare, 'main'));
    const two = project(root, 'two', `  git: git+unused\n`.replace('  git: git+unused\n', gitSource(org.bare, 'main')));
    const reports = await Promise.all([
      fetchSources({ workspace: one.workspace, env, git }),
      fetchSources({ workspace: two.workspace, env, git }),
    ]);
    assert.deepEqual(
      reports.flatMap((r) => r.diagnostics),
      [],
    );
    assert.equal(reports[0].sources[0].dir, reports[1].sources[0].dir);
    assert.equal(
      reports[0].sources[0].dir,
      checkoutDir(join(root, 'cache', 'claude-env', 'git'), commit, 'claude-env'),
    );
    for (const { workspace } of [one, two]) assert.deepEqual(loadEnvironment(workspace, { env }).diagnostics, []);
  });

  it('reads the git+<url>#<ref>:<folder> shorthand', async () => {
    org.commit(orgLayers('short'));
    org.tag('v2');
    const workspace = join(root, 'short');
    writeFile(join(workspace, '.claude-env', 'project.yaml'), `version: 1\nsource: git+${org.bare}#v2:claude-env\n`);
    assert.deepEqual((await fetchSources({ workspace, env, git })).diagnostics, []);
    const environment = loadEnvironment(workspace, { env });
    assert.deepEqual(environment.diagnostics, []);
    assert.equal(environment.value.settings.model, 'short');
  });

  it('refuses transports that run programs and sub-folders leaving the repository, at the value', () => {
    const text = 'version: 1\nsource:\n  git: "ext::sh -c touch% /tmp/pwned"\n  ref: main\n  path: ../outside\n';
    const workspace = join(root, 'hostile');
    writeFile(join(workspace, '.claude-env', 'project.yaml'), text);
    const diagnostics = loadEnvironment(workspace, { env }).diagnostics;
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['stack.gitSourceInvalid', 'stack.gitSourceInvalid'],
    );
    assert.deepEqual(diagnostics[0].range.start, positionOf(text, '"ext::'));
    assert.deepEqual(diagnostics[1].range.start, positionOf(text, '../outside'));
  });

  it('refuses a layer file in the repository that is a link leading out of it', async () => {
    org.commit({ 'claude-env/teams/web.yaml': 'version: 1\n' });
    symlinkSync('/etc/passwd', join(org.work, 'claude-env', 'base.yaml'));
    org.commit({});
    const { workspace } = project(root, 'app', gitSource(org.bare, 'main'));
    const report = await fetchSources({ workspace, env, git });
    assert.deepEqual(
      report.diagnostics.map((d) => d.code),
      ['source.unsafeFile'],
    );
    assert.match(report.diagnostics[0].message, /base\.yaml .* symbolic link/);
  });
});
