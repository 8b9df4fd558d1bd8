/**
 * The real claude-env language server over stdio with a real LSP client, opened on the organisation and workspace
 * most LSP tests start from: an org base with a lock and a deny list, a team, a project that uses both, and a
 * local layer. Tests override single files to set up their case. `lspSession` is the suite preamble: the timeout,
 * and the server stopped and its folders removed after each test (or after the suite).
 */
import { yaml } from './carets';
import { withoutClaudeEnv } from './env';
import { LspClient } from './lspClient';
import { markedTree, tempTree, type MarkedTree } from './workspace';

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
  const configHome = tempTree({}, 'claude-env-lsp-config-');
  const env: NodeJS.ProcessEnv = { ...withoutClaudeEnv(), XDG_CONFIG_HOME: configHome.root, ...extraEnv };
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
      configHome.dispose();
    },
  };
}

/** The servers a suite starts, stopped by the suite's hooks; `client` and `tree` are those of the last started. */
export interface LspSession {
  /** Starts a server on `orgFiles(overrides)`; it is stopped after the test (or the suite, see `lspSession`). */
  start(...args: Parameters<typeof startOnOrg>): Promise<ServerFixture>;
  readonly client: LspClient;
  readonly tree: MarkedTree;
}

/**
 * Registers the LSP suite preamble on `suite` (pass mocha's `this` in `describe`): a timeout that covers the
 * server's start, and hooks that stop every server started, after each test or, with `stopAfter: 'suite'`, once
 * after the suite (for suites that share one server).
 */
export function lspSession(suite: Mocha.Suite, options: { stopAfter?: 'test' | 'suite' } = {}): LspSession {
  suite.timeout(20_000);
  const running: ServerFixture[] = [];
  let current: ServerFixture | undefined;
  const stopAll = async () => {
    current = undefined;
    for (const fixture of running.splice(0)) await fixture.dispose();
  };
  if (options.stopAfter === 'suite') suite.afterAll(stopAll);
  else suite.afterEach(stopAll);
  const started = (): ServerFixture => {
    if (!current) throw new Error('no language server started in this test: call session.start() first');
    return current;
  };
  return {
    async start(...args) {
      const fixture = await startOnOrg(...args);
      running.push(fixture);
      current = fixture;
      return fixture;
    },
    get client() {
      return started().client;
    },
    get tree() {
      return started().tree;
    },
  };
}
