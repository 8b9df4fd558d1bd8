import { strict as assert } from 'node:assert';
import { LayerCache } from '../../cli/src/layerCache';
import { tempTree, type TempTree } from '../helpers/workspace';

const layer = (servers: string[]) =>
  JSON.stringify({
    version: 1,
    mcpServers: Object.fromEntries(servers.map((name) => [name, { command: 'node', args: [`${name}.js`] }])),
  });

/** The gateway daemon's layer loads: one per burst of sessions, a fresh one after an edit. */
describe('gateway layer cache', () => {
  let tree: TempTree;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    tree = tempTree({ '.claude-env/project.yaml': layer(['alpha']) });
    env = { HOME: tree.path('home'), XDG_CONFIG_HOME: tree.path('config'), PATH: process.env.PATH };
  });

  afterEach(() => tree.dispose());

  it('loads the layers once for a burst of sessions of one workspace', () => {
    const cache = new LayerCache(env);
    const loaded = Array.from({ length: 20 }, () => cache.load(tree.root));
    assert.equal(cache.loads, 1);
    assert.ok(loaded.every((environment) => environment === loaded[0]));
    assert.deepEqual(
      loaded[0].servers.map((server) => server.name),
      ['alpha'],
    );
  });

  it('loads again when a layer file changed, so the next session sees the edit', () => {
    const cache = new LayerCache(env);
    cache.load(tree.root);
    tree.write('.claude-env/project.yaml', layer(['alpha', 'beta']));
    const edited = cache.load(tree.root);
    assert.equal(cache.loads, 2);
    assert.deepEqual(
      edited.servers.map((server) => server.name),
      ['alpha', 'beta'],
    );
  });

  it('loads again once the reuse window has passed, and keeps workspaces apart', () => {
    const cache = new LayerCache(env, 0);
    cache.load(tree.root);
    cache.load(tree.root);
    assert.equal(cache.loads, 2);
    const other = tempTree({ '.claude-env/project.yaml': layer(['gamma']) });
    try {
      const windowed = new LayerCache(env);
      windowed.load(tree.root);
      assert.deepEqual(
        windowed.load(other.root).servers.map((server) => server.name),
        ['gamma'],
      );
      assert.equal(windowed.loads, 2);
    } finally {
      other.dispose();
    }
  });
});
