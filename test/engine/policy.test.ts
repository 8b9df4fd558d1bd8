import { strict as assert } from 'node:assert';
import { explainPath } from '@claude-env/engine';
import { mergeTexts } from '../helpers/stack';
import { positionOf } from '../helpers/carets';

const base =
  'settings:\n  model: sonnet\n  permissions:\n    deny: [Read(.env)]\npolicy:\n  locked:\n    - settings.model\n';

describe('policy', () => {
  it("refuses a locked key overridden in the user layer, at the override's line, pointing at the lock", () => {
    const local = 'settings:\n  model: opus\n';
    const env = mergeTexts([
      { kind: 'base', text: base },
      { kind: 'local', text: local },
    ]);
    const [error] = env.diagnostics;
    assert.equal(error.code, 'policy.lockedKey');
    assert.equal(error.file, '/org/local-1.yaml');
    assert.deepEqual(error.range.start, positionOf(local, 'model'));
    assert.deepEqual(error.related![0].range.start, positionOf(base, 'settings.model'));
    assert.equal(env.value.settings.model, 'sonnet', 'the locked value stays in effect');
  });

  it('accepts a higher layer that repeats the locked value', () => {
    const env = mergeTexts([
      { kind: 'base', text: base },
      { kind: 'project', text: 'settings:\n  model: sonnet\n' },
    ]);
    assert.deepEqual(env.diagnostics, []);
  });

  it('refuses deleting or replacing a map that holds a locked key', () => {
    const text = 'settings:\n  $replace:\n    env: {}\n';
    const env = mergeTexts([
      { kind: 'base', text: base },
      { kind: 'project', text },
    ]);
    assert.ok(env.diagnostics.some((d) => d.code === 'policy.lockedKey'));
    assert.equal(env.value.settings.model, 'sonnet');
  });

  it("keeps a lower layer's deny rule that a higher layer tries to replace away, and says so at the replacing line", () => {
    const project = 'settings:\n  permissions:\n    deny:\n      $replace: [Bash(rm:*)]\n';
    const env = mergeTexts([
      { kind: 'base', text: base },
      { kind: 'project', text: project },
    ]);
    const error = env.diagnostics.find((d) => d.code === 'policy.denyRemoved')!;
    assert.deepEqual(error.range.start, positionOf(project, 'deny'));
    assert.deepEqual(error.related![0].range.start, positionOf(base, 'Read(.env)'));
    assert.deepEqual((env.value.settings.permissions as { deny: string[] }).deny, ['Bash(rm:*)', 'Read(.env)']);
    assert.equal(explainPath(env, 'settings.permissions.deny')!.itemOrigins![1].kind, 'base');
  });

  it('keeps deny rules when the whole permissions map is deleted', () => {
    const project = 'settings:\n  permissions: { $delete: true }\n';
    const env = mergeTexts([
      { kind: 'base', text: base },
      { kind: 'project', text: project },
    ]);
    assert.ok(env.diagnostics.some((d) => d.code === 'policy.denyRemoved'));
    assert.deepEqual(env.value.settings.permissions, { deny: ['Read(.env)'] });
  });

  it('blocks servers outside the allow-list, with an error at the project line that defines them', () => {
    const policy = 'policy:\n  servers:\n    allowed: [context7, "seq-*"]\n';
    const project =
      'mcpServers:\n  context7: { command: npx }\n  seq-thinking: { command: npx }\n  rogue: { command: npx }\n';
    const env = mergeTexts([
      { kind: 'base', text: policy },
      { kind: 'project', text: project },
    ]);
    const [error] = env.diagnostics;
    assert.equal(error.code, 'policy.serverNotAllowed');
    assert.deepEqual(error.range.start, positionOf(project, 'rogue'));
    assert.deepEqual(
      env.servers.map((s) => [s.name, Boolean(s.blockedReason)]),
      [
        ['context7', false],
        ['seq-thinking', false],
        ['rogue', true],
      ],
    );
  });

  it('lets a team narrow but not widen the org allow-list, and adds up deny-lists', () => {
    const env = mergeTexts([
      { kind: 'base', text: 'policy:\n  servers:\n    allowed: [a, b]\n    denied: ["*-beta"]\n' },
      { kind: 'team', text: 'policy:\n  servers:\n    allowed: [a, c]\n' },
      {
        kind: 'project',
        text: 'mcpServers:\n  a: { command: x }\n  b: { command: x }\n  c: { command: x }\n  a-beta: { command: x }\n',
      },
    ]);
    assert.deepEqual(
      env.servers.filter((s) => !s.blockedReason).map((s) => s.name),
      ['a'],
    );
    assert.match(env.servers.find((s) => s.name === 'a-beta')!.blockedReason!, /denied/);
  });

  it('ignores policy outside base and team, with a warning at the key', () => {
    const text = 'policy:\n  locked: [settings.model]\n';
    const env = mergeTexts([
      { kind: 'project', text },
      { kind: 'local', text: 'settings:\n  model: x\n' },
    ]);
    assert.deepEqual(
      env.diagnostics.map((d) => d.code),
      ['policy.notHonoured'],
    );
  });
});
