import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { gatewayPaths, isAlive, queryDaemon, type FleetStatus, type GatewayPaths } from '@claude-env/mcp';
import { TEST_TAG_VAR, newTag, taggedProcesses, waitUntilGone } from '../helpers/mcp';
import { REPO_ROOT as ROOT } from '../helpers/paths';

export const SHIM = join(ROOT, 'dist/mcp-connect.js');
export const CLI = join(ROOT, 'dist/cli.js');

/** `node <bin>` of a server package in node_modules, as a layer would define it (absolute paths: offline). */
export function packageServer(bin: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { command: process.execPath, args: [join(ROOT, 'node_modules', bin)], ...extra };
}

export const EVERYTHING = {
  command: process.execPath,
  args: [join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'],
};
export const MEMORY_BIN = '@modelcontextprotocol/server-memory/dist/index.js';
export const THINKING_BIN = '@modelcontextprotocol/server-sequential-thinking/dist/index.js';

/**
 * A private world for one test file: its own runtime and state folders (so its own daemon), an empty user
 * config, and a workspace whose project layer the test writes. Every process started from it carries the tag.
 */
export class GatewayWorld {
  readonly root: string;
  readonly workspace: string;
  readonly env: Record<string, string>;
  readonly paths: GatewayPaths;
  private readonly clients: Client[] = [];

  constructor(
    readonly tag: string,
    options: { idleTimeout?: string } = {},
  ) {
    // Short: a Unix socket path must fit in 108 bytes.
    this.root = mkdtempSync('/tmp/ce-gw-');
    this.workspace = join(this.root, 'ws');
    for (const dir of ['run', 'state', 'config', 'home', 'ws/.claude-env'])
      mkdirSync(join(this.root, dir), { recursive: true });
    this.env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: join(this.root, 'home'),
      XDG_RUNTIME_DIR: join(this.root, 'run'),
      XDG_STATE_HOME: join(this.root, 'state'),
      XDG_CONFIG_HOME: join(this.root, 'config'),
      CLAUDE_ENV_GATEWAY_IDLE_TIMEOUT: options.idleTimeout ?? '2m',
      [TEST_TAG_VAR]: tag,
    };
    this.paths = gatewayPaths(this.env);
  }

  /** Writes the project layer (`mcpServers` as given, plus other top-level blocks) and, when given, an org base layer. */
  writeLayer(
    servers: Record<string, unknown>,
    rest: Record<string, unknown> = {},
    org?: Record<string, unknown>,
  ): void {
    const project: Record<string, unknown> = { version: 1, mcpServers: servers, ...rest };
    if (org) {
      mkdirSync(join(this.root, 'org'), { recursive: true });
      writeFileSync(join(this.root, 'org/base.yaml'), `${JSON.stringify({ version: 1, ...org }, null, 2)}\n`);
      project.source = { path: join(this.root, 'org') };
    }
    writeFileSync(join(this.workspace, '.claude-env/project.yaml'), `${JSON.stringify(project, null, 2)}\n`);
  }

  /** A Claude Code-shaped client: the SDK's client over the shim's stdio. */
  async connect(server: string, options: { workspace?: string; name?: string } = {}): Promise<Client> {
    const client = this.client(server, options);
    await client.connect(this.transport(server, options.workspace));
    return client;
  }

  client(server: string, options: { name?: string } = {}): Client {
    const client = new Client({ name: options.name ?? `test-${server}`, version: '1.0.0' }, { capabilities: {} });
    this.clients.push(client);
    return client;
  }

  transport(server: string, workspace = this.workspace): StdioClientTransport {
    return new StdioClientTransport({
      command: process.execPath,
      args: [SHIM, server, '--cwd', workspace],
      env: this.env,
      stderr: 'pipe',
    });
  }

  daemonPid(): number | undefined {
    try {
      return Number(readFileSync(this.paths.pid, 'utf8').trim());
    } catch {
      return undefined;
    }
  }

  async status(): Promise<FleetStatus> {
    const status = (await queryDaemon('status', this.paths)) as FleetStatus | undefined;
    if (!status) throw new Error('no gateway daemon answers');
    return status;
  }

  /** Closes every client, stops the daemon, and returns the tagged processes still alive (should be none). */
  async dispose(): Promise<number[]> {
    await Promise.all(this.clients.splice(0).map((client) => client.close().catch(() => undefined)));
    const pid = this.daemonPid();
    if (pid && isAlive(pid)) {
      await queryDaemon('stop', this.paths).catch(() => undefined);
      await waitUntilGone([pid], 10_000);
    }
    const left = await waitUntilGone(taggedProcesses(this.tag), 5_000);
    for (const stray of left) process.kill(stray, 'SIGKILL');
    rmSync(this.root, { recursive: true, force: true });
    return left;
  }
}

/**
 * A fresh `GatewayWorld` for each test of the calling suite, disposed after it with the check that no process of
 * the test outlived it. Call at the top of a `describe`; the returned function gives the current test's world.
 */
export function useGatewayWorld(options: { idleTimeout?: string } = {}): () => GatewayWorld {
  let world: GatewayWorld | undefined;
  beforeEach(() => {
    world = new GatewayWorld(newTag(), options);
  });
  afterEach(async () => {
    const ended = world;
    world = undefined;
    if (ended) assert.deepEqual(await ended.dispose(), [], 'no process of the test may outlive it');
  });
  return () => {
    if (!world) throw new Error('useGatewayWorld: no test is running');
    return world;
  };
}

/** Text of a tool result's first content block. */
export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((block) => block.text ?? '').join('\n');
}
