import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { DashboardPanel } from '../../../extension/src/dashboard';
import type { ServerHistoryRow, ServersData } from '../../../extension/webview/messages';
import { activeApi, extension, suiteMode, workspacePath } from './helpers';

// The runner's workspace (test/vscode/workspace.ts) gives this folder one session today: $10 + $15 + $5 as
// recorded by Claude Code, and another project $7.
describe('the Claude Env Dashboard', () => {
  it('opens from its command and shows the transcripts’ totals, this project and all', async () => {
    const api = await activeApi();
    const panel = await vscode.commands.executeCommand<DashboardPanel>('claudeEnv.showDashboard');
    assert.ok(panel?.panel.visible, 'the dashboard is shown');
    const data = await api.usage.refresh();
    assert.equal(data.project?.month.costUSD, 30);
    assert.equal(data.all.month.costUSD, 37);
    assert.deepEqual(
      data.project?.sessionsToday.map((session) => [session.session, session.costUSD]),
      [['today', 30]],
    );
    assert.equal(panel.lastPosted?.project?.month.costUSD, 30, 'the page got the figures');
    assert.match(api.usage.statusBar().text, /^\$\(graph\) \$30\.00$/);
  });

  it('notifies once when the month passes the project’s budget', async () => {
    const api = await activeApi();
    const layer = workspacePath('.claude-env', 'project.yaml');
    const before = fs.readFileSync(layer, 'utf8');
    try {
      fs.writeFileSync(layer, `${before.trimEnd()}\nbudgets:\n  monthly: 25\n`);
      const data = await api.usage.refresh();
      assert.equal(data.budget?.budgetUSD, 25);
      assert.equal(data.budget?.spentUSD, 30);
      const notified = api.usage.notifications().filter((message) => message.includes('over this project’s budget'));
      assert.equal(notified.length, 1, api.usage.notifications().join(' | '));
      assert.match(
        notified[0],
        /Claude Code has used \$30\.00 in \d{4}-\d\d, over this project’s budget of \$25\.00\./,
      );
      await api.usage.refresh();
      assert.equal(api.usage.notifications().filter((m) => m.includes('budget of $25.00')).length, 1, 'only once');
      assert.match(api.usage.statusBar().tooltip, /Budget: \$30\.00 of \$25\.00/);
    } finally {
      fs.writeFileSync(layer, before);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});

/** This project's `everything` in a window of the history, if recorded. */
function everythingIn(servers: ServersData, window: 'day' | 'week'): ServerHistoryRow | undefined {
  return servers[window].servers.find((server) => server.server === 'everything' && server.thisProject);
}

/** Points the local layer's `everything` at the bundled server, run by this Node; returns how to put it back. */
function useBundledEverything(): () => void {
  const localLayer = workspacePath('.claude-env', 'local.yaml');
  const original = fs.readFileSync(localLayer, 'utf8');
  const server = path.join(extension().extensionPath, 'node_modules', '@modelcontextprotocol', 'server-everything');
  const entry = path.join(server, 'dist', 'index.js');
  fs.writeFileSync(
    localLayer,
    `version: 1\nmcpServers:\n  everything:\n    command: ${JSON.stringify(process.execPath)}\n` +
      `    args: [${JSON.stringify(entry)}, stdio]\n`,
  );
  return () => fs.writeFileSync(localLayer, original);
}

/** A client's stdio to the bundled shim for `server` in this workspace, as Claude Code starts it from .mcp.json. */
function shimTransport(server: string): StdioClientTransport {
  return new StdioClientTransport({
    command: process.execPath,
    args: [path.join(extension().extensionPath, 'dist', 'mcp-connect.js'), server, '--cwd', workspacePath()],
    env: process.env as Record<string, string>,
    stderr: 'ignore',
  });
}

// The history comes from the run's own gateway daemon (its XDG_STATE_HOME is the run's temp folder, see
// ../workspace.ts): a client started as Claude Code starts the shim makes calls, and the dashboard shows them.
if (suiteMode() === 'trusted')
  describe('the Claude Env Dashboard’s MCP servers', function () {
    this.timeout(180_000);

    it('shows the gateway daemon’s history of this project’s servers, with the calls just made through it', async () => {
      const api = await activeApi();
      const restoreLocalLayer = useBundledEverything();
      const client = new Client({ name: 'claude-code', version: '2.0.0' }, { capabilities: {} });
      try {
        const panel = await vscode.commands.executeCommand<DashboardPanel>('claudeEnv.showDashboard');
        const before = (await api.dashboard.refresh()).servers;
        const callsBefore = everythingIn(before, 'day')?.calls ?? 0;
        await client.connect(shimTransport('everything'));
        for (const message of ['one', 'two', 'three']) await client.callTool({ name: 'echo', arguments: { message } });

        // Refresh asks the daemon to write what it holds, then reads the store: the last calls are in.
        const { servers } = await api.dashboard.refresh();
        const day = everythingIn(servers, 'day');
        assert.ok(day, JSON.stringify(servers.day.servers.map((server) => [server.server, server.workspaceName])));
        assert.equal(day.calls - callsBefore, 3, 'the three calls through the shim');
        assert.equal(day.errors, 0);
        assert.equal(day.workspaceName, path.basename(workspacePath()), 'the workspace by its folder’s name');
        assert.equal(day.lastState?.state, 'running');
        assert.ok((day.p50Ms ?? 0) > 0 && (day.p95Ms ?? 0) >= (day.p50Ms ?? 0), `p50 ${day.p50Ms}, p95 ${day.p95Ms}`);
        assert.ok((day.uptime ?? 0) > 0 && (day.uptime ?? 0) <= 1, `uptime ${day.uptime}`);
        assert.equal(day.buckets.length, 24);
        assert.equal(
          day.buckets.reduce((sum, bucket) => sum + bucket.calls, 0),
          day.calls,
          'the hourly slices add up',
        );
        assert.equal(everythingIn(servers, 'week')?.calls, day.calls, 'the week holds the same calls');
        assert.equal(servers.supervisor, 'gateway');
        assert.equal(servers.recordingOff, false);
        assert.deepEqual(servers.problems, []);
        assert.equal(servers.projectName, path.basename(workspacePath()));
        assert.deepEqual(panel.lastPostedServers, servers, 'the page got them');
        const posted = JSON.stringify(servers);
        assert.ok(!posted.includes(workspacePath()), 'no workspace path reaches the page');
        assert.ok(!posted.includes(path.join('claude-env', 'health')), 'nor the store’s folder');
      } finally {
        await client.close();
        restoreLocalLayer();
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      }
    });

    it('follows the daemon while it is open: a call made after it opened shows up without a refresh', async () => {
      const restoreLocalLayer = useBundledEverything();
      const client = new Client({ name: 'claude-code', version: '2.0.0' }, { capabilities: {} });
      let panel: DashboardPanel | undefined;
      try {
        panel = await vscode.commands.executeCommand<DashboardPanel>('claudeEnv.showDashboard');
        assert.ok(panel.lastPostedServers, 'opening the panel read the history');
        assert.ok(panel.live.followed, 'the visible panel follows the fleet');
        const callsBefore = everythingIn(panel.lastPostedServers, 'day')?.calls ?? 0;
        // Every post from here on, the first that holds the new calls ends the wait.
        const posted = new Promise<ServersData>((resolve) => {
          const subscription = panel!.onDidPostServers((servers) => {
            if ((everythingIn(servers, 'day')?.calls ?? 0) - callsBefore < 2) return;
            subscription.dispose();
            resolve(servers);
          });
        });
        await client.connect(shimTransport('everything'));
        for (const message of ['live one', 'live two']) await client.callTool({ name: 'echo', arguments: { message } });
        // No refresh: the daemon's pushes after the calls make the panel read again (within its 15 s throttle).
        const servers = await posted;
        assert.equal((everythingIn(servers, 'day')?.calls ?? 0) - callsBefore, 2, 'the two calls through the shim');
        assert.deepEqual(panel.lastPostedServers, servers, 'the page got them');

        // Hidden behind an editor in its column: nothing followed, no read waiting. Shown again: followed.
        const shown = panel.panel;
        const hidden = new Promise<void>((resolve) => {
          const subscription = shown.onDidChangeViewState(() => {
            if (shown.visible) return;
            subscription.dispose();
            resolve();
          });
        });
        await vscode.window.showTextDocument(vscode.Uri.file(workspacePath('.claude-env', 'local.yaml')), {
          viewColumn: shown.viewColumn,
        });
        await hidden;
        assert.equal(panel.live.followed, false, 'a hidden panel follows nothing');
        assert.equal(panel.live.pending, false, 'and holds no timer');
        await client.callTool({ name: 'echo', arguments: { message: 'while hidden' } });
        assert.equal(panel.live.pending, false);
        const visibleAgain = new Promise<void>((resolve) => {
          const subscription = shown.onDidChangeViewState(() => {
            if (!shown.visible) return;
            subscription.dispose();
            resolve();
          });
        });
        await vscode.commands.executeCommand<DashboardPanel>('claudeEnv.showDashboard');
        await visibleAgain;
        assert.equal(panel.live.followed, true, 'shown again, it follows the fleet');
      } finally {
        await client.close();
        restoreLocalLayer();
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      }
      assert.equal(panel?.live.followed, false, 'a closed panel follows nothing');
    });
  });
