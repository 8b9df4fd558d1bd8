/**
 * Entry of the claude-env language server. Creates the connection (stdio, IPC or a socket, as the command line
 * says), declares the capabilities and routes each message to the language service.
 */
import { pathToFileURL } from 'node:url';
import { createConnection, DidChangeWatchedFilesNotification, ProposedFeatures } from 'vscode-languageserver/node';
import { gitCacheDir } from '@claude-env/engine';
import type {
  CodeActionParams,
  CodeLensParams,
  CompletionParams,
  DefinitionParams,
  DidChangeTextDocumentParams,
  DidChangeWatchedFilesParams,
  DidCloseTextDocumentParams,
  DidOpenTextDocumentParams,
  DocumentSymbolParams,
  HoverParams,
} from 'vscode-languageserver/node';
import {
  EffectiveEnvironmentRequest,
  ExplainRequest,
  LayerStackRequest,
  SecretNamesNotification,
  WorkspacesRequest,
  type SecretNamesParams,
  type ClaudeEnvInitializationOptions,
  type ParamsOf,
  type RequestSpec,
  type ResultOf,
} from '@claude-env/protocol';
import { createLanguageService } from './languageService';
import { checkedNotification, checkedRequest, PARAMS_SHAPES, type ParamsShape } from './paramsCheck';
import { serverCapabilities } from './serverInit';

const VERSION = '0.1.0';
const DEFAULT_DIAGNOSTICS_DELAY_MS = 50;

const connection = createConnection(ProposedFeatures.all);
let watchFilesDynamically = false;
let service: ReturnType<typeof createLanguageService> | undefined;

connection.onInitialize((params) => {
  const options = (params.initializationOptions ?? {}) as ClaudeEnvInitializationOptions;
  service = createLanguageService({
    connection,
    diagnosticsDelayMs: options.diagnosticsDelayMs ?? DEFAULT_DIAGNOSTICS_DELAY_MS,
    secretNames: options.secretNames,
    userConfigDir: options.userConfigDir,
    codeLensRefresh: params.capabilities.workspace?.codeLens?.refreshSupport === true,
  });
  let folders = (params.workspaceFolders ?? []).map((folder) => folder.uri);
  if (folders.length === 0 && params.rootUri) folders = [params.rootUri];
  service.addFolders(folders);
  watchFilesDynamically = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  return serverCapabilities(VERSION);
});

/** Requests may arrive only after `initialize`; this gives handlers a service without null checks. */
function ready(): ReturnType<typeof createLanguageService> {
  if (!service) throw new Error('The claude-env language server received a request before initialize.');
  return service;
}

connection.onInitialized(async () => {
  if (watchFilesDynamically) {
    // Layer files change outside the editor too (git pull in the org folder, `claude-env init`).
    await connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [
        { globPattern: '**/.claude-env/**' },
        { globPattern: '**/*.{yaml,yml,json}' },
        // Outside the workspace: the git cache, where `claude-env fetch` puts the checkout a stack waits for.
        { globPattern: { baseUri: pathToFileURL(gitCacheDir()).href, pattern: 'checkouts/*' } },
      ],
    });
  }
  connection.workspace.onDidChangeWorkspaceFolders((event) => {
    ready().addFolders(event.added.map((folder) => folder.uri));
    void ready().validateAll();
  });
  await ready().validateAll();
});

const log = (message: string) => connection.console.warn(message);
connection.onDidOpenTextDocument(
  checkedNotification('textDocument/didOpen', PARAMS_SHAPES.didOpen, log, (params: DidOpenTextDocumentParams) => {
    const { uri, languageId, version, text } = params.textDocument;
    void ready().opened(uri, languageId, version, text);
  }),
);
connection.onDidChangeTextDocument(
  checkedNotification('textDocument/didChange', PARAMS_SHAPES.didChange, log, (params: DidChangeTextDocumentParams) =>
    ready().changed(params.textDocument.uri, params.textDocument.version, params.contentChanges),
  ),
);
connection.onDidCloseTextDocument(
  checkedNotification(
    'textDocument/didClose',
    PARAMS_SHAPES.textDocument,
    log,
    (params: DidCloseTextDocumentParams) => {
      void ready().closed(params.textDocument.uri);
    },
  ),
);
connection.onDidChangeWatchedFiles(
  checkedNotification(
    'workspace/didChangeWatchedFiles',
    PARAMS_SHAPES.didChangeWatchedFiles,
    log,
    (params: DidChangeWatchedFilesParams) => void ready().filesChanged(params.changes.map((change) => change.uri)),
  ),
);
connection.onNotification(
  SecretNamesNotification.method,
  checkedNotification(SecretNamesNotification.method, PARAMS_SHAPES.secretNames, log, (params: SecretNamesParams) => {
    void ready().secretNamesChanged(params.names);
  }),
);

// Every request's params are checked before its handler runs: malformed ones get InvalidParams (-32602).
const { textDocument, textDocumentPosition, codeAction } = PARAMS_SHAPES;
connection.onHover(checkedRequest('textDocument/hover', textDocumentPosition, (p: HoverParams) => ready().hover(p)));
connection.onCompletion(
  checkedRequest('textDocument/completion', textDocumentPosition, (p: CompletionParams) => ready().completion(p)),
);
connection.onDefinition(
  checkedRequest('textDocument/definition', textDocumentPosition, (p: DefinitionParams) => ready().definition(p)),
);
connection.onCodeLens(
  checkedRequest('textDocument/codeLens', textDocument, (p: CodeLensParams) => ready().codeLens(p)),
);
connection.onDocumentSymbol(
  checkedRequest('textDocument/documentSymbol', textDocument, (p: DocumentSymbolParams) => ready().documentSymbols(p)),
);
connection.onCodeAction(
  checkedRequest('textDocument/codeAction', codeAction, (p: CodeActionParams) => ready().codeActions(p)),
);

/** Binds a custom request to its handler with the spec's types (see protocol.ts for why specs are plain). */
function onRequest<Spec extends RequestSpec<unknown, unknown>>(
  spec: Spec,
  shape: ParamsShape,
  handler: (params: ParamsOf<Spec>) => Promise<ResultOf<Spec>>,
): void {
  const checked = checkedRequest(spec.method, shape, handler);
  connection.onRequest(spec.method, async (params: unknown): Promise<unknown> => checked(params));
}

onRequest(EffectiveEnvironmentRequest, PARAMS_SHAPES.workspace, (params) => ready().effectiveEnvironment(params));
onRequest(ExplainRequest, PARAMS_SHAPES.explain, (params) => ready().explain(params));
onRequest(LayerStackRequest, PARAMS_SHAPES.workspace, (params) => ready().layerStack(params));
onRequest(WorkspacesRequest, PARAMS_SHAPES.none, () => ready().workspaces());

connection.listen();
