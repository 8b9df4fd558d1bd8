/**
 * Offers the effective servers to VS Code's own MCP support (`vscode.lm.registerMcpServerDefinitionProvider`,
 * VS Code 1.101+) when `claudeEnv.mcp.offerToVSCode` is on. VS Code then starts them itself, for its chat, so
 * claude-env does not auto-start them as well (see docs/mcp-in-vscode.md). The API is newer than our minimum
 * VS Code, so it is detected at run time and typed here structurally.
 */
import * as vscode from 'vscode';
import type { ServerDefinition } from '@claude-env/engine';
import { resolveServer, type GatewayLaunch, type SecretProvider } from '@claude-env/engine';
import { gatewayLaunchFrom } from '@claude-env/mcp';
import type { EditorFleet } from './fleet';
import { readSettings } from '../settings';

/** Provider id, also declared in package.json `contributes.mcpServerDefinitionProviders`. */
export const MCP_PROVIDER_ID = 'claudeEnv.servers';

/** The parts of VS Code's MCP definition classes we set. */
interface StdioDefinition {
  readonly label: string;
  command: string;
  args: string[];
  env: Record<string, string | number | null>;
  cwd?: vscode.Uri;
  version?: string;
}
interface HttpDefinition {
  readonly label: string;
  uri: vscode.Uri;
  headers: Record<string, string>;
  version?: string;
}
type Definition = StdioDefinition | HttpDefinition;

interface McpApi {
  registerMcpServerDefinitionProvider(
    id: string,
    provider: {
      onDidChangeMcpServerDefinitions?: vscode.Event<void>;
      provideMcpServerDefinitions(token: vscode.CancellationToken): vscode.ProviderResult<Definition[]>;
      resolveMcpServerDefinition?(
        server: Definition,
        token: vscode.CancellationToken,
      ): vscode.ProviderResult<Definition>;
    },
  ): vscode.Disposable;
  StdioDefinition: new (
    label: string,
    command: string,
    args?: string[],
    env?: Record<string, string>,
    version?: string,
  ) => StdioDefinition;
  HttpDefinition: new (
    label: string,
    uri: vscode.Uri,
    headers?: Record<string, string>,
    version?: string,
  ) => HttpDefinition;
}

/** VS Code's MCP API, or undefined when this VS Code has none. */
export function vscodeMcpApi(): McpApi | undefined {
  const api = vscode as unknown as {
    lm?: { registerMcpServerDefinitionProvider?: McpApi['registerMcpServerDefinitionProvider'] };
    McpStdioServerDefinition?: McpApi['StdioDefinition'];
    McpHttpServerDefinition?: McpApi['HttpDefinition'];
  };
  const register = api.lm?.registerMcpServerDefinitionProvider;
  if (!register || !api.McpStdioServerDefinition || !api.McpHttpServerDefinition) return undefined;
  return {
    registerMcpServerDefinitionProvider: register.bind(api.lm),
    StdioDefinition: api.McpStdioServerDefinition,
    HttpDefinition: api.McpHttpServerDefinition,
  };
}

/**
 * Registers the provider when VS Code has the API. Definitions carry references unresolved (VS Code lists them
 * eagerly); secrets are resolved only when VS Code starts a server, in `resolveMcpServerDefinition`.
 */
export function offerServersToVSCode(fleet: EditorFleet, secrets: SecretProvider): vscode.Disposable {
  const api = vscodeMcpApi();
  if (!api) return new vscode.Disposable(() => undefined);
  const changed = new vscode.EventEmitter<void>();
  const onFleetChange = () => changed.fire();
  fleet.on('changed', onFleetChange);
  const offered = (): ServerDefinition[] =>
    readSettings().mcp.offerToVSCode && vscode.workspace.isTrusted
      ? fleet
          .list()
          .filter((entry) => entry.state !== 'blocked')
          .map((entry) => entry.definition)
      : [];
  const registration = api.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
    onDidChangeMcpServerDefinitions: changed.event,
    provideMcpServerDefinitions: () =>
      offered().map((definition) => toVSCode(api, definition, fleet.workspace, shimLaunch(fleet))),
    resolveMcpServerDefinition: async (server) => {
      const definition = offered().find((candidate) => candidate.name === server.label);
      if (!definition) throw new Error(`Claude Env no longer offers the MCP server "${server.label}"`);
      // Through the gateway the daemon resolves the server itself: the shim's definition carries no secret.
      if (definition.type === 'stdio' && shimLaunch(fleet)) return server;
      const resolution = await resolveServer(definition, {
        workspace: fleet.workspace,
        secrets,
        environment: process.env,
      });
      if (!resolution.server) throw new Error(resolution.errors.join('; '));
      const resolved = resolution.server;
      if ('command' in server) {
        server.command = resolved.command ?? server.command;
        server.args = resolved.args;
        server.env = resolved.env;
        server.cwd = vscode.Uri.file(resolved.cwd);
      } else {
        server.uri = vscode.Uri.parse(resolved.url ?? server.uri.toString());
        server.headers = resolved.headers;
      }
      return server;
    },
  });
  const settings = vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration('claudeEnv.mcp.offerToVSCode')) changed.fire();
  });
  return new vscode.Disposable(() => {
    fleet.off('changed', onFleetChange);
    settings.dispose();
    registration.dispose();
    changed.dispose();
  });
}

/** Under the gateway, VS Code's chat reaches the daemon's instances through the bundled shim, as Claude Code does. */
function shimLaunch(fleet: EditorFleet): GatewayLaunch | undefined {
  return fleet.mode === 'gateway' ? gatewayLaunchFrom(__dirname) : undefined;
}

function toVSCode(api: McpApi, definition: ServerDefinition, workspace: string, shim?: GatewayLaunch): Definition {
  // The version makes VS Code notice a changed definition and offer to refresh the server's tools.
  const version = String(hashOf(JSON.stringify({ ...definition, origin: undefined, shim })));
  if (definition.type === 'stdio' && shim) {
    const args = [...shim.args, definition.name, '--cwd', workspace];
    return new api.StdioDefinition(definition.name, shim.command, args, {}, version);
  }
  if (definition.type === 'stdio') {
    const server = new api.StdioDefinition(
      definition.name,
      definition.command ?? '',
      definition.args ?? [],
      {},
      version,
    );
    return server;
  }
  return new api.HttpDefinition(definition.name, vscode.Uri.parse(definition.url ?? ''), {}, version);
}

function hashOf(text: string): number {
  let hash = 0;
  for (let index = 0; index < text.length; index++) hash = (Math.imul(hash, 31) + text.charCodeAt(index)) | 0;
  return hash >>> 0;
}
