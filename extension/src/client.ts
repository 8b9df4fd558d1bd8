/**
 * Creates the language client for dist/server.js. The server runs in its own Node process over IPC, so a crash
 * or a slow validation never blocks the extension host.
 */
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import type { ClaudeEnvInitializationOptions } from '@claude-env/protocol';
import type { ExtensionSettings } from './settings';

/** The language id of layer files (package.json `contributes.languages`). */
export const LAYER_LANGUAGE_ID = 'claude-env-layer';

/** Files whose changes can change a stack: layer files, the org source's files, and the outputs we compare for drift. */
const WATCHED_FILES = '**/{.claude-env/**,base.{yaml,yml,json},teams/*.{yaml,yml,json}}';

export function createLanguageClient(
  extension: vscode.ExtensionContext,
  settings: ExtensionSettings,
  output: vscode.LogOutputChannel,
): LanguageClient {
  const module = extension.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const initializationOptions: ClaudeEnvInitializationOptions = {
    diagnosticsDelayMs: settings.diagnosticsDelayMs,
    ...(settings.userConfigDir ? { userConfigDir: settings.userConfigDir } : {}),
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: LAYER_LANGUAGE_ID }],
    initializationOptions,
    outputChannel: output,
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher(WATCHED_FILES) },
  };
  return new LanguageClient('claudeEnv', 'Claude Env Language Server', serverOptions, clientOptions);
}
