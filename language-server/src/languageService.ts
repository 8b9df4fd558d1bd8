/**
 * The facade over the server's features: owns the open buffers, the workspaces and the diagnostics scheduler,
 * and hands each request to the unit that answers it. Handlers in main.ts look nothing up themselves.
 */
import { CodeLensRefreshRequest } from 'vscode-languageserver/node';
import type {
  CodeActionParams,
  CodeLensParams,
  CompletionParams,
  Connection,
  DefinitionParams,
  DocumentSymbolParams,
  HoverParams,
} from 'vscode-languageserver/node';
import { dirname, join, sep } from 'node:path';
import { gitCacheDir, userConfigDir } from '@claude-env/engine';
import { defaultSecretProvider } from '@claude-env/engine';
import type { ExplainParams, WorkspaceParams } from '@claude-env/protocol';
import { codeActions } from './codeActions';
import { codeLens } from './codeLens';
import { completion } from './completion';
import { effectiveEnvironment, explain, layerStack, workspaces } from './customRequests';
import { definition } from './definition';
import { DiagnosticsService } from './diagnostics';
import { documentSymbols } from './documentSymbols';
import { OpenDocuments, uriToPath } from './documents';
import type { FeatureContext } from './featureContext';
import { hover } from './hover';
import { defaultRules } from './rules';
import { WorkspaceRegistry } from './workspaces';

export interface LanguageServiceOptions {
  connection: Connection;
  /** Quiet period after a keystroke before validating. */
  diagnosticsDelayMs: number;
  /** Secret names the client holds at start. */
  secretNames?: readonly string[];
  /** Folder of the user layer when the client overrides it. */
  userConfigDir?: string;
  /** The client can be asked to re-request code lenses (`workspace/codeLens/refresh`). */
  codeLensRefresh?: boolean;
}

export function createLanguageService(options: LanguageServiceOptions) {
  const documents = new OpenDocuments();
  let clientSecretNames: ReadonlySet<string> = new Set(options.secretNames ?? []);
  const registry = new WorkspaceRegistry({
    reader: documents.reader(),
    rules: defaultRules(),
    secrets: defaultSecretProvider(),
    clientSecretNames: () => clientSecretNames,
    userConfigDir: options.userConfigDir,
  });
  const userFolder = options.userConfigDir ?? userConfigDir();
  const checkouts = join(gitCacheDir(), 'checkouts');
  const diagnostics = new DiagnosticsService({
    connection: options.connection,
    documents,
    registry,
    delayMs: options.diagnosticsDelayMs,
    // An edit in local.yaml changes the lenses of base.yaml, which the editor would not ask for again by itself.
    onStacksChanged: options.codeLensRefresh
      ? () => void options.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined)
      : undefined,
  });
  const context: FeatureContext = { documents, registry, flushPending: () => diagnostics.flush() };

  /** Runs a feature, turning a failure into a logged empty answer rather than an error popup. */
  const guarded = async <T>(name: string, fallback: T, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      options.connection.console.error(`${name} failed: ${(error as Error).stack ?? String(error)}`);
      return fallback;
    }
  };

  return {
    documents,
    registry,
    diagnostics,

    /**
     * Registers the workspaces found under the editor's folders. Synchronous on purpose: it runs while
     * `initialize` is answered, so no request can arrive before the server knows which stacks files belong to.
     */
    addFolders(folderUris: readonly string[]): void {
      registry.scan(folderUris.map(uriToPath).filter((path): path is string => path !== undefined));
    },

    /** Computes every known workspace and publishes the diagnostics of all their files. */
    async validateAll(): Promise<void> {
      const stackFiles: string[] = [];
      for (const model of registry.all()) {
        await guarded('Loading a workspace', undefined, async () => {
          await model.ready();
          stackFiles.push(...model.files());
        });
      }
      await diagnostics.validateNow(stackFiles);
    },

    async opened(uri: string, languageId: string, version: number, text: string): Promise<void> {
      const document = documents.open(uri, languageId, version, text);
      const path = uriToPath(uri);
      if (!document || !path) return;
      await diagnostics.validateNow([path]);
      // After the first diagnostics are out, while the person reads the file.
      setImmediate(() => {
        for (const model of registry.modelsFor(path))
          void guarded('Preparing the parse cache', undefined, async () => model.warm(path));
      });
    },

    changed(uri: string, version: number, changes: Parameters<OpenDocuments['change']>[2]): void {
      const document = documents.change(uri, version, changes);
      const path = uriToPath(uri);
      if (document && path) diagnostics.schedule([path]);
    },

    /** Closing a buffer drops unsaved text: the file on disk becomes the truth again. */
    closed(uri: string): Promise<void> {
      const path = documents.close(uri);
      return path ? diagnostics.validateNow([path]) : Promise.resolve();
    },

    /**
     * Files created, changed or deleted on disk. Only layer files count: those of a known stack, anything in a
     * `.claude-env/` or the user layer folder (a `local.yaml` being created changes the stack), and checkouts of
     * the git cache. Open buffers win over disk.
     */
    filesChanged(uris: readonly string[]): Promise<void> {
      const all = uris.map(uriToPath).filter((path): path is string => path !== undefined);
      const paths = all
        .filter((path) => !documents.isOpen(path))
        .filter((path) => isLayerLocation(path, userFolder) || registry.all().some((model) => model.includes(path)));
      // A checkout appearing in the git cache (`claude-env fetch` in a terminal): every stack looks for its source again.
      if (all.some((path) => path === checkouts || path.startsWith(checkouts + sep))) {
        for (const model of registry.all()) {
          const project = model.files().find((file) => model.layerOf(file)?.kind === 'project');
          if (project) paths.push(project);
        }
      }
      return paths.length > 0 ? diagnostics.validateNow(paths) : Promise.resolve();
    },

    /** The client's secret store changed: references to its secrets are no longer reported as unresolved. */
    secretNamesChanged(names: readonly string[]): Promise<void> {
      clientSecretNames = new Set(names);
      return diagnostics.validateNow(registry.all().flatMap((model) => model.files()));
    },

    hover: (params: HoverParams) => guarded('Hover', null, () => hover(context, params)),
    completion: (params: CompletionParams) =>
      guarded('Completion', { isIncomplete: false, items: [] }, () => completion(context, params)),
    definition: (params: DefinitionParams) => guarded('Definition', null, () => definition(context, params)),
    codeLens: (params: CodeLensParams) => guarded('Code lens', [], () => codeLens(context, params)),
    documentSymbols: (params: DocumentSymbolParams) =>
      guarded('Document symbols', [], () => documentSymbols(context, params)),
    codeActions: (params: CodeActionParams) => guarded('Code actions', [], () => codeActions(context, params)),
    effectiveEnvironment: (params: WorkspaceParams) =>
      guarded('Effective environment', null, () => effectiveEnvironment(context, params)),
    explain: (params: ExplainParams) => guarded('Explain', null, () => explain(context, params)),
    layerStack: (params: WorkspaceParams) => guarded('Layer stack', null, () => layerStack(context, params)),
    workspaces: () => guarded('Workspaces', { workspaces: [] }, () => workspaces(context)),
  };
}

/** A `.claude-env/` folder or the user layer's folder: files appearing there join a stack. */
function isLayerLocation(path: string, userFolder: string): boolean {
  return /[\\/]\.claude-env[\\/]/.test(path) || dirname(path) === userFolder;
}

/** The facade's type, for code that is handed a service rather than creating one. */
export type LanguageService = ReturnType<typeof createLanguageService>;
