/**
 * Gives org layer files (a source's `base.yaml` and `teams/*.yaml`) the layer language when a workspace's stack
 * uses them, so they get validation and hover too. Patterns alone would claim every `base.yaml` on the machine.
 */
import * as vscode from 'vscode';
import { LayerStackRequest } from '@claude-env/protocol';
import { LAYER_LANGUAGE_ID } from './client';
import type { Ctx } from './ctx';
import { sendRequest } from './requests';

const CANDIDATE = /[\\/](base|teams[\\/][^\\/]+)\.(ya?ml|json)$/i;

export function watchOrgLayerFiles(ctx: Ctx): vscode.Disposable {
  const adopt = async (document: vscode.TextDocument) => {
    if (
      document.uri.scheme !== 'file' ||
      document.languageId === LAYER_LANGUAGE_ID ||
      !CANDIDATE.test(document.uri.fsPath)
    )
      return;
    const owner = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!owner || !ctx.isReady()) return;
    const stack = await sendRequest(ctx.client, LayerStackRequest, { uri: owner.toString() }).catch(() => null);
    if (stack?.layers.some((layer) => layer.file === document.uri.fsPath)) {
      await vscode.languages.setTextDocumentLanguage(document, LAYER_LANGUAGE_ID);
    }
  };
  for (const document of vscode.workspace.textDocuments) void adopt(document);
  return vscode.workspace.onDidOpenTextDocument((document) => void adopt(document));
}
