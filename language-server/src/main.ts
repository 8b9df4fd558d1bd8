/**
 * Entry of the claude-env language server. Creates the connection (stdio, IPC or a socket, as the command line
 * says), declares the capabilities and routes each message to the language service.
 */
import { pathToFileURL } from 'node:url';
import { createConnection, DidChangeWatchedFilesNotification, ProposedFeatures } from 'vscode-languageserver/node';
import { gitCacheDir } from '@claude-env/engine';
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

connection.onDidOpenTextDocument((params) => {
  const { uri, languageId, version, text } = params.textDocument;
  void ready().opened(uri, languageId, version, text);
});
connection.onDidChangeTextDocument((params) =>
  ready().changed(params.textDocument.uri, params.textDocument.version, params.contentChanges),
);
connection.onDidCloseTextDocument((params) => void ready().closed(params.textDocument.uri));
connection.onDidChangeWatchedFiles((params) => void ready().filesChanged(params.changes.map((change) => change.uri)));
connection.onNotification(
  SecretNamesNotification.method,
  (params: SecretNamesParams) => void ready().secretNamesChanged(params.names),
);

connection.onHover((params) => ready().hover(params));
connection.onCompletion((params) => ready().completion(params));
connection.onDefinition((params) => ready().definition(params));
connection.onCodeLens((params) => ready().codeLens(params));
connection.onDocumentSymbol((params) => ready().documentSymbols(params));
connection.onCodeAction((params) => ready().codeActions(params));

/** Binds a custom request to its handler with the spec's types (see protocol.ts for why specs are plain). */
function onRequest<Spec extends RequestSpec<unknown, unknown>>(
  spec: Spec,
  handler: (params: ParamsOf<Spec>) => Promise<ResultOf<Spec>>,
): void {
  connection.onRequest(spec.method, async (params: unknown): Promise<unknown> => handler(params as ParamsOf<Spec>));
}

onRequest(EffectiveEnvironmentRequest, (params) => ready().effectiveEnvironment(params));
onRequest(ExplainRequest, (params) => ready().explain(params));
onRequest(LayerStackRequest, (params) => ready().layerStack(params));
onRequest(WorkspacesRequest, () => ready().workspaces());

connection.listen();
