/**
 * The engine's vocabulary. Everything in claude-env (CLI, language server, supervisor, dev container feature)
 * speaks these types; none of them import `vscode` or an LSP connection.
 *
 * Positions are zero-based (line, UTF-16 character), as in LSP, so the server forwards them untouched and the
 * CLI adds one when it prints `file:line:col`.
 */
import type { DiagnosticCodeValue } from './diagnosticCodes';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** Another place that explains a diagnostic, e.g. the lock in the base that a user-layer line violates. */
export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

export interface Diagnostic {
  /** Absolute path of the file the diagnostic sits in (or `env:NAME` for the environment layer). */
  file: string;
  range: Range;
  severity: Severity;
  /** Stable code, one of {@link DiagnosticCode} (documented in docs/diagnostics.md). */
  code: DiagnosticCodeValue;
  message: string;
  related?: RelatedLocation[];
  /** Machine-readable details for quick fixes (never a resolved secret). */
  data?: Record<string, unknown>;
}

/** Layers, lowest priority first. */
export type LayerKind = 'base' | 'team' | 'project' | 'user' | 'local' | 'env';
export const LAYER_ORDER: readonly LayerKind[] = ['base', 'team', 'project', 'user', 'local', 'env'];

/** Layers whose content is shared by the team (committed or from the org source). */
export const SHARED_LAYERS: readonly LayerKind[] = ['base', 'team', 'project'];

/** Layers that may declare `policy`. */
export const POLICY_LAYERS: readonly LayerKind[] = ['base', 'team'];

export type ScalarValue = string | number | boolean | null;

interface NodeBase {
  /** Range of the value itself. */
  range: Range;
}

export interface ScalarNode extends NodeBase {
  type: 'scalar';
  value: ScalarValue;
}

export interface MapEntry {
  key: string;
  keyRange: Range;
  value: SourceNode;
}

export interface MapNode extends NodeBase {
  type: 'map';
  entries: MapEntry[];
}

export interface ArrayNode extends NodeBase {
  type: 'array';
  items: SourceNode[];
}

/** A parsed YAML or JSON value with the source range of every key and value. */
export type SourceNode = ScalarNode | MapNode | ArrayNode;

/** One layer file as read from disk (or from an editor buffer), parsed and validated on its own. */
export interface ParsedLayer {
  kind: LayerKind;
  /** Human label: `base`, `team platform`, `project`, `user`, `local`, `environment`. */
  label: string;
  /** Absolute path, or `env:` for the environment layer. */
  file: string;
  format: 'yaml' | 'json';
  text: string;
  /** Root node, or undefined when the file could not be parsed or is empty. */
  root: MapNode | undefined;
  /** Syntax and schema diagnostics of this file alone. */
  diagnostics: Diagnostic[];
  /** For a base or team layer read from a git source: the repository (password masked), the ref and the locked commit. */
  gitSource?: { url: string; ref: string; commit: string };
}

/** Where one value came from. */
export interface Origin {
  kind: LayerKind;
  label: string;
  file: string;
  /** Range of the key that set the value (for array items: the item itself). */
  keyRange: Range;
  /** Range of the value. */
  range: Range;
  /** The value as written in that file (secret references stay references). */
  value: unknown;
}

/**
 * One node of the effective configuration. Leaves are scalars and arrays; maps have children.
 * `origin` is the winning write; `overridden` lists the writes it replaced, most recent first.
 */
export interface EffectiveNode {
  path: string[];
  value: unknown;
  origin: Origin;
  overridden: Origin[];
  /** For maps: children by key, in output order. */
  children?: Map<string, EffectiveNode>;
  /** For union arrays: where each item came from (same order as `value`). */
  itemOrigins?: Origin[];
  /** For maps and union arrays: later layers that merged into this value (the `origin` introduced it). */
  contributors?: Origin[];
  /** The key was deleted by `origin` (a `$delete` directive); it has no effective value. */
  deleted?: boolean;
}

/** An MCP server as the effective configuration defines it (references unresolved). */
export interface ServerDefinition {
  name: string;
  type: 'stdio' | 'http' | 'sse' | 'ws';
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
  supervision: SupervisionOptions;
  /** Where the server is defined: the key in the layer that introduced it (or last replaced it wholesale). */
  origin: Origin;
  /** Policy verdict: undefined when allowed. */
  blockedReason?: string;
}

export interface SupervisionOptions {
  autoStart: boolean;
  restart: 'never' | 'on-failure' | 'always';
  /** Milliseconds to wait for the MCP handshake (a cold `npx` can take 20 s). */
  startupTimeoutMs: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  /** Crash-loop cap: restarts allowed within `crashLoopWindowMs` before the server is `failed`. */
  maxRestarts: number;
  crashLoopWindowMs: number;
  /** `mcp check` fails (non-zero exit) when a required server fails. */
  required: boolean;
  /**
   * Through the gateway: `session` gives every client session its own instance (what stdio clients expect of a
   * browser or a memory store); `workspace` lets all sessions of one workspace share one warm instance.
   */
  share: 'session' | 'workspace';
}

export const DEFAULT_SUPERVISION: SupervisionOptions = {
  autoStart: false,
  restart: 'on-failure',
  startupTimeoutMs: 30_000,
  pingIntervalMs: 30_000,
  pingTimeoutMs: 5_000,
  maxRestarts: 5,
  crashLoopWindowMs: 60_000,
  required: false,
  share: 'session',
};

/** The layer files found for a workspace, in priority order, plus what went wrong finding them. */
export interface LayerStack {
  workspace: string;
  layers: ParsedLayer[];
  diagnostics: Diagnostic[];
}

/** The merged result. */
export interface EffectiveEnvironment {
  stack: LayerStack;
  /**
   * Plain merged value with secret references unresolved. `outputs` says which Claude Code files `apply` writes;
   * `gateway`, present only when a layer sets it, configures the MCP gateway daemon (e.g. its metrics).
   */
  value: {
    settings: Record<string, unknown>;
    mcpServers: Record<string, unknown>;
    outputs: Record<string, unknown>;
    gateway?: Record<string, unknown>;
    /** Prices laid over the bundled table (base and team only), and the project's budgets; see docs/usage.md. */
    pricing?: Record<string, Record<string, number>>;
    budgets?: { monthly?: number };
  };
  /** Root of the provenance tree (`path: []`). */
  tree: EffectiveNode;
  servers: ServerDefinition[];
  /** Every diagnostic of the stack: per-file syntax/schema plus merge, policy, conflict and secret findings. */
  diagnostics: Diagnostic[];
}

/** Reads files for the engine; the language server passes one that prefers open editor buffers. */
export interface FileReader {
  /** Returns the text, or undefined when the file does not exist. Throws for other read failures. */
  read(path: string): string | undefined;
}

/**
 * A server ready to spawn or connect to: every reference resolved in memory. Never written to disk or logged;
 * `secretValues` lists what a log must redact: resolved values, and credentials written in clear.
 */
export interface ResolvedServer {
  name: string;
  type: 'stdio' | 'http' | 'sse' | 'ws';
  command?: string;
  args: string[];
  /** The server's own variables (resolved). The supervisor adds the full process environment underneath. */
  env: Record<string, string>;
  /** Absolute working directory. */
  cwd: string;
  url?: string;
  headers: Record<string, string>;
  supervision: SupervisionOptions;
  secretValues: string[];
}
