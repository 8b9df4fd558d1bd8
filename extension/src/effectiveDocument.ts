/**
 * A read-only JSON document showing a workspace's effective configuration (`settings` and `mcpServers` merged
 * across every layer, secret references unresolved). It is a virtual document, so it cannot be edited or
 * saved by mistake, and it updates when the stack changes.
 */
import * as vscode from 'vscode';
import { EffectiveEnvironmentRequest } from '@claude-env/protocol';
import type { Ctx } from './ctx';
import { sendRequest } from './requests';

export const EFFECTIVE_SCHEME = 'claude-env-effective';

/** The virtual document's URI for the workspace that owns `owner`. */
export function effectiveDocumentUri(owner: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: EFFECTIVE_SCHEME, path: '/effective-configuration.json', query: owner.toString() });
}

export class EffectiveDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly ctx: Ctx) {
    this.subscription = ctx.onDidChangeStack(() => {
      for (const document of vscode.workspace.textDocuments) {
        if (document.uri.scheme === EFFECTIVE_SCHEME) this.changed.fire(document.uri);
      }
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    if (!this.ctx.isReady()) return `// Claude Env: ${this.ctx.notRunningReason}\n`;
    const environment = await sendRequest(this.ctx.client, EffectiveEnvironmentRequest, { uri: uri.query });
    if (!environment)
      return `// Claude Env: ${vscode.Uri.parse(uri.query).fsPath} belongs to no claude-env workspace (no .claude-env folder)\n`;
    return `${JSON.stringify(environment.value, null, 2)}\n`;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
