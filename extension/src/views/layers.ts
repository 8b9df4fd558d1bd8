/**
 * The Layers view: the stack of the current workspace, lowest priority first, each file with its state and
 * problem counts. Clicking a file opens it.
 */
import * as vscode from 'vscode';
import { LayerStackRequest, type LayerInfo, type LayerStackResult, type ProblemCounts } from '@claude-env/protocol';
import type { SourceStatus } from '@claude-env/engine';
import type { Ctx } from '../ctx';
import { gitLayerText } from './gitLayerText';

export const LAYERS_VIEW_ID = 'claudeEnv.layers';

const STATE_ICONS: Record<LayerInfo['state'], vscode.ThemeIcon> = {
  ok: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  problems: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  invalid: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  missing: new vscode.ThemeIcon('circle-slash'),
};

/** "2 errors, 1 warning", or "no problems". */
export function describeProblems(problems: ProblemCounts): string {
  const parts: string[] = [];
  const count = (n: number, word: string) => n > 0 && parts.push(`${n} ${word}${n === 1 ? '' : 's'}`);
  count(problems.errors, 'error');
  count(problems.warnings, 'warning');
  count(problems.infos, 'info');
  return parts.length > 0 ? parts.join(', ') : 'no problems';
}

export class LayersTreeProvider implements vscode.TreeDataProvider<LayerInfo>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** The last stack shown, for the status bar and tests. */
  lastStack: LayerStackResult | null = null;
  /** What the last check for new org commits found for a workspace (set by the org update checker). */
  orgStatus: (workspace: string) => SourceStatus | undefined = () => undefined;

  constructor(private readonly ctx: Ctx) {
    this.subscription = ctx.onDidChangeStack(() => this.changed.fire());
  }

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(element?: LayerInfo): Promise<LayerInfo[]> {
    if (element) return [];
    this.lastStack = await this.fetch();
    return this.lastStack?.layers ?? [];
  }

  getTreeItem(layer: LayerInfo): vscode.TreeItem {
    const item = new vscode.TreeItem(layer.label, vscode.TreeItemCollapsibleState.None);
    item.id = `${layer.kind}:${layer.file}`;
    item.iconPath = STATE_ICONS[layer.state];
    // The server validates open buffers; only a buffer with changes differs from the file on disk.
    const unsaved =
      layer.openInEditor &&
      vscode.workspace.textDocuments.some((document) => document.uri.fsPath === layer.file && document.isDirty);
    const git = this.gitDescription(layer);
    item.description =
      (layer.state === 'missing'
        ? 'not present'
        : `${describeProblems(layer.problems)}${unsaved ? ' (unsaved)' : ''}`) + (git ? ` · ${git}` : '');
    const from = layer.gitSource ? `\n\nFrom ${layer.gitSource.url}, ${git}` : '';
    item.tooltip = new vscode.MarkdownString(
      `**${layer.label}** (${layer.kind} layer)\n\n\`${layer.file}\`\n\n` +
        `${layer.state === 'missing' ? 'This file does not exist.' : describeProblems(layer.problems)}${from}`,
    );
    item.contextValue = `layer.${layer.state}`;
    if (layer.uri && layer.state !== 'missing') {
      item.resourceUri = vscode.Uri.parse(layer.uri);
      item.command = { command: 'vscode.open', title: 'Open Layer File', arguments: [item.resourceUri] };
    }
    return item;
  }

  /** The commit, ref and behind count of an org layer from a git source. */
  gitDescription(layer: LayerInfo): string | undefined {
    return gitLayerText(layer, this.lastStack ? this.orgStatus(this.lastStack.workspace) : undefined);
  }

  private fetch(): Promise<LayerStackResult | null> {
    return this.ctx.requestForCurrentWorkspace(LayerStackRequest, 'layer stack');
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
