import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { fetchSources, findProjects, type GitRunner } from '@claude-env/engine';
import { OrgUpdateChecker, type TellMemory } from '../../extension/src/orgUpdates/checker';
import { notificationGroups } from '../../extension/src/orgUpdates/notificationGroups';
import { isolatedEnv } from '../helpers/env';
import { gitTempFolder, OrgRepo, orgLayers, recordingGit, startGitDaemon, type GitDaemon } from '../helpers/gitRepos';
import { writeFile } from '../helpers/workspace';

/**
 * The check over the projects of a monorepo opened at its root, against a real `git daemon` on loopback: nested
 * projects are found and checked, projects drawing the same source cost one `git ls-remote` per round and get one
 * notification, and Later is kept in a memory that outlives the checker (a window reload).
 */
describe('extension org layer update check over nested projects', function () {
  this.timeout(120_000);
  let root: string;
  let org: OrgRepo;
  let daemon: GitDaemon;
  let env: NodeJS.ProcessEnv;
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

  async function project(folder: string, repository = 'org.git'): Promise<string> {
    const source = `source:\n  git: ${daemon.url(repository)}\n  ref: main\n  path: claude-env\n`;
    writeFile(join(folder, '.claude-env', 'project.yaml'), `version: 1\n${source}teams: [web]\n`);
    const fetched = await fetchSources({ workspace: folder, env, git });
    assert.deepEqual(fetched.diagnostics, []);
    return folder;
  }

  /** A TellMemory as VS Code's workspace state keeps it: values outlive the checker that wrote them. */
  function memento(): TellMemory & { values: Map<string, unknown> } {
    const values = new Map<string, unknown>();
    return {
      values,
      get: (key) => values.get(key),
      update: async (key, value) => void (value === undefined ? values.delete(key) : values.set(key, value)),
    };
  }

  it('checks the nested projects of a monorepo with one git ls-remote per repository and ref', async () => {
    org.commit(orgLayers('model-a'));
    const monorepo = join(root, 'monorepo');
    const api = await project(join(monorepo, 'services', 'api'));
    const web = await project(join(monorepo, 'services', 'web'));
    const found = await findProjects(monorepo);
    assert.deepEqual(found.projects, [api, web]);

    const tip = org.commit(orgLayers('model-b'));
    const checker = new OrgUpdateChecker({ git, env });
    ran.length = 0;
    const results = await checker.checkAll(found.projects);
    assert.deepEqual(
      results.map((result) => [result.workspace, result.newCommits?.count]),
      [
        [api, 1],
        [web, 1],
      ],
    );
    assert.equal(ran.filter((command) => command === 'ls-remote').length, 1, `ran ${ran.join(' ')}`);
    assert.equal(checker.status(web)?.tip, tip);

    const labelled = found.projects.map((path) => ({ path, label: path.slice(monorepo.length + 1), isRoot: false }));
    const groups = notificationGroups(results, labelled);
    assert.deepEqual(
      groups.map((group) => [group.message, group.projects.map((member) => member.path)]),
      [['The org layers have 1 new commit in services/api, services/web', [api, web]]],
    );

    ran.length = 0;
    await checker.checkAll(found.projects);
    assert.deepEqual(ran, ['ls-remote'], 'the next round asks once again, and counts nothing it counted before');
  });

  it('keeps the commit told across a new checker (a window reload) until a newer commit arrives', async () => {
    org.commit(orgLayers('model-a'));
    const workspace = await project(join(root, 'app'));
    org.commit(orgLayers('model-b'));
    const memory = memento();
    const first = new OrgUpdateChecker({ git, env, memory });
    assert.equal((await first.check(workspace)).newCommits?.count, 1);

    // The person chose Later (nothing more to do) and reloaded the window.
    const reloaded = new OrgUpdateChecker({ git, env, memory });
    const again = await reloaded.check(workspace);
    assert.equal(again.newCommits, undefined, 'the same commit is not told after the reload');
    assert.equal(reloaded.status(workspace)?.behind, 1, 'and the Layers view still says 1 behind');

    const otherWindow = new OrgUpdateChecker({ git, env, memory: memento() });
    assert.equal((await otherWindow.check(workspace)).newCommits?.count, 1, 'the memory is what keeps it quiet');

    org.commit(orgLayers('model-c'));
    const newer = await new OrgUpdateChecker({ git, env, memory }).check(workspace);
    assert.equal(newer.newCommits?.count, 2, 'a newer commit is told, with the whole count');

    const updating = new OrgUpdateChecker({ git, env, memory });
    await updating.check(workspace);
    assert.equal(memory.values.size, 1);
    assert.equal((await updating.update(workspace)).lockWritten, true);
    assert.equal(memory.values.size, 0, 'an update forgets what was told');
  });

  it('asks each repository once when projects draw different sources, and names a root project not at all', async () => {
    org.commit(orgLayers('model-a'));
    const other = new OrgRepo(root, 'other.git');
    other.commit(orgLayers('model-x'));
    const monorepo = join(root, 'mono');
    const rootProject = await project(monorepo);
    const nested = await project(join(monorepo, 'tools'), 'other.git');
    org.commit(orgLayers('model-b'));
    const checker = new OrgUpdateChecker({ git, env });
    ran.length = 0;
    const results = await checker.checkAll([rootProject, nested]);
    assert.equal(ran.filter((command) => command === 'ls-remote').length, 2);
    const groups = notificationGroups(results, [
      { path: rootProject, label: 'mono', isRoot: true },
      { path: nested, label: 'tools', isRoot: false },
    ]);
    assert.deepEqual(
      groups.map((group) => group.message),
      ['The org layers have 1 new commit'],
    );
  });
});
