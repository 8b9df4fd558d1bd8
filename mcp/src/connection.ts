import { access, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ResolvedServer } from '@claude-env/engine';
import { ProcessTransport, type ProcessOutputSink } from './processTransport';

/** A failure that retrying cannot heal (missing command, missing folder, bad URL): the server goes `failed`. */
export class PermanentStartError extends Error {}

/** One run's transport: a process we own (stdio) or a connection to a URL (http, sse). */
export interface Connection {
  transport: Transport;
  process?: ProcessTransport;
}

/**
 * Checks what can be checked before spawning, so that a typo gives "command not found: npxx" rather than a
 * crash loop. Node reports a missing `cwd` as ENOENT of the command, which would be misleading.
 */
export async function preflight(server: ResolvedServer): Promise<void> {
  if (server.type !== 'stdio') {
    try {
      new URL(server.url ?? '');
    } catch {
      throw new PermanentStartError(`invalid URL: ${JSON.stringify(server.url ?? '')}`);
    }
    return;
  }
  if (!server.command) throw new PermanentStartError('no command given');
  const cwdStat = await stat(server.cwd).catch(() => undefined);
  if (!cwdStat?.isDirectory()) throw new PermanentStartError(`working directory not found: ${server.cwd}`);
  if (!(await findExecutable(server.command, server.cwd, server.env.PATH ?? process.env.PATH ?? ''))) {
    throw new PermanentStartError(`command not found: ${server.command}`);
  }
}

async function findExecutable(command: string, cwd: string, path: string): Promise<boolean> {
  const candidates = command.includes('/')
    ? [isAbsolute(command) ? command : join(cwd, command)]
    : path
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, command));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      if ((await stat(candidate)).isFile()) return true;
    } catch {
      // try the next one
    }
  }
  return false;
}

/** Creates (but does not start) the transport of one run. */
export function openConnection(server: ResolvedServer, sink: ProcessOutputSink, graceMs: number): Connection {
  if (server.type === 'stdio') {
    const process = new ProcessTransport(
      { command: server.command!, args: server.args, env: server.env, cwd: server.cwd },
      sink,
      graceMs,
    );
    return { transport: process, process };
  }
  const url = new URL(server.url!);
  const requestInit: RequestInit = { headers: server.headers };
  // A WebSocket carries no custom headers; Claude Code's `ws` servers authenticate in the URL or not at all.
  if (server.type === 'ws') return { transport: new WebSocketClientTransport(url) };
  const transport =
    server.type === 'http'
      ? new StreamableHTTPClientTransport(url, { requestInit })
      : new SSEClientTransport(url, { requestInit });
  return { transport };
}

export function createClient(name: string, version: string): Client {
  return new Client({ name, version }, { capabilities: {} });
}
