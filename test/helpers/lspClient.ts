/**
 * A real LSP client driving a real server process over stdio: `node dist/server.js --stdio` for claude-env,
 * or any other command (the benchmark starts yaml-language-server through the same class).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { SERVER_BUNDLE } from './paths';

export interface StartOptions {
  /** Command and arguments; defaults to the claude-env server bundle over stdio. */
  command?: string[];
  /** Workspace folders (absolute paths) sent in `initialize`. */
  folders?: string[];
  env?: NodeJS.ProcessEnv;
  initializationOptions?: unknown;
  /** Called with each `workspace/configuration` request; the answer goes back to the server. */
  configuration?: (section: string | undefined) => unknown;
}

interface Waiter {
  uri: string;
  accept: (params: PublishDiagnosticsParams) => boolean;
  resolve: (params: PublishDiagnosticsParams) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const CAPABILITIES: ClientCapabilities = {
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'] } },
    definition: { linkSupport: false },
    codeLens: {},
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
  },
  workspace: { workspaceFolders: true, configuration: true, codeLens: { refreshSupport: true } },
};

export class LspClient {
  /** Latest diagnostics per URI. */
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every custom notification received, by method. */
  readonly notifications: { method: string; params: unknown }[] = [];
  /** How many times the server asked to re-request code lenses. */
  codeLensRefreshes = 0;
  private refreshWaiters: (() => void)[] = [];

  /** Resolves at the server's next `workspace/codeLens/refresh` request. */
  nextCodeLensRefresh(): Promise<void> {
    return new Promise((resolve) => this.refreshWaiters.push(resolve));
  }
  private readonly versions = new Map<string, number>();
  private waiters: Waiter[] = [];
  private notificationWaiters: {
    method: string;
    accept: (params: unknown) => boolean;
    resolve: (params: unknown) => void;
    timer: NodeJS.Timeout;
  }[] = [];
  private stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params);
      for (const waiter of [...this.waiters]) {
        if (waiter.uri === params.uri && waiter.accept(params)) {
          clearTimeout(waiter.timer);
          this.waiters = this.waiters.filter((candidate) => candidate !== waiter);
          waiter.resolve(params);
        }
      }
    });
    connection.onUnhandledNotification((message) => {
      const { method, params } = message;
      this.notifications.push({ method, params });
      for (const waiter of [...this.notificationWaiters]) {
        if (waiter.method === method && waiter.accept(params)) {
          clearTimeout(waiter.timer);
          this.notificationWaiters = this.notificationWaiters.filter((candidate) => candidate !== waiter);
          waiter.resolve(params);
        }
      }
    });
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('workspace/codeLens/refresh', () => {
      this.codeLensRefreshes++;
      for (const resolve of this.refreshWaiters.splice(0)) resolve();
      return null;
    });
  }

  static async start(options: StartOptions = {}): Promise<LspClient> {
    const [command, ...args] = options.command ?? [process.execPath, SERVER_BUNDLE, '--stdio'];
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
    const connection = createProtocolConnection(
      new StreamMessageReader(child.stdout!),
      new StreamMessageWriter(child.stdin!),
    );
    const client = new LspClient(child, connection);
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => options.configuration?.(item.section) ?? null),
    );
    connection.listen();
    const folders = options.folders ?? [];
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folders[0] ? fileUri(folders[0]) : null,
      workspaceFolders: folders.map((folder) => ({ uri: fileUri(folder), name: folder })),
      capabilities: CAPABILITIES,
      initializationOptions: options.initializationOptions,
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Opens a document and returns the version sent. */
  async open(uri: string, text: string, languageId = 'yaml'): Promise<number> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
    return 1;
  }

  /** Replaces the whole text of an open document; returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return version;
  }

  /**
   * Resolves with the first diagnostics published for `uri` that satisfy `accept` (checking what was already
   * published first). Rejects after `timeoutMs` with what was last seen, so a failing test says why.
   */
  waitForDiagnostics(
    uri: string,
    accept: (diagnostics: Diagnostic[], params: PublishDiagnosticsParams) => boolean,
    timeoutMs = 8000,
  ): Promise<Diagnostic[]> {
    const test = (params: PublishDiagnosticsParams) => accept(params.diagnostics, params);
    const current = this.diagnostics.get(uri);
    if (current && test(current)) return Promise.resolve(current.diagnostics);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter.timer !== timer);
        const last = this.diagnostics.get(uri);
        reject(
          new Error(
            `No matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(last?.diagnostics ?? null)}\n${this.stderr}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push({ uri, accept: test, resolve: (params) => resolve(params.diagnostics), reject, timer });
    });
  }

  /** Waits for the diagnostics of a given document version (servers that report versions). */
  waitForVersion(uri: string, version: number, timeoutMs = 60_000): Promise<Diagnostic[]> {
    return this.waitForDiagnostics(uri, (_, params) => params.version === version, timeoutMs);
  }

  /** Waits for the next publish for `uri`, whatever it holds (servers that do not report versions). */
  waitForNextPublish(uri: string, timeoutMs = 60_000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter.timer !== timer);
        reject(new Error(`No diagnostics published for ${uri} within ${timeoutMs} ms\n${this.stderr}`));
      }, timeoutMs);
      this.waiters.push({ uri, accept: () => true, resolve, reject, timer });
    });
  }

  /** Resolves with the first notification of `method` (already received or to come) that satisfies `accept`. */
  waitForNotification<P>(method: string, accept: (params: P) => boolean, timeoutMs = 8000): Promise<P> {
    const seen = this.notifications.find(
      (notification) => notification.method === method && accept(notification.params as P),
    );
    if (seen) return Promise.resolve(seen.params as P);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.notificationWaiters = this.notificationWaiters.filter((waiter) => waiter.timer !== timer);
        reject(new Error(`No matching ${method} within ${timeoutMs} ms\n${this.stderr}`));
      }, timeoutMs);
      this.notificationWaiters.push({
        method,
        accept: (params) => accept(params as P),
        resolve: (params) => resolve(params as P),
        timer,
      });
    });
  }

  /** The server's process id, for measuring what it holds (`/proc/<pid>/status`). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** Ends a server that no longer answers (a benchmark's peer stuck on a document): SIGKILL, then the exit. */
  async kill(): Promise<void> {
    for (const waiter of [...this.waiters, ...this.notificationWaiters]) clearTimeout(waiter.timer);
    this.waiters = [];
    this.notificationWaiters = [];
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGKILL');
      await exited;
    }
    this.connection.dispose();
  }

  async stop(): Promise<void> {
    for (const waiter of [...this.waiters, ...this.notificationWaiters]) clearTimeout(waiter.timer);
    this.waiters = [];
    this.notificationWaiters = [];
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // The server is gone already; the kill below makes sure.
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    this.connection.dispose();
  }
}

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}
