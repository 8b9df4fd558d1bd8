/**
 * MCP supervision inside the real VS Code: the MCP Servers view over the example workspace, a real server
 * started and stopped from the editor (with no process left behind), a changed definition restarting a running
 * server, secrets from SecretStorage, policy and Workspace Trust. Waits are on the supervision API's change
 * event with a deadline, never on sleeps.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isRefusal } from '../../../extension/src/commands/registry';
import type { FleetEntry } from '../../../extension/src/mcp/fleet';
import type { McpSupervisionApi } from '../../../extension/src/mcp';
import { RUN_MARKER_VAR, UNTRUSTED_REASON, gatewayPaths } from '@claude-env/mcp';
import { activeApi, diagnosticsWhen, extension, suiteMode, whenEvent, workspacePath } from './helpers';
import { useSupervisor } from './supervisorMode';

const SERVER_TIMEOUT_MS = 45_000;

async function supervision(): Promise<McpSupervisionApi> {
  await activeApi();
  const api = await vscode.commands.executeCommand<McpSupervisionApi>('claudeEnv.mcp.supervision');
  assert.ok(api, 'the extension answers claudeEnv.mcp.supervision');
  await api.ready;
  return api;
}

function entryOf(api: McpSupervisionApi, name: string): FleetEntry | undefined {
  return api.entries().find((entry) => entry.definition.name === name);
}

/** Waits until the named server satisfies `accept`. */
function entryWhen(
  api: McpSupervisionApi,
  name: string,
  accept: (entry: FleetEntry) => boolean,
  what: string,
): Promise<FleetEntry> {
  return whenEvent(
    api.onDidChange,
    () => {
      const entry = entryOf(api, name);
      return entry && accept(entry) ? entry : undefined;
    },
    what,
    SERVER_TIMEOUT_MS,
  );
}

/** Pids of live processes whose environment holds `variable=value` (or just `variable=` as a prefix). */
function processesWith(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const state = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (state === 'Z' || state === 'X') continue;
      if (
        fs
          .readFileSync(`/proc/${entry}/environ`, 'latin1')
          .split('\0')
          .some((pair) => pair.startsWith(needle))
      )
        pids.push(Number(entry));
    } catch {
      // The process ended while we looked, or is not ours to read.
    }
  }
  return pids;
}

/** Whether `pid` descends from this extension host. */
function descendsFromHost(pid: number): boolean {
  let current = pid;
  for (let depth = 0; depth < 64 && current > 1; depth++) {
    if (current === process.pid) return true;
    try {
      current = Number(fs.readFileSync(`/proc/${current}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
    } catch {
      return false;
    }
  }
  return false;
}

if (suiteMode() === 'trusted') {
  // The in-process supervisor: its own copies of the servers, as children of this extension host, with their
  // logs and VS Code's SecretStorage. The gateway's view has its own suite (gatewayView.test.ts).
  describe('MCP Servers view, in-process supervisor (trusted folder)', function () {
    this.timeout(120_000);
    const localLayer = () => workspacePath('.claude-env', 'local.yaml');
    let originalLocal = '';
    const tag = randomUUID();
    const everythingBin = () =>
      path.join(
        extension().extensionPath,
        'node_modules',
        '@modelcontextprotocol',
        'server-everything',
        'dist',
        'index.js',
      );

    /**
     * A local layer (restored afterwards) that points `everything` at this Node and the installed package, so it
     * starts offline in about a second, tagged so that its processes can be found; `extra` adds server entries.
     */
    const writeLocalLayer = (tagValue: string, extra = '') =>
      fs.writeFileSync(
        localLayer(),
        `version: 1\nmcpServers:\n  everything:\n    command: ${JSON.stringify(process.execPath)}\n` +
          `    args: [${JSON.stringify(everythingBin())}, stdio]\n` +
          `    env:\n      CLAUDE_ENV_SUITE_TAG: ${JSON.stringify(tagValue)}\n${extra}`,
      );

    before(async () => {
      originalLocal = fs.readFileSync(localLayer(), 'utf8');
      await useSupervisor(await supervision(), 'inProcess');
    });

    after(async () => {
      fs.writeFileSync(localLayer(), originalLocal);
      await vscode.commands.executeCommand('claudeEnv.mcp.stopAll');
      await useSupervisor(await supervision(), 'gateway');
    });

    it('lists every effective server, a missing secret as unresolved, and goes to the line that defines it', async () => {
      const api = await supervision();
      assert.equal(api.workspace, workspacePath());
      const names = api
        .rows()
        .map((row) => row.label)
        .sort();
      assert.deepEqual(names, ['context7', 'everything', 'magic', 'playwright', 'sequential-thinking']);
      const magic = api.rows().find((row) => row.label === 'magic');
      assert.equal(magic?.contextValue, 'mcpServer.unresolved');
      assert.equal(magic?.icon, 'key');
      assert.match(magic?.description ?? '', /\$\{secret:magic-api-key\}.*Set Secret/);
      assert.match(magic?.tooltip ?? '', /team web layer: `web\.yaml:\d+`/);

      const opened = await vscode.commands.executeCommand<string>('claudeEnv.mcp.goToDefinition', 'magic');
      const editor = vscode.window.activeTextEditor;
      assert.equal(path.basename(opened ?? ''), 'web.yaml');
      assert.equal(editor?.document.lineAt(editor.selection.start.line).text.trim(), 'magic:');
    });

    it('auto-starts the servers marked autoStart, and only those', async () => {
      const api = await supervision();
      for (const name of ['context7', 'sequential-thinking']) {
        const entry = entryOf(api, name);
        assert.ok(entry && entry.state !== 'stopped', `${name} was started (now ${entry?.state}: ${entry?.reason})`);
      }
      assert.equal(entryOf(api, 'playwright')?.state, 'stopped');
      // The reference fleet comes through npx; stop it so the next tests have the machine to themselves.
      await vscode.commands.executeCommand('claudeEnv.mcp.stopAll');
      assert.ok(api.entries().every((entry) => ['stopped', 'unresolved', 'blocked'].includes(entry.state)));
    });

    it('starts a server from stopped to running, lists its tools, and stops it with no process left', async () => {
      const api = await supervision();
      writeLocalLayer(tag);
      await entryWhen(
        api,
        'everything',
        (entry) => entry.definition.command === process.execPath,
        'the local layer to reach the fleet',
      );
      assert.equal(entryOf(api, 'everything')?.state, 'stopped');

      const started = await vscode.commands.executeCommand<FleetEntry>('claudeEnv.mcp.start', 'everything');
      assert.equal(started?.state, 'running', `everything: ${started?.reason}`);
      const pid = started.status?.pid;
      assert.ok(
        pid && processesWith(`CLAUDE_ENV_SUITE_TAG=${tag}`).includes(pid),
        'the server process carries the layer env',
      );

      const row = api.rows().find((candidate) => candidate.label === 'everything');
      assert.match(row?.description ?? '', /^running · up .* · \d+ tools$/);
      assert.match(row?.tooltip ?? '', new RegExp(`pid ${pid}`));
      const sections = api.rows(row?.element);
      assert.ok(
        sections.some((section) => section.label === 'Tools'),
        'a Tools section',
      );
      const tools = api.rows(sections.find((section) => section.label === 'Tools')?.element);
      assert.ok(tools.length > 0 && tools.some((tool) => tool.description !== ''), 'tools with descriptions');
      assert.match(api.statusBar().text, /1\/\d+ MCP/);

      await vscode.commands.executeCommand('claudeEnv.mcp.showLog', 'everything');
      assert.ok(api.openedLogs().includes('everything'), 'the log channel exists once asked for');

      const stopped = await vscode.commands.executeCommand<FleetEntry>('claudeEnv.mcp.stop', 'everything');
      assert.equal(stopped?.state, 'stopped');
      assert.deepEqual(processesWith(`CLAUDE_ENV_SUITE_TAG=${tag}`), [], 'no process of the server remains');
    });

    it('restarts a running server whose definition changed', async () => {
      const api = await supervision();
      const started = await vscode.commands.executeCommand<FleetEntry>('claudeEnv.mcp.start', 'everything');
      assert.equal(started?.state, 'running', `everything: ${started?.reason}`);
      const oldPid = started.status?.pid;
      const newTag = randomUUID();
      writeLocalLayer(newTag);
      const restarted = await entryWhen(
        api,
        'everything',
        (entry) => entry.state === 'running' && entry.status?.pid !== oldPid,
        'everything to run again with the new definition',
      );
      assert.deepEqual(processesWith(`CLAUDE_ENV_SUITE_TAG=${tag}`), [], 'the old run is gone');
      assert.ok(processesWith(`CLAUDE_ENV_SUITE_TAG=${newTag}`).includes(restarted.status?.pid ?? -1));
      await vscode.commands.executeCommand('claudeEnv.mcp.stop', 'everything');
      assert.deepEqual(processesWith(`CLAUDE_ENV_SUITE_TAG=${newTag}`), []);
    });

    it('shows a server outside the policy as blocked with the rule, and does not start it', async () => {
      const api = await supervision();
      writeLocalLayer(
        tag,
        `  rogue-unvetted:\n    command: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(everythingBin())}]\n`,
      );
      const blocked = await entryWhen(api, 'rogue-unvetted', () => true, 'the denied server to be listed');
      assert.equal(blocked.state, 'blocked');
      assert.match(blocked.reason, /denied|allow/i);
      const result = await vscode.commands.executeCommand<FleetEntry>('claudeEnv.mcp.start', 'rogue-unvetted');
      assert.equal(result?.state, 'blocked');
      assert.equal(result?.status, undefined, 'never handed to the supervisor');
    });

    it('marks a server that keeps crashing as failed at the crash-loop cap, with its log kept', async () => {
      const api = await supervision();
      const crashing =
        `  memory:\n    command: ${JSON.stringify(process.execPath)}\n    args: ["-e", "console.error('boom ${tag}'); process.exit(3)"]\n` +
        `    supervision:\n      restart: on-failure\n      maxRestarts: 1\n`;
      writeLocalLayer(tag, crashing);
      await entryWhen(
        api,
        'memory',
        (entry) => entry.definition.command === process.execPath,
        'the crashing server to be listed',
      );
      await vscode.commands.executeCommand('claudeEnv.mcp.start', 'memory');
      const failed = await entryWhen(
        api,
        'memory',
        (entry) => entry.state === 'failed',
        'memory to reach the crash-loop cap',
      );
      assert.match(failed.reason, /exited with code 3/);
      assert.match(api.rows().find((row) => row.label === 'memory')?.description ?? '', /^failed · /);
      assert.match(api.statusBar().text, /\$\(warning\)/);
      await vscode.commands.executeCommand('claudeEnv.mcp.showLog', 'memory');
      assert.ok(api.openedLogs().includes('memory'));
    });

    it('takes a secret stored with Set Secret from SecretStorage and never shows it', async () => {
      const api = await supervision();
      const webLayer = vscode.Uri.file(workspacePath('..', 'org', 'teams', 'web.yaml'));
      const unresolvedKey = (diagnostics: vscode.Diagnostic[]) =>
        diagnostics.some(
          (diagnostic) =>
            String(typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code) ===
            'secret.unresolved',
        );
      await diagnosticsWhen(webLayer, unresolvedKey, 'the missing Magic key to be reported in the team layer');
      const value = `canary-${randomUUID()}`;
      const stored = await vscode.commands.executeCommand('claudeEnv.setSecret', { name: 'magic-api-key', value });
      assert.equal(stored, 'magic-api-key');
      const magic = await entryWhen(api, 'magic', (entry) => entry.state !== 'unresolved', 'magic to resolve');
      assert.equal(magic.state, 'stopped');
      const shown = JSON.stringify(api.rows().map((row) => [row.description, row.tooltip]));
      assert.equal(shown.includes(value), false);
      // The language server cannot read SecretStorage: it learns the name (never the value) and stops reporting it.
      const after = await diagnosticsWhen(
        webLayer,
        (diagnostics) => !unresolvedKey(diagnostics),
        'the stored secret to stop being reported',
      );
      assert.equal(JSON.stringify(after.map((diagnostic) => diagnostic.message)).includes(value), false);
    });
  });
} else {
  describe('MCP Servers view (Restricted Mode)', () => {
    it('shows every server blocked by Workspace Trust and starts nothing', async () => {
      const api = await supervision();
      const entries = api.entries();
      assert.ok(entries.length >= 5, `servers listed: ${entries.map((entry) => entry.definition.name).join(', ')}`);
      for (const entry of entries) {
        assert.equal(entry.state, 'blocked', `${entry.definition.name} is ${entry.state}`);
        assert.equal(entry.reason, UNTRUSTED_REASON);
      }
      assert.ok(api.rows().every((row) => row.icon === 'lock' && row.contextValue === 'mcpServer.blocked'));
      const refusal = await vscode.commands.executeCommand('claudeEnv.mcp.start', 'everything');
      assert.ok(isRefusal(refusal));
      assert.match(refusal.reason, /Restricted Mode/);
      assert.ok(isRefusal(await vscode.commands.executeCommand('claudeEnv.mcp.startAll')));
      assert.equal(api.mode(), 'gateway');
      assert.equal(
        fs.existsSync(gatewayPaths(process.env).socket),
        false,
        'no gateway daemon was asked for: the editor never starts one for an untrusted folder',
      );
      assert.deepEqual(
        processesWith(`${RUN_MARKER_VAR}=`).filter(descendsFromHost),
        [],
        'no MCP server process of this window',
      );
    });
  });
}
