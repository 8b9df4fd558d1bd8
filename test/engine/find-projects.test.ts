import { strict as assert } from 'node:assert';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { findProjects as findProjectsAsync, findProjectsSync, type ProjectSearchLimits } from '@claude-env/engine';
import { tempTree, type TempTree } from '../helpers/workspace';

/**
 * The projects inside an opened folder (a monorepo): found a few levels down, breadth first; dependency, build and
 * hidden folders are skipped; links are never followed; depth, project and folder limits stop the search and say so.
 */
describe('engine findProjects', () => {
  const project = 'version: 1\n';
  /** Both forms, which must agree (the language server uses the synchronous one). */
  async function findProjects(folder: string, limits?: ProjectSearchLimits) {
    const found = await findProjectsAsync(folder, limits);
    assert.deepEqual(findProjectsSync(folder, limits), found, 'findProjectsSync agrees');
    return found;
  }
  let tree: TempTree;
  afterEach(() => tree.dispose());

  it('finds the folder itself and the projects below it, breadth first, skipping dependency and hidden folders', async () => {
    tree = tempTree({
      '.claude-env/project.yaml': project,
      'services/api/.claude-env/project.yaml': project,
      'services/web/.claude-env/project.yaml': project,
      'tools/.claude-env/project.yaml': project,
      'node_modules/pkg/.claude-env/project.yaml': project,
      '.git/modules/x/.claude-env/project.yaml': project,
      'dist/.claude-env/project.yaml': project,
      '.hidden/.claude-env/project.yaml': project,
      // A file named like the folder is not a project.
      'notes/.claude-env': 'not a folder\n',
    });
    const found = await findProjects(tree.root);
    assert.deepEqual(found.projects, [
      tree.root,
      tree.path('tools'),
      tree.path('services/api'),
      tree.path('services/web'),
    ]);
    assert.equal(found.truncated, false);
  });

  it('never follows a symbolic link: not to a folder outside, not as .claude-env', async () => {
    tree = tempTree({ 'repo/app/README.md': 'x\n', 'outside/secret/.claude-env/project.yaml': project });
    symlinkSync(tree.path('outside'), tree.path('repo/linked'));
    symlinkSync('/', tree.path('repo/root'));
    mkdirSync(tree.path('repo/app/elsewhere'));
    symlinkSync(tree.path('outside/secret/.claude-env'), tree.path('repo/app/.claude-env'));
    const found = await findProjects(tree.path('repo'));
    assert.deepEqual(found.projects, []);
    assert.equal(found.truncated, false);
  });

  it('stops at the depth, project and folder limits and says the list may be incomplete', async () => {
    tree = tempTree({
      'a/.claude-env/project.yaml': project,
      'a/b/.claude-env/project.yaml': project,
      'a/b/c/.claude-env/project.yaml': project,
      'a/b/c/d/.claude-env/project.yaml': project,
    });
    const all = await findProjects(tree.root, { maxDepth: 4 });
    assert.equal(all.projects.length, 4);
    assert.equal(all.truncated, false);

    const shallow = await findProjects(tree.root, { maxDepth: 2 });
    assert.deepEqual(shallow.projects, [tree.path('a'), tree.path('a/b')]);
    assert.equal(shallow.truncated, true);

    const few = await findProjects(tree.root, { maxDepth: 4, maxProjects: 1 });
    assert.deepEqual(few.projects, [tree.path('a')]);
    assert.equal(few.truncated, true);

    const wide = tempTree(Object.fromEntries([...Array(30).keys()].map((i) => [`p${i}/x/README.md`, 'x\n'])));
    try {
      const bounded = await findProjects(wide.root, { maxFolders: 10 });
      assert.equal(bounded.truncated, true);
      assert.deepEqual(bounded.projects, []);
    } finally {
      wide.dispose();
    }
  });

  it('answers for a folder that does not exist or cannot be read with no projects', async () => {
    tree = tempTree({});
    assert.deepEqual(await findProjects(join(tree.root, 'gone')), { projects: [], truncated: false });
  });
});
