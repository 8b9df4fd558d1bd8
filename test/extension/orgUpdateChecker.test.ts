import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fetchSources, readLockFile, type GitRunner, type SourceStatus } from '@claude-env/engine';
import type { LayerInfo } from '@claude-env/protocol';
import { OrgUpdateChecker } from '../../extension/src/orgUpdates/checker';
import { reviewText } from '../../extension/src/orgUpdates/reviewText';
import { gitLayerText } from '../../extension/src/views/gitLayerText';
import { isolatedEnv } from '../helpers/env';
import { gitTempFolder, OrgRepo, orgLayers, recordingGit, startGitDaemon, type GitDaemon } from '../helpers/gitRepos';
import { writeFile } from '../helpers/workspace';

/**
 * The editor's periodic check of the org layers, against a real bare repository served by `git daemon` on
 * loopback: a new commit is told once, a check with nothing new is one `git ls-remote`, Review lists the effective
 * change with the org file and line, Update moves the lock.
 */
describe('extension org layer update checker', function () {
  this.timeout(120_000);
  let root: string;
  let org: OrgRepo;
  let daemon: GitDaemon;
  let env: NodeJS.ProcessEnv;
  /** The git subcommands run, in order (the system git does the work). */
  let ran: string[];
  let git: GitRunner;

  beforeEach(async () => {
    root = gitTempFolder();
    org = new OrgRepo(root);
    daemon = await startGitDaemon(root);
    env = isolatedEnv(join(root, 'home'));
    ({ git, ran } = recordingGit(env));
  });
  afterEach(() => daemon.stop());

  async function project(extra = ''): Promise<string> {
    const workspace = join(root, 'app');
    const source = `source:\n  git: ${daemon.url('org.git')}\n  ref: main\n  path: claude-env\n`;
    writeFile(join(workspace, '.claude-env', 'project.yaml'), `version: 1\n${source}teams: [web]\n${extra}`);
    const fetched = await fetchSources({ workspace, env, git });
    assert.deepEqual(fetched.diagnostics, []);
    return workspace;
  }

  it('tells each new commit once, and a check with nothing new is one git ls-remote', async () => {
    const first = org.commit(orgLayers('model-a'));
    const workspace = await project();
    const checker = new OrgUpdateChecker({ git, env });
    ran.length = 0;
    const upToDate = await checker.check(workspace);
    assert.equal(upToDate.newCommits, undefined);
    assert.equal(upToDate.report.source?.tip, first);
    assert.deepEqual(ran, ['ls-remote']);

    org.commit(orgLayers('model-b'));
    const second = org.commit({ 'claude-env/teams/web.yaml': 'version: 1\nsettings:\n  env:\n    TEAM: web2\n' });
    const told = await checker.check(workspace);
    assert.equal(told.newCommits?.count, 2);
    assert.equal(told.newCommits?.source.tip, second);
    assert.equal(checker.status(workspace)?.behind, 2);

    ran.length = 0;
    const again = await checker.check(workspace);
    assert.equal(again.newCommits, undefined, 'the same commits are not told twice');
    assert.equal(again.report.source?.behind, 2);
    assert.deepEqual(ran, ['ls-remote'], 'a tip already counted is not fetched again');

    org.commit(orgLayers('model-c'));
    const third = await checker.check(workspace);
    assert.equal(third.newCommits?.count, 3, 'a newer commit is told again, with the whole count');
  });

  it('reviews the effective change with org file and line and conflicts, then updates the lock', async () => {
    const first = org.commit(orgLayers('model-a'));
    const workspace = await project('settings:\n  model: project-model\n');
    const checker = new OrgUpdateChecker({ git, env });
    const newer = org.commit({
      ...orgLayers('model-b'),
      'claude-env/base.yaml':
        'version: 1\nsettings:\n  model: model-b\n  cleanupPeriodDays: 9\n' +
        '  env:\n    API_TOKEN: ghp_abcdefghijklmnopqrstuvwxyz0123456789\n',
    });
    assert.equal((await checker.check(workspace)).newCommits?.count, 1);

    const review = await checker.review(workspace);
    const lockBefore = readFileSync(join(workspace, '.claude-env', 'lock.yaml'), 'utf8');
    assert.equal(review.lockWritten, false);
    const text = reviewText(review);
    assert.match(
      text,
      new RegExp(
        `source: git://127\\.0\\.0\\.1:\\d+/org\\.git main [0-9a-f]{12} → ${newer.slice(0, 12)} \\(1 new commit\\)`,
      ),
    );
    assert.match(
      text,
      new RegExp(`\\+ settings\\.cleanupPeriodDays = 9  \\(base claude-env/base\\.yaml:4 @ ${newer.slice(0, 12)}\\)`),
    );
    assert.match(
      text,
      new RegExp(
        '- settings\\.permissions \\(was \\{"deny":\\["Bash\\(curl:\\*\\)"\\]\\}\\)  ' +
          `\\(base claude-env/base\\.yaml:4 @ ${first.slice(0, 12)}\\)`,
      ),
    );
    assert.match(
      text,
      /\+ settings\.env\.API_TOKEN = "•••••• \(literal credential hidden\)"  \(base claude-env\/base\.yaml:6 @/,
    );
    assert.doesNotMatch(text, /ghp_/);
    assert.match(text, /Conflicts \(1\):/);
    assert.match(text, new RegExp(`org: +base claude-env/base\\.yaml:3 @ ${newer.slice(0, 12)}`));
    assert.match(text, /wins: +project \.claude-env\/project\.yaml:8/);

    const updated = await checker.update(workspace);
    assert.equal(updated.lockWritten, true);
    assert.notEqual(readFileSync(join(workspace, '.claude-env', 'lock.yaml'), 'utf8'), lockBefore);
    assert.equal(readLockFile(workspace).sources[0]?.commit, newer);
    assert.equal(checker.status(workspace)?.behind, 0);
    const after = await checker.check(workspace);
    assert.equal(after.newCommits, undefined);
    assert.equal(after.report.source?.behind, 0);
  });

  it('says when the repository cannot be reached, and tells nothing', async () => {
    org.commit(orgLayers());
    const workspace = await project();
    const checker = new OrgUpdateChecker({ git, env });
    await daemon.stop();
    const result = await checker.check(workspace);
    assert.equal(result.report.unreachable, true);
    assert.equal(result.newCommits, undefined);
    assert.match(result.report.diagnostics[0]?.message ?? '', /Could not fetch git:\/\/127\.0\.0\.1/);
  });
});

describe('Layers view text of an org layer from a git source', () => {
  const commit = 'a'.repeat(12) + 'b'.repeat(28);
  const layer: LayerInfo = {
    kind: 'base',
    label: 'base',
    file: '/cache/checkouts/x/base.yaml',
    state: 'ok',
    openInEditor: false,
    problems: { errors: 0, warnings: 0, infos: 0, hints: 0 },
    gitSource: { url: 'git://127.0.0.1/org.git', ref: 'v3', commit },
  };
  const status = (fields: Partial<SourceStatus>): SourceStatus => ({
    name: 'source',
    url: 'git://127.0.0.1/org.git',
    ref: 'v3',
    locked: commit,
    tip: 'c'.repeat(40),
    behind: 0,
    rewritten: false,
    ...fields,
  });

  it('names the commit and ref, then what the last check found for that commit', () => {
    assert.equal(gitLayerText({ ...layer, gitSource: undefined }, undefined), undefined);
    assert.equal(gitLayerText(layer, undefined), 'aaaaaaaaaaaa v3');
    assert.equal(gitLayerText(layer, status({ behind: 2 })), 'aaaaaaaaaaaa v3, 2 behind');
    assert.equal(gitLayerText(layer, status({ tip: commit })), 'aaaaaaaaaaaa v3, up to date');
    assert.equal(gitLayerText(layer, status({ rewritten: true })), 'aaaaaaaaaaaa v3, history rewritten');
    // A check of another locked commit (before Update moved the lock) is not shown against this one.
    assert.equal(gitLayerText(layer, status({ locked: 'd'.repeat(40), behind: 5 })), 'aaaaaaaaaaaa v3');
  });
});
