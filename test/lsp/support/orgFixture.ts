/**
 * The organisation and workspace most LSP tests start from: an org base with a lock and a deny list, a team,
 * a project that uses both, and a local layer. Tests override single files to set up their case.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { yaml } from '../../helpers/carets';
import { withoutClaudeEnv } from '../../helpers/env';
import { LspClient } from './lspClient';
import { markedTree, type MarkedTree } from '../../helpers/workspace';

export const BASE = 'org/base.yaml';
export const TEAM = 'org/teams/web.yaml';
export const PROJECT = 'repo/.claude-env/project.yaml';
export const LOCAL = 'repo/.claude-env/local.yaml';

export function orgFiles(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    [BASE]: yaml`
      version: 1
      settings:
        model: claude-sonnet-4-5
        cleanupPeriodDays: 30
        permissions:
          defaultMode: default
          deny:
            - Read(./.env)
      mcpServers:
        context7:
          command: node
          args: ["-e", "0"]
      policy:
        locked:
          - settings.permissions.defaultMode
          - settings.cleanupPeriodDays
    `,
    [TEAM]: yaml`
      version: 1
      settings:
        model: claude-opus-4-1
        permissions:
          allow:
            - Bash(npm run test:*)
    `,
    [PROJECT]: yaml`
      version: 1
      source:
        path: ../../org
      teams: [web]
      settings:
        permissions:
          allow:
            - Bash(npm run build)
    `,
    [LOCAL]: yaml`
      version: 1
      settings:
        model: claude-haiku-4-5
    `,
    ...overrides,
  };
}

/** A running server over a built org + workspace, with the user layer pointed at an empty folder. */
export interface ServerFixture {
  tree: MarkedTree;
  client: LspClient;
  dispose(): Promise<void>;
}

export async function startOnOrg(
  overrides: Record<string, string> = {},
  extraEnv: NodeJS.ProcessEnv = {},
  initializationOptions: (tree: MarkedTree) => Record<string, unknown> = () => ({}),
): Promise<ServerFixture> {
  const tree = markedTree(orgFiles(overrides));
  const configHome = realpathSync(mkdtempSync(join(tmpdir(), 'claude-env-lsp-config-')));
  const env: NodeJS.ProcessEnv = { ...withoutClaudeEnv(), XDG_CONFIG_HOME: configHome, ...extraEnv };
  const client = await LspClient.start({
    folders: [tree.path('repo')],
    env,
    initializationOptions: { diagnosticsDelayMs: 20, ...initializationOptions(tree) },
  });
  return {
    tree,
    client,
    async dispose() {
      await client.stop();
      tree.dispose();
      rmSync(configHome, { recursive: true, force: true });
    },
  };
}
