/**
 * MCP supervision in the editor: wires the fleet (the supervisor running in the extension host), the MCP
 * Servers view, per-server logs, the status-bar count, the commands, Workspace Trust, layer watching and the
 * offer to VS Code's own MCP support. main.ts makes one call to {@link registerMcpSupervision}.
 */
import * as vscode from 'vscode';
import { defaultSecretProvider, findProjectLayer } from '@claude-env/engine';
import { daemonLaunchFrom, gatewayPaths } from '@claude-env/mcp';
import { shareHeldSecretNames } from './secretNames';
import type { Ctx } from '../ctx';
import { McpFleet, type EditorFleet, type FleetEntry, type FleetState, type SupervisorMode } from './fleet';
import { GatewayFleet } from './gatewayFleet';
import { SwitchingFleet } from './switchingFleet';
import { ServerLogChannels } from './logs';
import { offerServersToVSCode } from './offer';
import { editorSecretProvider, SecretStorageProvider } from './secretStorage';
import { readSettings } from '../settings';
import { McpStatusBar } from './statusBar';
import { MCP_VIEW_ID, McpServersTreeProvider, type McpTreeElement } from './tree';
import { LayerWatcher } from './watch';

/** One row as the view renders it, for tests and other extensions (`claudeEnv.mcp.supervision`). */
export interface McpViewRow {
  element: McpTreeElement;
  label: string;
  description: string;
  tooltip: string;
  contextValue: string;
  icon: string;
}

/** What the hidden command `claudeEnv.mcp.supervision` returns inside the extension host. */
export interface McpSupervisionApi {
  /** Absolute folder whose servers are supervised; undefined when no folder has a project layer. */
  readonly workspace: string | undefined;
  /** Who runs the servers now (`claudeEnv.mcp.supervisor`). */
  mode(): SupervisorMode;
  /** Resolves when the first load (and the auto-start decisions) are done. */
  readonly ready: Promise<void>;
  /** Fires whenever a server's state, catalog or the list changes. */
  readonly onDidChange: vscode.Event<void>;
  entries(): FleetEntry[];
  /** The view's rows: top level, or below `parent`. */
  rows(parent?: McpTreeElement): McpViewRow[];
  statusBar(): { text: string; tooltip: string; visible: boolean };
  /** Servers whose log channel was opened (channels are created lazily). */
  openedLogs(): string[];
  /** Stops every server with its process tree; `deactivate` waits for it so nothing outlives the window. */
  stop(): Promise<void>;
}

/** The first folder of the window with a claude-env project layer. */
function supervisedFolder(): string | undefined {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    if (findProjectLayer(folder.uri.fsPath)) return folder.uri.fsPath;
  }
  return undefined;
}

export function registerMcpSupervision(extension: vscode.ExtensionContext, ctx: Ctx): McpSupervisionApi {
  const output = ctx.output;
  const secrets = new SecretStorageProvider(extension.secrets);
  const chain = editorSecretProvider(secrets);
  const workspace = supervisedFolder();
  const changed = new vscode.EventEmitter<void>();
  extension.subscriptions.push(changed);

  if (!workspace) {
    const empty: McpSupervisionApi = {
      workspace,
      mode: () => readSettings().mcp.supervisor,
      ready: Promise.resolve(),
      onDidChange: changed.event,
      entries: () => [],
      rows: () => [],
      statusBar: () => ({ text: '', tooltip: '', visible: false }),
      openedLogs: () => [],
      stop: async () => undefined,
    };
    // The MCP commands refuse and say why (Set Secret still works).
    ctx.mcp = { secrets };
    extension.subscriptions.push(
      // An empty provider, so the view shows its welcome text instead of "no data provider".
      vscode.window.registerTreeDataProvider<McpTreeElement>(MCP_VIEW_ID, {
        getChildren: () => [],
        getTreeItem: () => new vscode.TreeItem(''),
      }),
      vscode.commands.registerCommand('claudeEnv.mcp.supervision', () => empty),
    );
    return empty;
  }

  const autoStartEnabled = () => {
    const { mcp } = readSettings();
    // In-process, servers handed to VS Code's MCP support are started by VS Code; starting them here too would
    // run each twice. Through the gateway, both reach the same instances.
    return mcp.autoStart && (mcp.supervisor === 'gateway' || !mcp.offerToVSCode);
  };
  const log = (message: string) => output.info(`MCP: ${message}`);
  const userConfigDir = () => readSettings().userConfigDir;
  const create = (mode: SupervisorMode): EditorFleet =>
    mode === 'inProcess'
      ? new McpFleet({ workspace, secrets: chain, userConfigDir, autoStartEnabled, log })
      : new GatewayFleet({
          workspace,
          // What the daemon resolves with: its environment and the secrets file, not VS Code's SecretStorage.
          secrets: defaultSecretProvider(process.env),
          userConfigDir,
          autoStartEnabled,
          paths: gatewayPaths(process.env),
          // The bundled CLI beside this bundle, started as the shim starts it.
          daemon: daemonLaunchFrom(__dirname, process.env),
          clientInfo: { name: `${vscode.env.appName} (Claude Env)`, version: vscode.version },
          log,
        });
  const fleet = new SwitchingFleet(create, readSettings().mcp.supervisor);
  fleet.on('changed', () => changed.fire());
  const logs = new ServerLogChannels(fleet);
  const tree = new McpServersTreeProvider(fleet);
  const statusBar = new McpStatusBar(fleet);
  const watcher = new LayerWatcher(fleet);
  ctx.mcp = { secrets, fleet, logs };

  // A crash that will be retried is shown in the view; only the end of the road interrupts the person.
  const lastStates = new Map<string, FleetState>();
  fleet.on('changed', () => {
    for (const entry of fleet.list()) {
      const name = entry.definition.name;
      const previous = lastStates.get(name);
      lastStates.set(name, entry.state);
      if (entry.state === previous || (entry.state !== 'crashed' && entry.state !== 'failed')) continue;
      output.warn(`MCP: ${name} ${entry.state}: ${entry.reason}`);
      if (entry.state !== 'failed') continue;
      void vscode.window
        .showErrorMessage(`Claude Env: MCP server "${name}" failed: ${entry.reason}`, 'Show Log')
        .then((choice) => {
          if (choice) logs.show(name);
        });
    }
  });

  extension.subscriptions.push(
    logs,
    tree,
    statusBar,
    watcher,
    vscode.window.createTreeView(MCP_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true }),
    offerServersToVSCode(fleet, chain),
    secrets.onDidChange(() => watcher.schedule()),
    shareHeldSecretNames(ctx, fleet, secrets),
    // The language server sees a layer change too (also in org files we may not watch yet).
    ctx.onDidChangeStack((params) => params && watcher.schedule()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void fleet.setTrusted(true)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('claudeEnv.mcp.statusBar')) statusBar.refresh();
      if (event.affectsConfiguration('claudeEnv.mcp.supervisor')) void fleet.switchTo(readSettings().mcp.supervisor);
      if (
        ['claudeEnv.userConfigDir', 'claudeEnv.mcp.autoStart', 'claudeEnv.mcp.offerToVSCode'].some((name) =>
          event.affectsConfiguration(name),
        )
      ) {
        watcher.schedule();
      }
    }),
    // Deactivation: stop every server with its process tree. Disposal cannot be awaited; the supervisor's exit
    // hook SIGKILLs whatever is left if the extension host exits first.
    { dispose: () => void fleet.dispose() },
  );

  const ready = fleet.setTrusted(vscode.workspace.isTrusted);
  const render = (element: McpTreeElement): McpViewRow => {
    const item = tree.getTreeItem(element);
    const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : (item.tooltip ?? '');
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    const icon = item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : '';
    return {
      element,
      label,
      description: String(item.description ?? ''),
      tooltip,
      contextValue: item.contextValue ?? '',
      icon,
    };
  };
  const api: McpSupervisionApi = {
    workspace,
    mode: () => fleet.mode,
    ready,
    onDidChange: changed.event,
    entries: () => fleet.list(),
    rows: (parent) => tree.getChildren(parent).map(render),
    statusBar: () => ({
      text: statusBar.item.text,
      tooltip: String(statusBar.item.tooltip ?? ''),
      visible: readSettings().mcp.statusBar && fleet.list().length > 0,
    }),
    openedLogs: () => logs.opened(),
    stop: () => fleet.dispose(),
  };
  extension.subscriptions.push(vscode.commands.registerCommand('claudeEnv.mcp.supervision', () => api));
  return api;
}
