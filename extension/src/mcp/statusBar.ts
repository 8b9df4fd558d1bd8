/**
 * The status-bar item with the number of running MCP servers; a click focuses the MCP Servers view. It turns
 * to a warning when a server crashed or failed, so a dead server is noticed without opening the view.
 */
import * as vscode from 'vscode';
import { isConnected } from '@claude-env/mcp';
import type { EditorFleet } from './fleet';
import { readSettings } from '../settings';
import { MCP_VIEW_ID } from './tree';

export class McpStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly onFleetChange = () => this.refresh();

  constructor(private readonly fleet: EditorFleet) {
    this.item = vscode.window.createStatusBarItem('claudeEnv.mcpStatus', vscode.StatusBarAlignment.Left, 9);
    this.item.name = 'Claude Env MCP Servers';
    this.item.command = `${MCP_VIEW_ID}.focus`;
    fleet.on('changed', this.onFleetChange);
    this.refresh();
  }

  refresh(): void {
    const entries = this.fleet.list();
    if (!readSettings().mcp.statusBar || entries.length === 0) {
      this.item.hide();
      return;
    }
    const running = entries.filter((entry) => isConnected(entry.state)).length;
    const broken = entries.filter((entry) => entry.state === 'crashed' || entry.state === 'failed');
    this.item.text = `${broken.length ? '$(warning)' : '$(server-process)'} ${running}/${entries.length} MCP`;
    this.item.tooltip = [
      `Claude Env: ${running} of ${entries.length} MCP server${entries.length === 1 ? '' : 's'} running`,
      ...broken.map((entry) => `${entry.definition.name}: ${entry.state} (${entry.reason})`),
    ].join('\n');
    this.item.backgroundColor = broken.length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.fleet.off('changed', this.onFleetChange);
    this.item.dispose();
  }
}
