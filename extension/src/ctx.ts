/**
 * The extension's one context: the language client's lifecycle, the output channel, and the stack-changed
 * event the views listen to. Code that needs a running client takes a {@link CtxInit}, whose `client` is not
 * optional, instead of checking for one everywhere.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  StackChangedNotification,
  type RequestSpec,
  type StackChangedParams,
  type WorkspaceParams,
} from '@claude-env/protocol';
import { createLanguageClient, LAYER_LANGUAGE_ID } from './client';
import type { EditorFleet } from './mcp/fleet';
import type { ServerLogChannels } from './mcp/logs';
import type { SecretStorageProvider } from './mcp/secretStorage';
import type { ServerHistory } from './dashboard/serverHistory';
import type { UsageTracker } from './dashboard/usageTracker';
import { readSettings } from './settings';
import { onNotification, sendRequest } from './requests';

/** A context whose language client is running. */
export type CtxInit = Ctx & { readonly client: LanguageClient };

/** MCP supervision as the commands use it (set up by mcp/index.ts). */
export interface McpSupervision {
  /** Where `Set Secret` stores secrets. */
  secrets: SecretStorageProvider;
  /** The supervised servers; undefined when no folder of the window has a project layer. */
  fleet?: EditorFleet;
  logs?: ServerLogChannels;
}

/** A context with a supervised MCP fleet. */
export type CtxFleet = Ctx & { readonly mcp: Required<McpSupervision> };

export class Ctx implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  private languageClient: LanguageClient | undefined;
  private clientSubscriptions: vscode.Disposable[] = [];
  private readonly stackChanged = new vscode.EventEmitter<StackChangedParams | undefined>();
  /** Fires when the server recomputed a stack, and with `undefined` when the client started or stopped. */
  readonly onDidChangeStack = this.stackChanged.event;
  /** Why the client is not running, when it is not (shown by commands and views). */
  notRunningReason = 'the language server is starting';
  /** MCP supervision, once activation set it up. */
  mcp: McpSupervision | undefined;
  /** Claude Code's usage from its transcripts, once activation set it up. */
  usage: UsageTracker | undefined;
  /** The gateway daemon's history of the MCP servers, for the dashboard, once activation set it up. */
  serverHistory: ServerHistory | undefined;

  private readonly editorSubscription: vscode.Disposable;
  private shownFolder: string | undefined;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('Claude Env', { log: true });
    this.shownFolder = this.folderKey();
    // In a multi-root window the views follow the layer file being edited; switching editors inside one
    // folder changes nothing, so only a change of folder refetches.
    this.editorSubscription = vscode.window.onDidChangeActiveTextEditor(() => {
      const folder = this.folderKey();
      if (folder === this.shownFolder) return;
      this.shownFolder = folder;
      this.stackChanged.fire(undefined);
    });
  }

  private folderKey(): string | undefined {
    const uri = this.currentWorkspaceUri();
    return uri ? (vscode.workspace.getWorkspaceFolder(uri)?.uri ?? uri).toString() : undefined;
  }

  get client(): LanguageClient | undefined {
    return this.languageClient;
  }

  isReady(): this is CtxInit {
    return this.languageClient?.isRunning() === true;
  }

  hasFleet(): this is CtxFleet {
    return this.mcp?.fleet !== undefined && this.mcp.logs !== undefined;
  }

  /** Starts the language server; on failure tells the person, with a way to the logs. */
  async start(): Promise<void> {
    if (this.languageClient) return;
    const client = createLanguageClient(this.extension, readSettings(), this.output);
    this.languageClient = client;
    try {
      await client.start();
    } catch (error) {
      this.languageClient = undefined;
      this.notRunningReason = `the language server failed to start: ${error instanceof Error ? error.message : String(error)}`;
      this.output.error(this.notRunningReason);
      // VS Code only logs a failed client start; say it where a person looks.
      void vscode.window.showErrorMessage(`Claude Env: ${this.notRunningReason}`, 'Open Output').then((choice) => {
        if (choice) this.output.show();
      });
      this.stackChanged.fire(undefined);
      return;
    }
    this.clientSubscriptions = [
      onNotification(client, StackChangedNotification, (params) => this.stackChanged.fire(params)),
      client.onDidChangeState(() => this.stackChanged.fire(undefined)),
    ];
    this.stackChanged.fire(undefined);
  }

  async stop(): Promise<void> {
    const client = this.languageClient;
    this.languageClient = undefined;
    this.notRunningReason = 'the language server is stopped';
    for (const subscription of this.clientSubscriptions) subscription.dispose();
    this.clientSubscriptions = [];
    if (client) await client.dispose();
    this.stackChanged.fire(undefined);
  }

  async restart(): Promise<void> {
    await this.stop();
    this.notRunningReason = 'the language server is restarting';
    await this.start();
  }

  /** Asks every view to fetch again (after a change the server cannot see, e.g. a setting). */
  refreshViews(): void {
    this.stackChanged.fire(undefined);
  }

  /**
   * The URI whose claude-env workspace the views show: the active layer file's, else the first folder's.
   * The server finds the workspace that owns it.
   */
  currentWorkspaceUri(): vscode.Uri | undefined {
    const document = vscode.window.activeTextEditor?.document;
    if (document?.languageId === LAYER_LANGUAGE_ID && document.uri.scheme === 'file') return document.uri;
    return vscode.workspace.workspaceFolders?.[0]?.uri;
  }

  /**
   * Sends a workspace request for the workspace the views show. Null when there is none, the server is not
   * running, or the request failed (logged as `what`): views then show their welcome text instead of an error.
   */
  async requestForCurrentWorkspace<Result>(
    spec: RequestSpec<WorkspaceParams, Result | null>,
    what: string,
  ): Promise<Result | null> {
    const uri = this.currentWorkspaceUri();
    if (!uri || !this.isReady()) return null;
    try {
      return await sendRequest(this.client, spec, { uri: uri.toString() });
    } catch (error) {
      this.output.error(`${what} request failed: ${String(error)}`);
      return null;
    }
  }

  dispose(): void {
    this.editorSubscription.dispose();
    void this.stop();
    this.stackChanged.dispose();
    this.output.dispose();
  }
}
