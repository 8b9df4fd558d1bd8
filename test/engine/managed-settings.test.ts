import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { renderManagedSettings, writeManagedSettings } from '@claude-env/engine';
import { yaml } from '../helpers/carets';
import { mergeTexts } from '../helpers/stack';
import { tempFolder } from '../helpers/workspace';

const BASE = yaml`
  version: 1
  settings:
    model: claude-sonnet-4-5
    cleanupPeriodDays: 30
    allowManagedPermissionRulesOnly: true
    permissions:
      defaultMode: default
      deny: [Bash(curl:*), Read(./.env)]
  mcpServers:
    context7: { command: npx, args: [context7] }
    github-read: { command: npx, args: [gh] }
  policy:
    locked: [settings.permissions.defaultMode, settings.cleanupPeriodDays, mcpServers.context7]
    servers:
      allowed: [context7, "github-*"]
      denied: [magic]
`;
const TEAM = yaml`
  version: 1
  settings:
    permissions:
      deny: [Bash(rm -rf:*)]
`;
const PROJECT = yaml`
  version: 1
  settings:
    model: claude-opus-4-1
    permissions:
      deny: [Read(./project-only)]
`;

describe('managed settings', () => {
  const environment = () =>
    mergeTexts([
      { kind: 'base', text: BASE },
      { kind: 'team', text: TEAM, label: 'team web' },
      { kind: 'project', text: PROJECT },
    ]);

  it('renders the deny rules, locked settings, server lists and managed-only keys of base and team only', () => {
    const { settings, warnings } = renderManagedSettings(environment());
    assert.deepEqual(settings, {
      permissions: { defaultMode: 'default', deny: ['Bash(curl:*)', 'Read(./.env)', 'Bash(rm -rf:*)'] },
      cleanupPeriodDays: 30,
      allowManagedPermissionRulesOnly: true,
      allowedMcpServers: [{ serverName: 'context7' }, { serverName: 'github-read' }],
      deniedMcpServers: [{ serverName: 'magic' }],
    });
    assert.ok(warnings.some((warning) => /mcpServers\.context7 is enforced by claude-env only/.test(warning)));
    assert.ok(warnings.some((warning) => /'github-\*' is written as the servers of this stack/.test(warning)));
  });

  it('leaves out every managed value that holds a reference, names it, and never resolves it into the file', () => {
    const base = yaml`
      version: 1
      settings:
        forceLoginOrgUUID: \${secret:org-uuid}
        companyAnnouncements: [Welcome]
        env:
          TOKEN: \${env:TOKEN}
        permissions:
          deny: ['Bash(curl \${env:HOST}:*)', Read(./.env)]
      policy:
        locked: [settings.env]
    `;
    const environment = mergeTexts([{ kind: 'base', text: base }]);
    assert.deepEqual(environment.diagnostics, []);
    const { settings, text, references, warnings } = renderManagedSettings(environment);
    assert.deepEqual(references, [
      "The deny rule 'Bash(curl ${env:HOST}:*)'",
      'settings.env',
      'settings.forceLoginOrgUUID',
    ]);
    assert.deepEqual(settings, { companyAnnouncements: ['Welcome'], permissions: { deny: ['Read(./.env)'] } });
    assert.doesNotMatch(text, /\$\{/);
    assert.equal(warnings.filter((warning) => /holds a reference/.test(warning)).length, 3);
  });

  it('renders a locked key named __proto__ as data and changes no prototype', () => {
    const base =
      'version: 1\nsettings:\n  __proto__:\n    polluted: 1\npolicy:\n  locked: [settings.__proto__.polluted]\n';
    const { settings } = renderManagedSettings(mergeTexts([{ kind: 'base', text: base }]));
    assert.deepEqual(Object.keys(settings), ['__proto__']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(settings, '__proto__')?.value, { polluted: 1 });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('writes the drop-in atomically and world-readable, or the single file, and leaves an identical one alone', async () => {
    const folder = tempFolder('claude-env-managed-');
    const first = await writeManagedSettings(environment(), folder);
    assert.equal(first.outcome, 'written');
    assert.equal(first.path, join(folder, 'managed-settings.d', '50-claude-env.json'));
    assert.deepEqual(JSON.parse(readFileSync(first.path, 'utf8')).deniedMcpServers, [{ serverName: 'magic' }]);
    assert.equal(statSync(first.path).mode & 0o044, 0o044);
    assert.equal((await writeManagedSettings(environment(), folder)).outcome, 'unchanged');
    const single = await writeManagedSettings(environment(), folder, { layout: 'file' });
    assert.equal(single.path, join(folder, 'managed-settings.json'));
    assert.equal(existsSync(single.path), true);
  });

  it('writes nothing when the stack has errors', async () => {
    const broken = mergeTexts([
      { kind: 'base', text: BASE },
      { kind: 'project', text: 'version: 1\nsettings:\n  cleanupPeriodDays: 7\n' },
    ]);
    const folder = tempFolder('claude-env-managed-');
    const report = await writeManagedSettings(broken, folder);
    assert.equal(report.outcome, 'blocked');
    assert.deepEqual(
      report.blockingErrors.map((d) => d.code),
      ['policy.lockedKey'],
    );
    assert.equal(existsSync(join(folder, 'managed-settings.d')), false);
  });

  it('warns at each project or local permission rule that Claude Code ignores under allowManagedPermissionRulesOnly', () => {
    const local = 'version: 1\nsettings:\n  permissions:\n    allow: [Bash(make:*)]\n';
    const env = mergeTexts([
      { kind: 'base', text: BASE },
      { kind: 'project', text: PROJECT },
      { kind: 'local', text: local },
    ]);
    const warnings = env.diagnostics.filter((d) => d.code === 'policy.managedOverrides');
    assert.deepEqual(
      warnings.map((d) => [d.file, d.range.start.line, d.severity]),
      [
        ['/org/project-1.yaml', 4, 'warning'],
        ['/org/local-2.yaml', 3, 'warning'],
      ],
    );
    assert.match(
      warnings[0].message,
      /Claude Code ignores this permission rule .* the base layer sets allowManagedPermissionRulesOnly/,
    );
    assert.deepEqual(
      warnings[0].related?.map((r) => [r.file, r.range.start.line]),
      [['/org/base-0.yaml', 4]],
    );
    const without = mergeTexts([
      { kind: 'base', text: TEAM },
      { kind: 'local', text: local },
    ]);
    assert.equal(without.diagnostics.filter((d) => d.code === 'policy.managedOverrides').length, 0);
  });
});
