/**
 * The extension's settings (`claudeEnv.*`, MCP supervision's included), read per scope and mapped once into a
 * typed object. Nothing else calls `getConfiguration`, so a setting's name and default live in exactly one place
 * besides package.json.
 */
import * as vscode from 'vscode';

/** Effective `claudeEnv.*` settings for one scope. */
export interface ExtensionSettings {
  /** Delay between the last keystroke and re-validation, in milliseconds. */
  diagnosticsDelayMs: number;
  /** Folder holding `user.yaml`; empty means `$XDG_CONFIG_HOME/claude-env` (or `~/.config/claude-env`). */
  userConfigDir: string | undefined;
  /** Show the stack's state in the status bar. */
  statusBarEnabled: boolean;
  /** What Apply does with a Claude Code file that was edited by hand since the last apply. */
  applyOnDrift: 'ask' | 'keep';
  /** The `claudeEnv.mcp.*` settings. */
  mcp: McpSettings;
  /** The `claudeEnv.usage.*` settings. */
  usage: { statusBar: boolean };
  /** `claudeEnv.orgLayers.*`: minutes between checks for new commits of a git source (0: never; at least 1). */
  orgLayers: { checkIntervalMinutes: number };
}

/** `claudeEnv.mcp.*`: MCP supervision in the editor. */
export interface McpSettings {
  /** Start servers marked `supervision.autoStart` when a trusted folder opens. */
  autoStart: boolean;
  /** Offer the effective servers to VS Code's own MCP support (which then runs them). */
  offerToVSCode: boolean;
  /** Show the running-server count in the status bar. */
  statusBar: boolean;
  /** Who runs the servers: the shared per-user gateway daemon (default), or a supervisor in this window. */
  supervisor: 'gateway' | 'inProcess';
}

/** Reads the settings that apply to `scope` (a folder or document), or the window's when omitted. */
export function readSettings(scope?: vscode.ConfigurationScope): ExtensionSettings {
  // null, not undefined: resource-scoped settings then read their folder-independent value without a warning.
  const config = vscode.workspace.getConfiguration('claudeEnv', scope ?? null);
  const onDrift = config.get<string>('apply.onDrift', 'ask');
  const userDir = config.get<string>('userConfigDir', '').trim();
  return {
    diagnosticsDelayMs: Math.max(0, config.get<number>('diagnosticsDelay', 50)),
    userConfigDir: userDir === '' ? undefined : userDir,
    statusBarEnabled: config.get<boolean>('statusBar.enabled', true),
    applyOnDrift: onDrift === 'keep' ? 'keep' : 'ask',
    mcp: {
      autoStart: config.get<boolean>('mcp.autoStart', true),
      offerToVSCode: config.get<boolean>('mcp.offerToVSCode', false),
      statusBar: config.get<boolean>('mcp.statusBar', true),
      supervisor: config.get<string>('mcp.supervisor', 'gateway') === 'inProcess' ? 'inProcess' : 'gateway',
    },
    usage: { statusBar: config.get<boolean>('usage.statusBar', true) },
    orgLayers: { checkIntervalMinutes: checkInterval(config.get<number>('orgLayers.checkInterval', 5)) },
  };
}

/** 0 (or less, or not a number) turns the check off; anything else is at least one minute. */
function checkInterval(minutes: number): number {
  if (!Number.isFinite(minutes) || minutes <= 0) return 0;
  return Math.max(1, minutes);
}

/** True when a configuration change touches a setting the language server was started with. */
export function affectsServerStart(event: vscode.ConfigurationChangeEvent): boolean {
  return ['claudeEnv.diagnosticsDelay', 'claudeEnv.userConfigDir'].some((name) => event.affectsConfiguration(name));
}
