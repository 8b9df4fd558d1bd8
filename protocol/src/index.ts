/**
 * claude-env's own LSP messages, shared by the language server and the VS Code extension.
 *
 * Every message is named under the `claudeEnv/` prefix and says who sends it to whom. Payloads are plain JSON:
 * the engine's `Map`-based provenance tree is serialised to objects, paths become `file://` URIs next to the
 * absolute path, and secret references stay references (a resolved secret never crosses this boundary).
 */
import type { Origin, ServerDefinition } from '@claude-env/engine';

/**
 * A request: its method name plus, for the compiler only, its parameter and result types. Plain objects rather
 * than vscode-jsonrpc's `RequestType` because the server and the client bundle different vscode-jsonrpc
 * versions whose classes do not type-check against each other. Send with `sendRequest(spec.method, params)`.
 */
export interface RequestSpec<Params, Result> {
  readonly method: string;
  /** Never set; carries the types. */
  readonly types?: { params: Params; result: Result };
}

/** A notification: its method name and, for the compiler, its payload type. */
export interface NotificationSpec<Params> {
  readonly method: string;
  /** Never set; carries the type. */
  readonly types?: { params: Params };
}

/** Parameter type of a request or notification spec. */
export type ParamsOf<Spec> =
  Spec extends RequestSpec<infer P, unknown> ? P : Spec extends NotificationSpec<infer P> ? P : never;
/** Result type of a request spec. */
export type ResultOf<Spec> = Spec extends RequestSpec<unknown, infer R> ? R : never;

function request<Params, Result>(method: string): RequestSpec<Params, Result> {
  return { method };
}

function notification<Params>(method: string): NotificationSpec<Params> {
  return { method };
}

/** Zero-based LSP position (UTF-16 characters). */
export interface ProtocolPosition {
  line: number;
  character: number;
}

/** Zero-based LSP range. */
export interface ProtocolRange {
  start: ProtocolPosition;
  end: ProtocolPosition;
}

/** Identifies a workspace: a folder holding `.claude-env/`, or any file inside one (or a layer file it uses). */
export interface WorkspaceParams {
  /** `file://` URI of the workspace folder or of a document; the server finds the workspace that owns it. */
  uri: string;
}

/** Where one value was written: the engine's {@link Origin} (plain JSON), plus the file's URI for the client. */
export interface OriginJson extends Origin {
  /** `file://` URI of `file`, absent for the environment layer. */
  uri?: string;
}

/** One node of the effective configuration with its provenance, JSON-safe. */
export interface EffectiveNodeJson {
  path: string[];
  value: unknown;
  origin: OriginJson;
  /** The writes this value replaced, most recent first. */
  overridden: OriginJson[];
  /** Map children by key, in output order. */
  children?: Record<string, EffectiveNodeJson>;
  /** For arrays: where each item came from, in the order of `value`. */
  itemOrigins?: OriginJson[];
  /** For maps and union arrays: the later layers that merged into the value `origin` introduced. */
  contributors?: OriginJson[];
  /** The key was deleted by `origin` (`$delete`); it has no effective value. */
  deleted?: boolean;
}

/**
 * An effective MCP server (references unresolved): the engine's {@link ServerDefinition}, which is plain JSON
 * already, with its origin's URI added. Derived rather than written again, so a field the engine adds reaches the
 * client's type too.
 */
export interface ServerJson extends Omit<ServerDefinition, 'origin'> {
  origin: OriginJson;
}

/** Error, warning, info and hint counts. */
export interface ProblemCounts {
  errors: number;
  warnings: number;
  infos: number;
  hints: number;
}

/** Result of {@link EffectiveEnvironmentRequest}. */
export interface EffectiveEnvironmentResult {
  /** Absolute path of the workspace folder. */
  workspace: string;
  /** Plain merged value; `outputs` says which Claude Code files `apply` writes. */
  value: { settings: Record<string, unknown>; mcpServers: Record<string, unknown>; outputs: Record<string, unknown> };
  /** Provenance tree rooted at `path: []`. */
  tree: EffectiveNodeJson;
  servers: ServerJson[];
  problems: ProblemCounts;
}

/**
 * Client → server: the effective environment of the workspace that owns `uri`, with provenance for every value.
 * Open editor buffers are taken into account. Resolves to `null` when `uri` belongs to no workspace.
 */
export const EffectiveEnvironmentRequest = request<WorkspaceParams, EffectiveEnvironmentResult | null>(
  'claudeEnv/effectiveEnvironment',
);

/** Parameters of {@link ExplainRequest}. */
export interface ExplainParams extends WorkspaceParams {
  /** Dotted path such as `settings.model` or `mcpServers.context7.args`. */
  path: string;
}

/** Result of {@link ExplainRequest}. */
export interface ExplainResult {
  workspace: string;
  path: string;
  /** False when no layer sets the path. */
  found: boolean;
  /** The effective node with its provenance, when found. */
  node?: EffectiveNodeJson;
  /** A readable explanation: which layer set the value at which `file:line`, and what it overrode. */
  text: string;
}

/** Client → server: why a dotted path has its effective value. `null` when `uri` belongs to no workspace. */
export const ExplainRequest = request<ExplainParams, ExplainResult | null>('claudeEnv/explain');

/** State of one layer file in the stack. */
export type LayerFileState = 'ok' | 'problems' | 'invalid' | 'missing';

/** One file of the layer stack. */
export interface LayerInfo {
  kind: string;
  label: string;
  file: string;
  uri?: string;
  /** `missing`: not on disk; `invalid`: has errors; `problems`: warnings only; `ok`: clean. */
  state: LayerFileState;
  /** True when the file is open in an editor: its buffer (saved or not) is what the engine read. */
  openInEditor: boolean;
  problems: ProblemCounts;
  /** A base or team layer from a git source: the repository (password masked), the ref and the locked commit. */
  gitSource?: { url: string; ref: string; commit: string };
}

/** Result of {@link LayerStackRequest}. */
export interface LayerStackResult {
  workspace: string;
  /** Lowest priority first. */
  layers: LayerInfo[];
  /** Problems of the whole stack (every file, plus discovery problems). */
  problems: ProblemCounts;
}

/** Client → server: the layer files of the workspace that owns `uri`, each with its state and problem counts. */
export const LayerStackRequest = request<WorkspaceParams, LayerStackResult | null>('claudeEnv/layerStack');

/** Result of {@link WorkspacesRequest}. */
export interface WorkspacesResult {
  workspaces: { workspace: string; uri: string; problems: ProblemCounts }[];
}

/** Client → server: every claude-env workspace the server knows (found under the editor's folders or opened). */
export const WorkspacesRequest = request<Record<string, never>, WorkspacesResult>('claudeEnv/workspaces');

/** Payload of {@link StackChangedNotification}. */
export interface StackChangedParams {
  workspace: string;
  uri: string;
  /** Layer files whose content or state changed (absolute paths). */
  changedFiles: string[];
  problems: ProblemCounts;
}

/**
 * Server → client: a workspace's effective environment was recomputed after a layer file changed (edit, save,
 * file-system event). Views refresh by sending the requests above again.
 */
export const StackChangedNotification = notification<StackChangedParams>('claudeEnv/stackChanged');

/** Payload of {@link SecretNamesNotification}. */
export interface SecretNamesParams {
  /** Names of the secrets the client holds, e.g. `magic-api-key`. Never values. */
  names: string[];
}

/**
 * Client → server: the names of the secrets the client can provide (VS Code SecretStorage). The server stops
 * reporting `${secret:name}` references to them as unresolved; it never asks for a value.
 */
export const SecretNamesNotification = notification<SecretNamesParams>('claudeEnv/secretNames');

/** Options the client may pass in `initializationOptions`. */
export interface ClaudeEnvInitializationOptions {
  /** Delay between the last keystroke and re-validation, in milliseconds (default 50). */
  diagnosticsDelayMs?: number;
  /** Names of secrets the client holds at start (see {@link SecretNamesNotification}). */
  secretNames?: string[];
  /** Folder of the user layer, instead of `$XDG_CONFIG_HOME/claude-env` (or `~/.config/claude-env`). */
  userConfigDir?: string;
}

/** Command ids the server asks the client to run (from code lenses). */
export const ClientCommands = {
  /** Arguments: `[uri: string, path: string]`. Shows the explanation of a dotted path. */
  explain: 'claudeEnv.explain',
} as const;
