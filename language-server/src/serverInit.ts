/** Every capability the server declares, in one place. */
import { CodeActionKind, TextDocumentSyncKind, type InitializeResult } from 'vscode-languageserver/node';

/** Characters after which completion opens by itself: a new key, a value, a list item, a reference. */
const TRIGGER_CHARACTERS = [':', ' ', '-', '{', '"'];

export function serverCapabilities(version: string): InitializeResult {
  return {
    serverInfo: { name: 'claude-env', version },
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      completionProvider: { triggerCharacters: TRIGGER_CHARACTERS, resolveProvider: false },
      definitionProvider: true,
      codeLensProvider: { resolveProvider: false },
      documentSymbolProvider: { label: 'claude-env' },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: false },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
  };
}
