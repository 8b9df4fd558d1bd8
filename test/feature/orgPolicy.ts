/**
 * The organisation's repository for the dev container policy tests: a base layer and a web team with deny rules,
 * a lock, the managed-only switch and server lists, what the feature must render from them, and a project that
 * draws them from git, pinned on the host the way a desktop pins it before committing.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/paths';

export const ORG_BASE = [
  'version: 1',
  'settings:',
  '  model: claude-sonnet-4-5',
  '  allowManagedPermissionRulesOnly: true',
  '  permissions:',
  '    defaultMode: default',
  '    deny:',
  '      - Bash(curl:*)',
  '      - Read(./.env)',
  'policy:',
  '  locked:',
  '    - settings.permissions.defaultMode',
  '  servers:',
  '    allowed: [everything, memory]',
  '    denied: [magic]',
  '',
].join('\n');

export const ORG_LAYERS: Record<string, string> = {
  'claude-env/base.yaml': ORG_BASE,
  'claude-env/teams/web.yaml': 'version: 1\nsettings:\n  permissions:\n    deny:\n      - Bash(rm -rf:*)\n',
};

/** What Claude Code must read from /etc/claude-code for the base layer and team web. */
export const EXPECTED_POLICY = {
  permissions: { defaultMode: 'default', deny: ['Bash(curl:*)', 'Read(./.env)', 'Bash(rm -rf:*)'] },
  allowManagedPermissionRulesOnly: true,
  allowedMcpServers: [{ serverName: 'everything' }, { serverName: 'memory' }],
  deniedMcpServers: [{ serverName: 'magic' }],
};

/** A base layer whose managed-only setting is a secret: managed settings cannot hold it. */
export const SECRET_BASE = 'version: 1\nsettings:\n  forceLoginOrgUUID: ${secret:org-uuid}\n';

/** The project layer of a repository that draws the org layers from `url`. */
export function projectLayer(url: string): string {
  return [
    'version: 1',
    'source:',
    `  git: ${url}`,
    '  ref: main',
    '  path: claude-env',
    'teams: [web]',
    'settings:',
    '  env:',
    '    PROJECT_NAME: shop',
    'outputs:',
    '  claudeSettings: local',
    '',
  ].join('\n');
}

/**
 * Writes the project layer into `workspace` and pins it with the host's CLI in a cache of its own (as a developer
 * does on a desktop before committing .claude-env/lock.yaml), so the container starts with the lock and no cache.
 */
export function pinOnHost(workspace: string, url: string, scratch: string): void {
  mkdirSync(join(workspace, '.claude-env'), { recursive: true });
  writeFileSync(join(workspace, '.claude-env', 'project.yaml'), projectLayer(url));
  const pinned = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'fetch'], {
    cwd: workspace,
    env: { PATH: process.env.PATH ?? '', HOME: join(scratch, 'desktop-home') },
    encoding: 'utf8',
  });
  assert.equal(pinned.status, 0, pinned.stdout + pinned.stderr);
}
