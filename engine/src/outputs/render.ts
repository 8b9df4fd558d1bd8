import { mergeStack } from '../merge';
import { findReferences } from '../secrets/references';
import { SHARED_LAYERS, type EffectiveEnvironment, type LayerStack } from '../types';
import { forEachString, mapStrings, toClaudeCodeSyntax, toVsCodeSyntax } from './convert';

/** One file claude-env writes, as it would be written. */
export interface RenderedOutput {
  /** Relative to the workspace, with `/` separators, e.g. `.claude/settings.local.json`. */
  path: string;
  content: string;
}

/** Which files `apply` writes: the effective `outputs` block with the schema's defaults filled in. */
export interface OutputSelection {
  claudeSettings: 'local' | 'shared' | 'both' | 'none';
  mcpJson: boolean;
  vscodeMcpJson: boolean;
  /** `direct`: stdio servers as defined. `gateway`: each stdio server as the claude-env gateway shim. */
  mcpVia: 'direct' | 'gateway';
}

/** How a client starts the gateway shim: `command` with `args`, then the server's name and `--cwd <workspace>`. */
export interface GatewayLaunch {
  command: string;
  args: string[];
}

/** Without a known install path the shim is reached through `claude-env` on the client's `PATH`. */
export const DEFAULT_GATEWAY_LAUNCH: GatewayLaunch = { command: 'claude-env', args: ['mcp', 'connect'] };

export interface RenderOptions {
  /** Merges a stack; the engine's `mergeStack` unless given. Used for the shared-only `.claude/settings.json`. */
  mergeStack?: (stack: LayerStack) => EffectiveEnvironment;
  /**
   * For `outputs.mcpVia: gateway`: the absolute Node and shim bundle of this install, so that the written entry
   * works without `claude-env` on the client's `PATH`. Default `DEFAULT_GATEWAY_LAUNCH`.
   */
  gateway?: GatewayLaunch;
}

export const CLAUDE_SHARED_SETTINGS = '.claude/settings.json';
export const CLAUDE_LOCAL_SETTINGS = '.claude/settings.local.json';
export const MCP_JSON = '.mcp.json';
export const VSCODE_MCP_JSON = '.vscode/mcp.json';

export const DEFAULT_OUTPUTS: OutputSelection = {
  claudeSettings: 'local',
  mcpJson: true,
  vscodeMcpJson: false,
  mcpVia: 'direct',
};

/**
 * Fields of a server entry that belong to claude-env alone and never reach Claude Code's or VS Code's files.
 * `cwd` is not one of them: VS Code honours it, and Claude Code ignores it (a warning says so where it is set).
 */
const CLAUDE_ENV_ONLY_FIELDS = new Set(['supervision']);
const TRANSPORT_FIELDS = new Set(['type', 'command', 'args', 'env', 'url', 'headers']);

/** The effective `outputs` block with defaults; values of the wrong type fall back to the default. */
export function outputSelection(env: EffectiveEnvironment): OutputSelection {
  const raw = ((env.value as { outputs?: Record<string, unknown> }).outputs ?? {}) as Record<string, unknown>;
  const claudeSettings = ['local', 'shared', 'both', 'none'].includes(raw.claudeSettings as string)
    ? (raw.claudeSettings as OutputSelection['claudeSettings'])
    : DEFAULT_OUTPUTS.claudeSettings;
  return {
    claudeSettings,
    mcpJson: typeof raw.mcpJson === 'boolean' ? raw.mcpJson : DEFAULT_OUTPUTS.mcpJson,
    vscodeMcpJson: typeof raw.vscodeMcpJson === 'boolean' ? raw.vscodeMcpJson : DEFAULT_OUTPUTS.vscodeMcpJson,
    mcpVia: raw.mcpVia === 'gateway' || raw.mcpVia === 'direct' ? raw.mcpVia : DEFAULT_OUTPUTS.mcpVia,
  };
}

/**
 * Renders the files the `outputs` block asks for. Deterministic: 2-space JSON, a trailing newline, keys in
 * the effective environment's order. References stay references, in each target's own syntax; resolved
 * secrets never enter this function.
 */
export function renderOutputs(env: EffectiveEnvironment, options: RenderOptions = {}): RenderedOutput[] {
  const selection = outputSelection(env);
  const outputs: RenderedOutput[] = [];
  if (selection.claudeSettings === 'shared' || selection.claudeSettings === 'both') {
    const merge = options.mergeStack ?? mergeStack;
    // A person's user and local layers must never reach the committed file, so re-merge without them.
    const shared: LayerStack = {
      ...env.stack,
      layers: env.stack.layers.filter((layer) => SHARED_LAYERS.includes(layer.kind)),
    };
    outputs.push({
      path: CLAUDE_SHARED_SETTINGS,
      content: json(mapStrings(merge(shared).value.settings ?? {}, toClaudeCodeSyntax)),
    });
  }
  if (selection.claudeSettings === 'local' || selection.claudeSettings === 'both') {
    outputs.push({
      path: CLAUDE_LOCAL_SETTINGS,
      content: json(mapStrings(env.value.settings ?? {}, toClaudeCodeSyntax)),
    });
  }
  const gateway = selection.mcpVia === 'gateway' ? (options.gateway ?? DEFAULT_GATEWAY_LAUNCH) : undefined;
  if (selection.mcpJson) {
    outputs.push({ path: MCP_JSON, content: json({ mcpServers: serverEntries(env, toClaudeCodeSyntax, gateway) }) });
  }
  if (selection.vscodeMcpJson) {
    const servers = serverEntries(env, toVsCodeSyntax, gateway, true);
    outputs.push({
      path: VSCODE_MCP_JSON,
      content: json({ inputs: vscodeInputs(env, gateway !== undefined), servers }),
    });
  }
  return outputs;
}

/**
 * Server entries in the transports' own shape, policy-blocked servers left out, in effective order. With a gateway
 * launch, stdio servers become the shim: the daemon resolves their command and secrets itself, so neither is
 * written. HTTP and SSE servers stay direct (clients reconnect those themselves).
 */
function serverEntries(
  env: EffectiveEnvironment,
  convert: (text: string) => string,
  gateway?: GatewayLaunch,
  forVsCode = false,
): Record<string, unknown> {
  const definitions = new Map(env.servers.map((server) => [server.name, server]));
  const entries: Record<string, unknown> = {};
  for (const [name, rawEntry] of Object.entries(env.value.mcpServers ?? {})) {
    const definition = definitions.get(name);
    if (definition?.blockedReason) continue;
    const raw = (rawEntry ?? {}) as Record<string, unknown>;
    const type =
      definition?.type ?? (typeof raw.type === 'string' ? raw.type : raw.url !== undefined ? 'http' : 'stdio');
    // Claude Code gets the spelling that was written (`streamable-http` stays); VS Code knows only `http`.
    const written = typeof raw.type === 'string' && !forVsCode ? raw.type : type;
    const entry: Record<string, unknown> = { type: written };
    if (type === 'stdio' && gateway) {
      entries[name] = {
        type,
        command: gateway.command,
        args: [...gateway.args, name, '--cwd', env.stack.workspace],
        env: {},
      };
      continue;
    }
    if (type === 'stdio') {
      entry.command = raw.command;
      entry.args = raw.args ?? [];
      entry.env = raw.env ?? {};
    } else {
      entry.url = raw.url;
      if (raw.headers !== undefined) entry.headers = raw.headers;
    }
    // Keys claude-env does not know (newer Claude Code fields) pass through untouched.
    for (const [key, value] of Object.entries(raw)) {
      // A working directory means something to a process only (an inherited `cwd` of a server now remote is not).
      if (key === 'cwd' && type !== 'stdio') continue;
      if (!TRANSPORT_FIELDS.has(key) && !CLAUDE_ENV_ONLY_FIELDS.has(key)) entry[key] = value;
    }
    entries[name] = mapStrings(entry, convert);
  }
  return entries;
}

/** One password prompt per `${secret:…}` used by a written server, in order of first use. */
function vscodeInputs(env: EffectiveEnvironment, viaGateway: boolean): Array<Record<string, unknown>> {
  const blocked = new Set(env.servers.filter((server) => server.blockedReason).map((server) => server.name));
  // Through the gateway a stdio server's secrets are the daemon's business: VS Code need not prompt for them.
  const shimmed = new Set(viaGateway ? env.servers.filter((s) => s.type === 'stdio').map((s) => s.name) : []);
  const names: string[] = [];
  for (const [name, entry] of Object.entries(env.value.mcpServers ?? {})) {
    if (blocked.has(name) || shimmed.has(name)) continue;
    const transport = Object.entries((entry ?? {}) as Record<string, unknown>).filter(
      ([key]) => !CLAUDE_ENV_ONLY_FIELDS.has(key),
    );
    forEachString(Object.fromEntries(transport), (text) => {
      for (const reference of findReferences(text)) {
        if (reference.kind === 'secret' && !names.includes(reference.name)) names.push(reference.name);
      }
    });
  }
  return names.map((id) => ({
    type: 'promptString',
    id,
    description: `Secret "${id}" for MCP servers (claude-env)`,
    password: true,
  }));
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
