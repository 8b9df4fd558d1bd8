/**
 * Entry of the Claude Env extension. It only wires: one context, the command table, the views, the status bar,
 * then the language client. Everything with logic lives in the modules it imports.
 */
import * as vscode from 'vscode';
import type { ClaudeEnvApi } from './api';
import { COMMAND_TABLE } from './commands';
import { DashboardPanel, registerUsage } from './dashboard';
import { registerCommands } from './commands/registry';
import { Ctx } from './ctx';
import { EFFECTIVE_SCHEME, EffectiveDocumentProvider } from './effectiveDocument';
import { watchOrgLayerFiles } from './layerLanguage';
import { registerMcpSupervision, type McpSupervisionApi } from './mcp';
import { OrgUpdates } from './orgUpdates';
import { affectsServerStart } from './settings';
import { StackStatusBar } from './statusBar';
import { EFFECTIVE_VIEW_ID, EffectiveTreeProvider } from './views/effective';
import { LAYERS_VIEW_ID, LayersTreeProvider } from './views/layers';

let ctx: Ctx | undefined;
let mcp: McpSupervisionApi | undefined;

export function activate(extension: vscode.ExtensionContext): ClaudeEnvApi {
  const started = performance.now();
  const context = new Ctx(extension);
  ctx = context;
  const layers = new LayersTreeProvider(context);
  const effective = new EffectiveTreeProvider(context);
  const statusBar = new StackStatusBar(context);
  const effectiveDocuments = new EffectiveDocumentProvider(context);
  const orgUpdates = new OrgUpdates(context);
  layers.orgStatus = (workspace) => orgUpdates.checker.status(workspace);
  extension.subscriptions.push(
    context,
    layers,
    effective,
    statusBar,
    effectiveDocuments,
    vscode.window.registerTreeDataProvider(LAYERS_VIEW_ID, layers),
    vscode.window.registerTreeDataProvider(EFFECTIVE_VIEW_ID, effective),
    vscode.workspace.registerTextDocumentContentProvider(EFFECTIVE_SCHEME, effectiveDocuments),
    ...registerCommands(context, COMMAND_TABLE),
    orgUpdates,
    orgUpdates.onDidChangeStatus(() => layers.refresh()),
    // Each runs git against the org repository (a program, and the network): refused in Restricted Mode.
    ...registerCommands(context, {
      'orgLayers.checkForUpdates': {
        needs: 'nothing',
        writes: true,
        create: () => () => orgUpdates.checkFromCommand(),
      },
      'orgLayers.review': {
        needs: 'nothing',
        writes: true,
        create:
          () =>
          (...args) =>
            orgUpdates.openReview(...args),
      },
      'orgLayers.update': {
        needs: 'nothing',
        writes: true,
        create:
          () =>
          (...args) =>
            orgUpdates.update(...args),
      },
    }),
    watchOrgLayerFiles(context),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsServerStart(event)) void context.restart();
    }),
    // Trusting the folder enables the commands that write; views show the same data either way.
    vscode.workspace.onDidGrantWorkspaceTrust(() => context.refreshViews()),
  );
  mcp = registerMcpSupervision(extension, context);
  const usage = registerUsage(context);
  extension.subscriptions.push(usage.tracker, usage.statusBar, usage.history);
  const timings: { activateMs: number; serverStartMs?: number } = { activateMs: 0 };
  const serverStarted = context.start().then(() => {
    timings.serverStartMs = performance.now() - started;
  });
  void statusBar.refresh();
  timings.activateMs = performance.now() - started;
  return {
    serverStarted,
    serverRunning: () => context.isReady(),
    timings,
    layers: async () => {
      await layers.getChildren();
      return layers.lastStack;
    },
    layerItem: (layer) => layers.getTreeItem(layer),
    effectiveRows: (parent) => effective.getChildren(parent),
    effectiveItem: (row) => effective.getTreeItem(row),
    onDidChangeStack: context.onDidChangeStack,
    lastEffectiveEnvironment: () => effective.lastEnvironment,
    usage: {
      refresh: () => usage.tracker.refresh(),
      statusBar: () => ({ text: usage.statusBar.item.text, tooltip: String(usage.statusBar.item.tooltip ?? '') }),
      notifications: () => [...usage.statusBar.notified],
    },
    dashboard: {
      refresh: async () => {
        const [transcripts, servers] = await Promise.all([usage.tracker.refresh(), usage.history.refresh()]);
        return { usage: transcripts, servers };
      },
      open: () => DashboardPanel.open,
    },
    orgUpdates: orgUpdates.api,
    statusBar: () => ({
      text: statusBar.item.text,
      tooltip: typeof statusBar.item.tooltip === 'string' ? statusBar.item.tooltip : undefined,
      visible: statusBar.item.text !== '',
    }),
  };
}

export async function deactivate(): Promise<void> {
  // VS Code waits for this promise, so MCP server process trees are gone before the extension host exits.
  await Promise.all([ctx?.stop(), mcp?.stop()]);
  ctx = undefined;
  mcp = undefined;
}
