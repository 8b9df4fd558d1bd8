import { strict as assert } from 'node:assert';
import { effectivePaths, explainSetting, loadWorkspace, type EffectiveEnvironment } from '@claude-env/engine';
import { tempTree, type TempTree } from '../helpers/workspace';

describe('explainSetting', () => {
  let tree: TempTree;
  let environment: EffectiveEnvironment;
  before(() => {
    tree = tempTree({
      'org/base.yaml':
        'version: 1\nsettings:\n  model: sonnet\n  includeCoAuthoredBy: true\n  permissions:\n    deny: ["Read(./.env)"]\n',
      'repo/.claude-env/project.yaml':
        'version: 1\nsource:\n  path: ../../org\nsettings:\n  model: opus\n  permissions:\n' +
        '    deny: ["Read(./secrets/**)"]\nmcpServers:\n  my.server:\n    command: run\n',
      'repo/.claude-env/local.yaml': 'version: 1\nsettings:\n  includeCoAuthoredBy: { $delete: true }\n',
    });
    environment = loadWorkspace({
      workspace: tree.path('repo'),
      env: { HOME: tree.path('home'), XDG_CONFIG_HOME: tree.path('home/.config') },
    });
  });
  after(() => tree.dispose());

  it('gives the winning value, the layer that wrote it and the write it overrode', () => {
    const explanation = explainSetting(environment, ' settings.model ');
    assert.ok(explanation.found);
    assert.equal(explanation.path, 'settings.model');
    assert.deepEqual(explanation.keys, ['settings', 'model']);
    assert.equal(explanation.value, 'opus');
    assert.equal(explanation.winner.kind, 'project');
    assert.equal(explanation.winner.file, tree.path('repo/.claude-env/project.yaml'));
    assert.equal(explanation.winner.keyRange.start.line, 4);
    assert.deepEqual(
      explanation.overridden.map((origin) => [origin.kind, origin.value]),
      [['base', 'sonnet']],
    );
  });

  it('gives each item of a unioned list with the layer that contributed it', () => {
    const explanation = explainSetting(environment, 'settings.permissions.deny');
    assert.ok(explanation.found);
    assert.deepEqual(
      explanation.items?.map((item) => [item.value, item.origin.kind]),
      [
        ['Read(./.env)', 'base'],
        ['Read(./secrets/**)', 'project'],
      ],
    );
  });

  it('matches a key that contains dots as a whole, and reports a deleted key as deleted', () => {
    const server = explainSetting(environment, 'mcpServers.my.server.command');
    assert.ok(server.found);
    assert.deepEqual(server.keys, ['mcpServers', 'my.server', 'command']);
    const deleted = explainSetting(environment, 'settings.includeCoAuthoredBy');
    assert.ok(deleted.found);
    assert.equal(deleted.deleted, true);
    assert.equal(deleted.value, undefined);
    assert.equal(deleted.winner.kind, 'local');
  });

  it('answers a path without a value with what its deepest existing prefix holds', () => {
    const missing = explainSetting(environment, 'settings.permissions.nope');
    assert.equal(missing.found, false);
    assert.deepEqual(missing.found ? [] : missing.nearby, ['settings.permissions.deny']);
    const nowhere = explainSetting(environment, 'nothing');
    assert.deepEqual(nowhere.found ? [] : nowhere.nearby, ['settings', 'mcpServers']);
  });

  it('lists every path that holds a value, leaving deleted keys out', () => {
    const paths = effectivePaths(environment);
    assert.ok(paths.includes('settings.model') && paths.includes('mcpServers.my.server.command'));
    assert.equal(paths.includes('settings.includeCoAuthoredBy'), false);
  });
});
