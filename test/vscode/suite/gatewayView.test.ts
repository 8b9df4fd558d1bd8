/**
 * The MCP Servers view attached to the gateway daemon, inside the real VS Code: an external client (the MCP
 * SDK's client over the bundled shim, as Claude Code starts it) connects to the same per-user daemon the
 * extension attached to; the view shows its session by the client's name and its calls, and a Restart from the
 * view reaches that client as `notifications/tools/list_changed`. The run's daemon lives in a temp runtime folder
 * (see ../workspace.ts), never the developer's own. Waits are on events with deadlines, never on sleeps.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { gatewayPaths } from '@claude-env/mcp';
import type { McpSupervisionApi, McpViewRow } from '../../../extension/src/mcp';
import type { FleetEntry } from '../../../extension/src/mcp/fleet';
import { activeApi, extension, suiteMode, whenEvent, workspacePath } from './helpers';
import { useSupervisor } from './supervisorMode';

const TIMEOUT_MS = 60_000;

async function supervision(): Promise<McpSupervisionApi> {
  await activeApi();
  const api = await vscode.commands.executeCommand<McpSupervisionApi>('claudeEnv.mcp.supervision');
  await api.ready;
  return api;
}

function rowWhen(api: McpSupervisionApi, find: () => McpViewRow | undefined, what: string): Promise<McpViewRow> {
  return whenEvent(api.onDidChange, find, what, TIMEOUT_MS);
}

if (suiteMode() === 'trusted') {
  describe('MCP Servers view attached to the gateway daemon (trusted folder)', function () {
    this.timeout(180_000);
    const localLayer = () => workspacePath('.claude-env', 'local.yaml');
    let originalLocal = '';
    let external: Client | undefined;

    before(async () => {
      originalLocal = fs.readFileSync(localLayer(), 'utf8');
      const root = extension().extensionPath;
      const everything = path.join(
        root,
        'node_modules',
        '@modelcontextprotocol',
        'server-everything',
        'dist',
        'index.js',
      );
      fs.writeFileSync(
        localLayer(),
        `version: 1\nmcpServers:\n  everything:\n    command: ${JSON.stringify(process.execPath)}\n` +
          `    args: [${JSON.stringify(everything)}, stdio]\n`,
      );
      const api = await supervision();
      await useSupervisor(api, 'gateway');
      await whenEvent(
        api.onDidChange,
        () =>
          api.entries().find((entry) => entry.definition.name === 'everything')?.definition.command === process.execPath
            ? true
            : undefined,
        'the local layer to reach the view',
        TIMEOUT_MS,
      );
    });

    after(async () => {
      await external?.close();
      fs.writeFileSync(localLayer(), originalLocal);
      await vscode.commands.executeCommand('claudeEnv.mcp.stopAll');
    });

    it("shows an external client's session by its name, with its calls, and restarts it from the view", async () => {
      const api = await supervision();
      assert.equal(api.mode(), 'gateway');
      // The daemon of this run, not the developer's: the runtime folder is the run's temp folder.
      const paths = gatewayPaths(process.env);
      assert.ok(paths.socket.startsWith(os.tmpdir()), `the run's own gateway socket: ${paths.socket}`);

      external = new Client({ name: 'claude-code', version: '2.0.0' }, { capabilities: {} });
      const listChanged: number[] = [];
      let relisted: () => void = () => undefined;
      external.setNotificationHandler(ToolListChangedNotificationSchema, () => {
        listChanged.push(Date.now());
        relisted();
      });
      await external.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: [
            path.join(extension().extensionPath, 'dist', 'mcp-connect.js'),
            'everything',
            '--cwd',
            workspacePath(),
          ],
          env: process.env as Record<string, string>,
          stderr: 'ignore',
        }),
      );
      await external.callTool({ name: 'echo', arguments: { message: 'from outside the editor' } });

      const server = await rowWhen(
        api,
        () => api.rows().find((row) => row.label === 'everything' && row.description.startsWith('running')),
        'everything to run in the daemon',
      );
      assert.match(server.description, /running · 1 instance · 1 session · up /);
      assert.match(server.tooltip, /claude-code 2\.0\.0/);
      const instance = api.rows(server.element)[0];
      assert.match(instance.label, /^everything#\d+$/);
      assert.match(instance.description, /running · per session · pid \d+ · up /);
      const children = await rowWhen(
        api,
        () => {
          const rows = api.rows(api.rows(api.rows().find((row) => row.label === 'everything')?.element)[0]?.element);
          return rows.some((row) => row.label === 'echo') ? rows[0] : undefined;
        },
        'the external call to be shown',
      );
      assert.equal(children.label, 'claude-code 2.0.0', 'the session, by the client name of its initialize');
      const call = api
        .rows(api.rows(api.rows().find((row) => row.label === 'everything')?.element)[0]?.element)
        .find((row) => row.label === 'echo');
      assert.match(call?.description ?? '', / · ok · /);
      const pid = api.entries().find((entry) => entry.definition.name === 'everything')?.gateway?.instances[0]?.pid;

      const seen = new Promise<void>((resolve) => (relisted = resolve));
      const restarted = await vscode.commands.executeCommand<FleetEntry>('claudeEnv.mcp.restart', 'everything');
      await seen;
      assert.equal(listChanged.length >= 1, true, 'the external client was told to list its tools again');
      assert.equal(restarted?.gateway?.instances.length, 1, 'the restart acted on the external session’s instance');
      assert.notEqual(restarted.gateway.instances[0].pid, pid, 'a new process');
      const echo = await external.callTool({ name: 'echo', arguments: { message: 'still here' } });
      assert.match(JSON.stringify(echo), /Echo: still here/);
    });

    it('starts a server from the view as a VS Code session of its own, and stops every instance of it', async () => {
      assert.equal((await supervision()).mode(), 'gateway');
      const started = await vscode.commands.executeCommand<FleetEntry>('claudeEnv.mcp.start', 'everything');
      assert.equal(started?.state, 'running', started?.reason);
      const clients = started.gateway?.sessions.map((session) => session.client ?? '') ?? [];
      assert.ok(
        clients.some((client) => client.includes('(Claude Env)')),
        `an editor session among ${clients.join(', ')}`,
      );
      assert.ok((started.status?.catalog.tools.length ?? 0) > 0, 'the editor session listed the tools');
      const stopped = await vscode.commands.executeCommand<FleetEntry>('claudeEnv.mcp.stop', 'everything');
      assert.ok(
        stopped?.gateway?.instances.every((instance) => instance.state === 'stopped'),
        JSON.stringify(stopped?.gateway?.instances.map((instance) => instance.state)),
      );
      const refused = await external!.callTool({ name: 'echo', arguments: { message: 'x' } }).then(
        () => 'answered',
        (error: Error) => error.message,
      );
      assert.match(refused, /everything is stopped/);
    });

    it('Apply writes gateway entries that start the bundled shim by absolute path, and they reach the daemon', async () => {
      const original = fs.readFileSync(localLayer(), 'utf8');
      fs.writeFileSync(localLayer(), `${original}outputs:\n  mcpVia: gateway\n`);
      try {
        const applied = await vscode.commands.executeCommand<{ ok: boolean; lines: string[] }>('claudeEnv.apply', {
          folder: workspacePath(),
          onDrift: 'replace',
        });
        assert.equal(applied?.ok, true, applied?.lines.join('\n'));
        const written = JSON.parse(fs.readFileSync(workspacePath('.mcp.json'), 'utf8')) as {
          mcpServers: Record<string, { command: string; args: string[]; env: Record<string, string> }>;
        };
        const entry = written.mcpServers.everything;
        const shim = path.join(extension().extensionPath, 'dist', 'mcp-connect.js');
        assert.deepEqual(entry, {
          type: 'stdio',
          command: process.execPath,
          args: [shim, 'everything', '--cwd', workspacePath()],
          env: {},
        });
        // The written entry is a working server: a client started from it is one more session of the daemon.
        const client = new Client({ name: 'from-mcp-json', version: '1.0.0' }, { capabilities: {} });
        await client.connect(
          new StdioClientTransport({
            command: entry.command,
            args: entry.args,
            env: process.env as Record<string, string>,
            stderr: 'ignore',
          }),
        );
        try {
          await client.callTool({ name: 'echo', arguments: { message: 'from .mcp.json' } });
          const api = await supervision();
          await whenEvent(
            api.onDidChange,
            () =>
              api
                .entries()
                .find((candidate) => candidate.definition.name === 'everything')
                ?.gateway?.sessions.some((session) => session.client === 'from-mcp-json 1.0.0') || undefined,
            'the .mcp.json client to be shown',
            TIMEOUT_MS,
          );
        } finally {
          await client.close();
        }
      } finally {
        fs.writeFileSync(localLayer(), original);
      }
    });
  });
}
