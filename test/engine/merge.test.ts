import { strict as assert } from 'node:assert';
import { explainPath, mergeStack, parseLayer } from '@claude-env/engine';
import { environmentLayers } from '../../engine/src/envLayer';
import { mergeTexts } from '../helpers/stack';
import { positionOf } from '../helpers/carets';

describe('mergeStack', () => {
  it('merges maps deeply and lets a higher layer replace a scalar, remembering what it overrode', () => {
    const env = mergeTexts([
      { kind: 'base', text: 'settings:\n  model: sonnet\n  env: { A: "1" }\n' },
      { kind: 'project', text: 'settings:\n  model: opus\n  env: { B: "2" }\n' },
    ]);
    assert.deepEqual(env.value.settings, { model: 'opus', env: { A: '1', B: '2' } });
    const model = explainPath(env, 'settings.model')!;
    assert.equal(model.origin.kind, 'project');
    assert.deepEqual(model.origin.keyRange.start, { line: 1, character: 2 });
    assert.deepEqual(
      model.overridden.map((o) => [o.kind, o.value]),
      [['base', 'sonnet']],
    );
    assert.equal(explainPath(env, 'settings.env.A')!.origin.kind, 'base');
  });

  it("unions permission lists without duplicates, keeping first-seen order and each item's origin", () => {
    const env = mergeTexts([
      { kind: 'base', text: 'settings:\n  permissions:\n    allow: [a, b]\n' },
      { kind: 'team', text: 'settings:\n  permissions:\n    allow: [b, c]\n' },
      { kind: 'local', text: 'settings:\n  permissions:\n    allow: [a, d]\n' },
    ]);
    const allow = explainPath(env, 'settings.permissions.allow')!;
    assert.deepEqual(allow.value, ['a', 'b', 'c', 'd']);
    assert.deepEqual(
      allow.itemOrigins!.map((o) => o.kind),
      ['base', 'base', 'team', 'local'],
    );
  });

  it('replaces other arrays as the schema declares (server args)', () => {
    const env = mergeTexts([
      { kind: 'base', text: 'mcpServers:\n  s:\n    command: npx\n    args: [a, b]\n' },
      { kind: 'project', text: 'mcpServers:\n  s:\n    args: [c]\n' },
    ]);
    assert.deepEqual((env.value.mcpServers.s as { args: string[] }).args, ['c']);
    assert.deepEqual(explainPath(env, 'mcpServers.s.args')!.overridden[0].value, ['a', 'b']);
  });

  it('deletes an inherited key with $delete and records who deleted it', () => {
    const env = mergeTexts([
      { kind: 'base', text: 'settings:\n  env: { A: "1", B: "2" }\n' },
      { kind: 'user', text: 'settings:\n  env:\n    A: { $delete: true }\n' },
    ]);
    assert.deepEqual(env.value.settings.env, { B: '2' });
    const deleted = explainPath(env, 'settings.env.A')!;
    assert.equal(deleted.deleted, true);
    assert.equal(deleted.origin.kind, 'user');
    assert.equal(deleted.overridden[0].value, '1');
  });

  it('re-adds a deleted key in a higher layer', () => {
    const env = mergeTexts([
      { kind: 'base', text: 'settings:\n  env: { A: "1" }\n' },
      { kind: 'project', text: 'settings:\n  env:\n    A: { $delete: true }\n' },
      { kind: 'local', text: 'settings:\n  env:\n    A: "3"\n' },
    ]);
    assert.deepEqual(env.value.settings.env, { A: '3' });
    assert.deepEqual(
      explainPath(env, 'settings.env.A')!.overridden.map((o) => o.kind),
      ['project', 'base'],
    );
  });

  it('replaces a map wholesale with $replace instead of merging', () => {
    const env = mergeTexts([
      { kind: 'base', text: 'settings:\n  env: { A: "1", B: "2" }\n' },
      { kind: 'project', text: 'settings:\n  env:\n    $replace: { C: "3" }\n' },
    ]);
    assert.deepEqual(env.value.settings.env, { C: '3' });
  });

  it('warns when $delete has nothing to delete', () => {
    const text = 'settings:\n  model: { $delete: true }\n';
    const env = mergeTexts([{ kind: 'project', text }]);
    const [warning] = env.diagnostics;
    assert.equal(warning.code, 'directive.nothingToDelete');
    assert.deepEqual(warning.range.start, positionOf(text, 'model'));
  });

  it('reports a type change across layers at the higher line, pointing at the lower one', () => {
    const text = 'settings:\n  env: plain\n';
    const env = mergeTexts([
      { kind: 'base', text: 'settings:\n  env: { A: "1" }\n' },
      { kind: 'user', text },
    ]);
    const error = env.diagnostics.find((d) => d.code === 'merge.typeChange')!;
    assert.deepEqual(error.range.start, positionOf(text, 'env'));
    assert.equal(error.related![0].file, '/org/base-0.yaml');
  });

  it('reports two team files that disagree, on both lines, unless a higher layer decides', () => {
    const teams = [
      { kind: 'team' as const, label: 'team web', text: 'settings:\n  model: opus\n' },
      { kind: 'team' as const, label: 'team data', text: 'settings:\n  model: sonnet\n' },
    ];
    const undecided = mergeTexts(teams);
    const conflicts = undecided.diagnostics.filter((d) => d.code === 'merge.conflict');
    assert.equal(conflicts.length, 2);
    assert.deepEqual(new Set(conflicts.map((c) => c.file)), new Set(['/org/team-web-0.yaml', '/org/team-data-1.yaml']));
    assert.match(conflicts[0].message, /disagree on 'settings.model'/);
    const decided = mergeTexts([...teams, { kind: 'project', text: 'settings:\n  model: haiku\n' }]);
    assert.deepEqual(decided.diagnostics, []);
  });

  it('builds server definitions with transports, durations and defaults', () => {
    const env = mergeTexts([
      {
        kind: 'base',
        text:
          'mcpServers:\n  a:\n    command: npx\n' +
          '    supervision: { startupTimeout: 45s, pingInterval: 1500 }\n  b:\n' +
          '    url: https://example.test/mcp\n  c:\n    type: sse\n    url: https://example.test/sse\n',
      },
    ]);
    const [a, b, c] = env.servers;
    assert.deepEqual(
      [a.type, a.supervision.startupTimeoutMs, a.supervision.pingIntervalMs, a.supervision.restart],
      ['stdio', 45000, 1500, 'on-failure'],
    );
    assert.equal(b.type, 'http');
    assert.equal(c.type, 'sse');
    assert.equal(a.origin.kind, 'base');
  });

  it('reads layer values from CLAUDE_ENV_ variables, matching keys case-insensitively', () => {
    const base = parseLayer(
      '/org/base.yaml',
      'settings:\n  model: sonnet\n  includeCoAuthoredBy: true\nmcpServers:\n  seq-think:\n    command: npx\n',
      'base',
      'base',
    );
    const env = environmentLayers(
      {
        CLAUDE_ENV_SETTINGS__MODEL: 'opus',
        CLAUDE_ENV_SETTINGS__INCLUDECOAUTHOREDBY: 'false',
        CLAUDE_ENV_MCPSERVERS__SEQ_THINK__ARGS: '[-y, x]',
        UNRELATED: '1',
      },
      [base],
    );
    const merged = mergeStack({ workspace: '/ws', layers: [base, ...env], diagnostics: [] });
    assert.deepEqual(merged.value.settings, { model: 'opus', includeCoAuthoredBy: false });
    assert.deepEqual((merged.value.mcpServers['seq-think'] as { args: string[] }).args, ['-y', 'x']);
    assert.equal(explainPath(merged, 'settings.model')!.origin.file, 'env:CLAUDE_ENV_SETTINGS__MODEL');
  });
});

describe('mergeStack with hostile keys', () => {
  it('keeps a __proto__ key as data and never touches Object.prototype', () => {
    const env = mergeTexts([{ kind: 'project', text: 'settings:\n  env:\n    __proto__: { polluted: "yes" }\n' }]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.ok(Object.prototype.hasOwnProperty.call(env.value.settings.env, '__proto__'));
  });
});
