import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { DashboardPanel } from '../../../extension/src/dashboard';
import { activeApi, workspacePath } from './helpers';

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
