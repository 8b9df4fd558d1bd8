import { parse as parseJsonc } from 'jsonc-parser';

/**
 * What each client takes from its file, as far as the comparison needs: the servers it would start or connect to
 * (with the fields it reads, strings as written, so that variables must survive as the same text), and the
 * settings it would apply. Everything a client ignores is left out of its view, so a field kept or dropped there
 * makes no difference; everything it reads is compared.
 */
export type View = Record<string, unknown>;

function read(text: string): Record<string, unknown> {
  return (parseJsonc(text, [], { allowTrailingComma: true }) ?? {}) as Record<string, unknown>;
}

/** A server as Claude Code reads it from `.mcp.json` (or Claude Desktop and Cursor from theirs). */
function claudeServer(raw: Record<string, unknown>, client: 'claude' | 'other'): Record<string, unknown> {
  const server: Record<string, unknown> = { ...raw };
  let type = server.type ?? (server.url !== undefined && server.command === undefined ? 'http' : 'stdio');
  if (type === 'streamable-http') type = 'http';
  server.type = type;
  if (type === 'stdio') {
    server.args ??= [];
    server.env ??= {};
  }
  // Claude Code ignores `cwd` (claude-env warns about it); JSON comment keys mean nothing to any client.
  if (client === 'claude') delete server.cwd;
  for (const key of ['$comment', '_comment']) delete server[key];
  return server;
}

/** The servers Claude Code loads from an `.mcp.json`-shaped file (`claude_desktop_config.json`, Cursor's too). */
export function mcpServersView(text: string, client: 'claude' | 'other' = 'claude'): View {
  const servers = (read(text).mcpServers ?? {}) as Record<string, Record<string, unknown>>;
  return Object.fromEntries(Object.entries(servers).map(([name, raw]) => [name, claudeServer(raw, client)]));
}

/** The servers VS Code loads from `.vscode/mcp.json`, and the ids of the inputs it would prompt for. */
export function vscodeView(text: string): View {
  const file = read(text);
  const servers = (file.servers ?? {}) as Record<string, Record<string, unknown>>;
  const view = Object.fromEntries(
    Object.entries(servers).map(([name, raw]) => {
      const server = claudeServer(raw, 'other');
      // VS Code knows `${workspaceFolder}` and reads a missing `cwd` as the workspace folder.
      return [name, server];
    }),
  );
  const inputs = ((file.inputs ?? []) as Array<{ id?: string }>).map((input) => input.id).sort();
  return { servers: view, inputs };
}

/** The settings Claude Code applies: list items once each (it merges and de-duplicates rules across scopes). */
export function settingsView(text: string): View {
  const settings = read(text);
  delete settings.$schema;
  delete settings.$comment;
  return dedupe(settings) as View;
}

function dedupe(value: unknown): unknown {
  if (Array.isArray(value)) {
    const seen = new Set<string>();
    return value.map(dedupe).filter((item) => {
      const key = JSON.stringify(item);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, dedupe(item)]));
  }
  return value;
}
