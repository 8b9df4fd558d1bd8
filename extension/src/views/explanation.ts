/**
 * Shows an explanation as a list a person can act on: the winning write first, then each write it overrode (or,
 * for a unioned list, the layer that added each item). Picking a row opens the file at that line.
 */
import * as vscode from 'vscode';
import type { ExplainResult, OriginJson } from '@claude-env/protocol';
import { openOriginCommand, originLabel, shortValue } from './provenance';

interface OriginItem extends vscode.QuickPickItem {
  origin: OriginJson;
}

/** The rows of an explanation, winner first. Empty when the path is set by no layer. */
export function explanationItems(result: ExplainResult): OriginItem[] {
  const node = result.node;
  if (!node) return [];
  if (node.itemOrigins && Array.isArray(node.value)) {
    return node.itemOrigins.map((origin, index) => ({
      label: shortValue((node.value as unknown[])[index]),
      description: `added by ${origin.label} · ${originLabel(origin)}`,
      origin,
    }));
  }
  return [node.origin, ...node.overridden].map((origin, index) => ({
    label: `${index === 0 ? '$(check)' : '$(circle-slash)'} ${origin.label}`,
    description: `${originLabel(origin)}${index === 0 ? ' · wins' : ' · overridden'}`,
    detail: shortValue(origin.value, 100),
    origin,
  }));
}

/** Opens the explanation list (not awaited by callers: it stays until the person picks or dismisses it). */
export function showExplanation(result: ExplainResult): void {
  const items = explanationItems(result);
  if (items.length === 0) {
    void vscode.window.showInformationMessage(`Claude Env: ${result.text}`);
    return;
  }
  const pick = vscode.window.createQuickPick<OriginItem>();
  pick.title = `${result.path} = ${shortValue(result.node?.value, 80)}`;
  pick.placeholder = 'Where this value comes from (winner first). Pick a row to go to its line.';
  pick.items = items;
  pick.onDidAccept(() => {
    const jump = pick.selectedItems[0] ? openOriginCommand(pick.selectedItems[0].origin) : undefined;
    pick.hide();
    if (jump) void vscode.commands.executeCommand(jump.command, ...(jump.arguments ?? []));
  });
  pick.onDidHide(() => pick.dispose());
  pick.show();
}
