/**
 * Commands that read the effective environment: show it as a document, and explain why a setting has its value.
 */
import * as vscode from 'vscode';
import { locate } from '@claude-env/engine';
import { parseLayer } from '@claude-env/engine';
import { ExplainRequest, type ExplainResult } from '@claude-env/protocol';
import type { CtxInit } from '../ctx';
import { effectiveDocumentUri } from '../effectiveDocument';
import { showExplanation } from '../views/explanation';
import { sendRequest } from '../requests';

/** Opens the read-only effective configuration of the current workspace; returns the document. */
export function showEffectiveConfiguration(ctx: CtxInit) {
  return async (): Promise<vscode.TextDocument | undefined> => {
    const owner = ctx.currentWorkspaceUri();
    if (!owner) {
      void vscode.window.showInformationMessage('Claude Env: open a folder that has a .claude-env folder first.');
      return undefined;
    }
    const document = await vscode.languages.setTextDocumentLanguage(
      await vscode.workspace.openTextDocument(effectiveDocumentUri(owner)),
      'json',
    );
    await vscode.window.showTextDocument(document, { preview: false });
    return document;
  };
}

/**
 * The dotted path of the setting at `position` in a layer file, e.g. `settings.permissions.deny`. Array items
 * resolve to their array, whose provenance lists every item's origin.
 */
export function settingPathAt(document: vscode.TextDocument, position: vscode.Position): string | undefined {
  const layer = parseLayer(document.uri.fsPath, document.getText(), 'project', 'editor');
  const located = locate(layer, { line: position.line, character: position.character });
  const path = located?.path ?? [];
  while (path.length > 0 && /^\d+$/.test(path[path.length - 1] ?? '')) path.pop();
  if (path[0] !== 'settings' && path[0] !== 'mcpServers') return undefined;
  return path.join('.');
}

/** Explains the setting under the cursor of the active layer file. */
export function explainAtCursor(ctx: CtxInit) {
  return async (): Promise<ExplainResult | undefined> => {
    const editor = vscode.window.activeTextEditor;
    const path = editor ? settingPathAt(editor.document, editor.selection.active) : undefined;
    if (!editor || !path) {
      void vscode.window.showInformationMessage(
        'Claude Env: put the cursor on a key under `settings` or `mcpServers` in a layer file.',
      );
      return undefined;
    }
    return explainPath(ctx)(editor.document.uri.toString(), path);
  };
}

/** Explains a dotted path of the workspace that owns `uri` (code lenses call this with both arguments). */
export function explainPath(ctx: CtxInit) {
  return async (...args: unknown[]): Promise<ExplainResult | undefined> => {
    const [uri, path] = args;
    if (typeof uri !== 'string' || typeof path !== 'string') return undefined;
    const result = await sendRequest(ctx.client, ExplainRequest, { uri, path });
    if (!result) {
      void vscode.window.showInformationMessage('Claude Env: this file belongs to no claude-env workspace.');
      return undefined;
    }
    ctx.output.info(`explain ${path}:\n${result.text}`);
    showExplanation(result);
    return result;
  };
}
