import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import { discoverStack, loadEnvironment, userConfigDir } from '@claude-env/engine';
import { positionOf } from '../helpers/carets';
import { tempTree, type TempTree } from '../helpers/workspace';

const project = (extra = '') => `version: 1\nsource:\n  path: ../../org\nteams: [web]\n${extra}`;

describe('discoverStack', () => {
  let tree: TempTree;
  afterEach(() => tree?.dispose());

  it('finds base, team, project, user, local and environment layers in priority order', () => {
    tree = tempTree({
      'ws/org/base.yaml': 'settings:\n  model: a\n',
      'ws/org/teams/web.yaml': 'settings:\n  model: b\n',
      'ws/app/.claude-env/project.yaml': project('settings:\n  model: c\n'),
      'xdg/claude-env/user.yaml': 'settings:\n  model: d\n',
      'ws/app/.claude-env/local.json': '{ "settings": { "model": "e" } }',
    });
    const env = { XDG_CONFIG_HOME: tree.path('xdg'), CLAUDE_ENV_SETTINGS__MODEL: 'f' };
    const stack = discoverStack(tree.path('ws/app'), { env });
    assert.deepEqual(
      stack.layers.map((l) => l.label),
      ['base', 'team web', 'project', 'user', 'local', 'environment'],
    );
    assert.deepEqual(stack.diagnostics, []);
    const merged = loadEnvironment(tree.path('ws/app'), { env });
    assert.equal(merged.value.settings.model, 'f');
  });

  it('honours XDG_CONFIG_HOME and falls back to ~/.config', () => {
    assert.equal(userConfigDir({ XDG_CONFIG_HOME: '/x' }), '/x/claude-env');
    assert.equal(userConfigDir({ HOME: '/home/u' }), '/home/u/.config/claude-env');
  });

  it('asks for init when there is no project layer, and still reads personal layers', () => {
    tree = tempTree({ 'ws/.claude-env/local.yaml': 'settings:\n  model: x\n' });
    const stack = discoverStack(tree.path('ws'), { env: {}, userConfigDir: tree.path('none') });
    assert.deepEqual(
      stack.diagnostics.map((d) => d.code),
      ['stack.noProject'],
    );
    assert.match(stack.diagnostics[0].message, /claude-env init/);
    assert.deepEqual(
      stack.layers.map((l) => l.kind),
      ['local'],
    );
  });

  it('reports a missing source folder at the path value', () => {
    tree = tempTree({ 'ws/app/.claude-env/project.yaml': project() });
    const stack = discoverStack(tree.path('ws/app'), { env: {}, userConfigDir: tree.path('none') });
    const [error] = stack.diagnostics;
    assert.equal(error.code, 'stack.sourceMissing');
    assert.deepEqual(error.range.start, positionOf(project(), '../../org'));
  });

  it('reports a missing team at its name, and a missing base at the source', () => {
    tree = tempTree({ 'ws/org/teams/other.yaml': '', 'ws/app/.claude-env/project.yaml': project() });
    const stack = discoverStack(tree.path('ws/app'), { env: {}, userConfigDir: tree.path('none') });
    assert.deepEqual(
      stack.diagnostics.map((d) => d.code),
      ['stack.baseMissing', 'stack.teamMissing'],
    );
    assert.deepEqual(stack.diagnostics[1].range.start, positionOf(project(), 'web'));
  });

  it('refuses a source that points at the project itself', () => {
    const text = 'source:\n  path: .\n';
    tree = tempTree({ 'ws/.claude-env/project.yaml': text, 'ws/.claude-env/base.yaml': 'settings: {}\n' });
    const stack = discoverStack(tree.path('ws'), { env: {}, userConfigDir: tree.path('none') });
    assert.deepEqual(
      stack.diagnostics.map((d) => d.code),
      ['stack.sourceCycle'],
    );
    assert.deepEqual(stack.diagnostics[0].range.start, positionOf(text, '.\n'));
  });

  it('asks to pin a git source that the lock does not name yet, at the source', () => {
    const text = 'source:\n  git: https://example.test/org.git\n  ref: v3\n';
    tree = tempTree({ 'ws/.claude-env/project.yaml': text });
    const stack = discoverStack(tree.path('ws'), { env: {}, userConfigDir: tree.path('none') });
    assert.deepEqual(
      stack.diagnostics.map((d) => d.code),
      ['stack.gitNotLocked'],
    );
    assert.deepEqual(stack.diagnostics[0].range.start, positionOf(text, 'git:'));
    assert.match(stack.diagnostics[0].message, /run 'claude-env fetch'/);
  });

  it('reports an unreadable layer file instead of crashing', () => {
    tree = tempTree({ 'ws/.claude-env/project.yaml': 'version: 1\n' });
    mkdirSync(tree.path('ws/.claude-env/local.yaml'));
    const env = loadEnvironment(tree.path('ws'), { env: {}, userConfigDir: tree.path('none') });
    const error = env.diagnostics.find((d) => d.code === 'stack.unreadable')!;
    assert.equal(error.file, tree.path('ws/.claude-env/local.yaml'));
    assert.match(error.message, /folder/);
  });

  it('takes the team selection from CLAUDE_ENV_TEAMS, and refuses names that are not plain', () => {
    tree = tempTree({
      'ws/org/base.yaml': '',
      'ws/org/teams/data.yaml': 'settings:\n  model: d\n',
      'ws/org/teams/web.yaml': 'settings:\n  model: w\n',
      'ws/app/.claude-env/project.yaml': project(),
    });
    const none = tree.path('none');
    assert.equal(
      loadEnvironment(tree.path('ws/app'), { env: { CLAUDE_ENV_TEAMS: ' data ' }, userConfigDir: none }).value.settings
        .model,
      'd',
    );
    assert.equal(
      loadEnvironment(tree.path('ws/app'), { env: { CLAUDE_ENV_TEAMS: '' }, userConfigDir: none }).value.settings.model,
      undefined,
    );
    const escaping = discoverStack(tree.path('ws/app'), {
      env: { CLAUDE_ENV_TEAMS: '../../app/.claude-env/project' },
      userConfigDir: none,
    });
    assert.deepEqual(
      escaping.diagnostics.map((d) => d.code),
      ['stack.teamInvalid'],
    );
  });

  it('uses the team selection given by the caller instead of the project list', () => {
    tree = tempTree({
      'ws/org/base.yaml': '',
      'ws/org/teams/data.yaml': 'settings:\n  model: d\n',
      'ws/app/.claude-env/project.yaml': project(),
    });
    const env = loadEnvironment(tree.path('ws/app'), { env: {}, userConfigDir: tree.path('none'), teams: ['data'] });
    assert.equal(env.value.settings.model, 'd');
  });
});
