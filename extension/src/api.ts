/**
 * The API `activate` returns (`vscode.extensions.getExtension('claude-env.claude-env').exports`). Other
 * extensions and the in-editor test suite use it to wait for the server and read what the views show.
 */
import type * as vscode from 'vscode';
import type { EffectiveEnvironmentResult, LayerInfo, LayerStackResult, StackChangedParams } from '@claude-env/protocol';
import type { OrgUpdatesApi } from './orgUpdates';
import type { EffectiveEntry } from './views/effective';
import type { DashboardPanel } from './dashboard/dashboardPanel';
import type { DashboardData, ServersData } from '../webview/messages';

export interface ClaudeEnvApi {
  /** Resolves once the language server started (or failed to start: then `serverRunning()` is false). */
  readonly serverStarted: Promise<void>;
  serverRunning(): boolean;
  /** Timings measured in the extension host, in milliseconds. */
  readonly timings: { activateMs: number; serverStartMs?: number };
  /** What the Layers view shows now (fetches it). */
  layers(): Promise<LayerStackResult | null>;
  /** How the Layers view renders a layer of the last stack (its description holds the org commit and "N behind"). */
  layerItem(layer: LayerInfo): vscode.TreeItem;
  /** The Effective Configuration view's rows: top level, or below `parent`. */
  effectiveRows(parent?: EffectiveEntry): Promise<EffectiveEntry[]>;
  /** How the Effective Configuration view renders a row (label, tooltip, click command). */
  effectiveItem(row: EffectiveEntry): vscode.TreeItem;
  /** Fires when the server recomputed a stack (`undefined`: the server started, stopped or views were refreshed). */
  readonly onDidChangeStack: vscode.Event<StackChangedParams | undefined>;
  /** The environment the Effective Configuration view last showed. */
  lastEffectiveEnvironment(): EffectiveEnvironmentResult | null;
  /** The status-bar item's text and tooltip. */
  statusBar(): { text: string; tooltip: string | undefined; visible: boolean };
  /** New commits of the org layers' git source: check now, what the last check found, the notifications shown. */
  orgUpdates: OrgUpdatesApi;
  /** Claude Code's usage: read the transcripts again, the usage status-bar item, the budget notifications shown. */
  usage: {
    refresh(): Promise<DashboardData>;
    statusBar(): { text: string; tooltip: string };
    notifications(): string[];
  };
  /** The dashboard: read the transcripts and the MCP servers' history again (posted to an open panel), the panel. */
  dashboard: {
    refresh(): Promise<{ usage: DashboardData; servers: ServersData }>;
    open(): DashboardPanel | undefined;
  };
}
