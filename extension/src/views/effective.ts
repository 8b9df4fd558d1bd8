/**
 * The Effective Configuration view: the merged tree of the current workspace. Every value's tooltip says which
 * layer set it at which line and what it overrode; clicking a value jumps to that line.
 */
import * as vscode from 'vscode';
import {
  EffectiveEnvironmentRequest,
  type EffectiveEnvironmentResult,
  type EffectiveNodeJson,
  type OriginJson,
} from '@claude-env/protocol';
import type { Ctx } from '../ctx';
import { openOriginCommand, originLabel, provenanceMarkdown, shortValue } from './provenance';

export const EFFECTIVE_VIEW_ID = 'claudeEnv.effective';

/** One row: a map key, an array item, or a leaf value. */
export interface EffectiveEntry {
  path: string[];
  value: unknown;
  origin: OriginJson;
  overridden: OriginJson[];
  /** Set for maps and union arrays: the rows below this one. */
  children?: EffectiveEntry[];
}

/** Turns the protocol's provenance tree into rows; union arrays get one row per item with the item's origin. */
export function entriesOf(node: EffectiveNodeJson): EffectiveEntry[] {
  if (node.children) return Object.values(node.children).map(toEntry);
  if (Array.isArray(node.value)) {
    return node.value.map((item, index) => ({
      path: [...node.path, String(index)],
      value: item,
      origin: node.itemOrigins?.[index] ?? node.origin,
      overridden: [],
    }));
  }
  return [];
}

function toEntry(node: EffectiveNodeJson): EffectiveEntry {
  const expandable = node.children !== undefined || (Array.isArray(node.value) && node.value.length > 0);
  return {
    path: node.path,
    value: node.value,
    origin: node.origin,
    overridden: node.overridden,
    children: expandable ? entriesOf(node) : undefined,
  };
}

export class EffectiveTreeProvider implements vscode.TreeDataProvider<EffectiveEntry>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** The last environment shown (tests and the status bar read it). */
  lastEnvironment: EffectiveEnvironmentResult | null = null;

  constructor(private readonly ctx: Ctx) {
    this.subscription = ctx.onDidChangeStack(() => this.changed.fire());
  }

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(element?: EffectiveEntry): Promise<EffectiveEntry[]> {
    if (element) return element.children ?? [];
    this.lastEnvironment = await this.fetch();
    return this.lastEnvironment ? entriesOf(this.lastEnvironment.tree) : [];
  }

  getTreeItem(entry: EffectiveEntry): vscode.TreeItem {
    const key = entry.path[entry.path.length - 1] ?? '';
    const isArrayItem = /^\d+$/.test(key) && entry.path.length > 1;
    const label = isArrayItem ? shortValue(entry.value) : key;
    const item = new vscode.TreeItem(
      label,
      entry.children ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = entry.path.join('\u0000');
    item.description = entry.children
      ? originLabel(entry.origin)
      : isArrayItem
        ? originLabel(entry.origin)
        : `${shortValue(entry.value)} · ${originLabel(entry.origin)}`;
    item.tooltip = provenanceMarkdown(entry.path, entry.value, entry.origin, entry.overridden);
    item.command = openOriginCommand(entry.origin);
    item.contextValue = entry.overridden.length > 0 ? 'effective.overriding' : 'effective.value';
    return item;
  }

  private fetch(): Promise<EffectiveEnvironmentResult | null> {
    return this.ctx.requestForCurrentWorkspace(EffectiveEnvironmentRequest, 'effective environment');
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
