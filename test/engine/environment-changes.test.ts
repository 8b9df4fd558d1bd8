import { strict as assert } from 'node:assert';
import { environmentChanges, updateConflicts } from '@claude-env/engine';
import { yaml } from '../helpers/carets';
import { mergeTexts } from '../helpers/stack';

const stack = (base: string, local = 'version: 1\n') =>
  mergeTexts([
    { kind: 'base', text: base, file: '/cache/checkouts/a/base.yaml' },
    { kind: 'local', text: local, file: '/ws/.claude-env/local.yaml' },
  ]);

describe('the change of the effective environment between two org versions', () => {
  it('names each setting and server added, removed or changed, with the line of the new write', () => {
    const before = stack(yaml`
      version: 1
      settings:
        model: a
        cleanupPeriodDays: 30
    `);
    const after = stack(yaml`
      version: 1
      settings:
        model: b
      mcpServers:
        memory: { command: npx, args: [server-memory] }
    `);
    const changes = environmentChanges(before, after).map((c) => [
      c.kind,
      c.path,
      c.before,
      c.after,
      c.origin.keyRange.start.line,
    ]);
    assert.deepEqual(changes, [
      ['changed', 'settings.model', 'a', 'b', 2],
      ['removed', 'settings.cleanupPeriodDays', 30, undefined, 3],
      ['added', 'mcpServers.memory', undefined, { command: 'npx', args: ['server-memory'] }, 4],
    ]);
  });

  it('never repeats a credential written in clear', () => {
    const token = 'sk-ant-api03-' + 'a1B2c3D4e5F6g7H8i9J0'.repeat(3);
    const before = stack('version: 1\nmcpServers:\n  x: { command: npx, env: { API_KEY: old } }\n');
    const after = stack(`version: 1\nmcpServers:\n  x: { command: npx, env: { API_KEY: ${token} } }\n`);
    const text = JSON.stringify(environmentChanges(before, after));
    assert.doesNotMatch(text, /a1B2c3D4/);
    assert.match(text, /literal credential hidden/);
  });

  it('names an org change that a higher layer overrides, with both writes', () => {
    const local = 'version: 1\nsettings:\n  model: mine\n';
    const [conflict] = updateConflicts(
      stack('version: 1\nsettings:\n  model: a\n', local),
      stack('version: 1\nsettings:\n  model: b\n', local),
    );
    assert.equal(conflict.kind, 'overridden');
    assert.equal(conflict.org?.file, '/cache/checkouts/a/base.yaml');
    assert.equal(conflict.winner?.file, '/ws/.claude-env/local.yaml');
    assert.match(
      conflict.message,
      /now set settings\.model to "b" \(was "a"\), but the local layer overrides it with "mine"/,
    );
  });

  it('names a new lock that refuses a local value', () => {
    const local = 'version: 1\nsettings:\n  cleanupPeriodDays: 7\n';
    const locked = 'version: 1\nsettings:\n  cleanupPeriodDays: 30\npolicy:\n  locked: [settings.cleanupPeriodDays]\n';
    const conflicts = updateConflicts(
      stack('version: 1\nsettings:\n  cleanupPeriodDays: 30\n', local),
      stack(locked, local),
    );
    const refused = conflicts.find((c) => c.kind === 'newlyRefused');
    assert.equal(refused?.diagnostic?.code, 'policy.lockedKey');
    assert.equal(refused?.diagnostic?.file, '/ws/.claude-env/local.yaml');
    assert.equal(refused?.diagnostic?.related?.[0].file, '/cache/checkouts/a/base.yaml');
  });
});
