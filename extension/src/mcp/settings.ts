/**
 * The `claudeEnv.mcp.*` settings, read in one place and mapped into a typed object (the rest of the extension's
 * settings live in ../settings.ts).
 */
import * as vscode from 'vscode';

export interface McpSettings {
  /** Start servers marked `supervision.autoStart` when a trusted folder opens. */
  autoStart: boolean;
  /** Offer the effective servers to VS Code's own MCP support (which then runs them). */
  offerToVSCode: boolean;
  /** Show the running-server count in the status bar. */
  statusBar: boolean;
}

export function readMcpSettings(scope?: vscode.ConfigurationScope): McpSettings {
  const config = vscode.workspace.getConfiguration('claudeEnv.mcp', scope);
  return {
    autoStart: config.get<boolean>('autoStart', true),
    offerToVSCode: config.get<boolean>('offerToVSCode', false),
    statusBar: config.get<boolean>('statusBar', true),
  };
}

/** The folder of the user layer as the language server is told it (`claudeEnv.userConfigDir`), if set. */
export function userConfigDirSetting(): string | undefined {
  const value = vscode.workspace.getConfiguration('claudeEnv').get<string>('userConfigDir', '').trim();
  return value === '' ? undefined : value;
}
