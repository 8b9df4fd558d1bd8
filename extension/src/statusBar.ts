/**
 * The status-bar item: the current stack's state at a glance (problem counts, or why the server is not
 * running). Clicking it reveals the Layers view.
 */
import * as vscode from 'vscode';
import { LayerStackRequest, type ProblemCounts } from '@claude-env/protocol';
import type { Ctx } from './ctx';
import { readSettings } from './settings';
import { describeProblems, LAYERS_VIEW_ID } from './views/layers';

export class StackStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[];
  /** Bumped per refresh so a slow answer cannot overwrite a newer one. */
  private generation = 0;

  constructor(private readonly ctx: Ctx) {
    this.item = vscode.window.createStatusBarItem('claudeEnv.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Claude Env';
    this.item.command = `${LAYERS_VIEW_ID}.focus`;
    this.subscriptions = [
      ctx.onDidChangeStack(() => void this.refresh()),
      vscode.window.onDidChangeActiveTextEditor(() => void this.refresh()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('claudeEnv.statusBar.enabled')) void this.refresh();
      }),
    ];
  }

  async refresh(): Promise<void> {
    const generation = ++this.generation;
    if (!readSettings().statusBarEnabled) {
      this.item.hide();
      return;
    }
    const uri = this.ctx.currentWorkspaceUri();
    if (!this.ctx.isReady() || !uri) {
      this.show('$(warning) Claude Env', `Claude Env: ${this.ctx.notRunningReason}`, undefined);
      return;
    }
    const stack = await this.ctx.requestForCurrentWorkspace(LayerStackRequest, 'layer stack');
    if (generation !== this.generation) return;
    if (!stack) {
      this.item.hide();
      return;
    }
    const present = stack.layers.filter((layer) => layer.state !== 'missing').length;
    const icon = stack.problems.errors > 0 ? '$(error)' : stack.problems.warnings > 0 ? '$(warning)' : '$(layers)';
    this.show(
      `${icon} Claude Env${countsSuffix(stack.problems)}`,
      `Claude Env: ${present} layer file${present === 1 ? '' : 's'}, ${describeProblems(stack.problems)}`,
      stack.problems.errors > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined,
    );
  }

  private show(text: string, tooltip: string, background: vscode.ThemeColor | undefined): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = background;
    this.item.show();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}

function countsSuffix(problems: ProblemCounts): string {
  const parts: string[] = [];
  if (problems.errors > 0) parts.push(`${problems.errors} error${problems.errors === 1 ? '' : 's'}`);
  if (problems.warnings > 0) parts.push(`${problems.warnings} warning${problems.warnings === 1 ? '' : 's'}`);
  return parts.length > 0 ? `: ${parts.join(', ')}` : '';
}
