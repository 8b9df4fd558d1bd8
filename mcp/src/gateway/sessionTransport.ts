import type { Socket } from 'node:net';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { GatewayPaths } from './paths';
import { connectOrStart } from './shim';
import { LineSplitter, WIRE_VERSION, frame, parseMessage, type GatewayHello } from './wire';

export interface GatewaySessionOptions {
  server: string;
  workspace: string;
  paths: GatewayPaths;
  /** argv that starts the daemon when none runs, e.g. `[node, dist/cli.js, 'mcp', 'daemon']`. */
  daemonCommand: string[];
  /** The daemon's environment when this starts it. */
  env: NodeJS.ProcessEnv;
}

/**
 * An MCP SDK transport that is a gateway session of its own, without a shim process: the editor's session of a
 * server. It connects to the daemon (starting one when none runs, as the shim does), sends the hello, then speaks
 * the client's JSON-RPC lines. A daemon that goes away closes the transport; the caller decides what next.
 */
export class GatewaySessionTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private socket: Socket | undefined;
  private closed = false;

  constructor(private readonly options: GatewaySessionOptions) {}

  async start(): Promise<void> {
    const { paths, daemonCommand, env, server, workspace } = this.options;
    const socket = await connectOrStart(paths, daemonCommand, env);
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.socket = socket;
    const splitter = new LineSplitter((line) => {
      const message = parseMessage(line);
      if (message) this.onmessage?.(message as JSONRPCMessage);
    });
    socket.on('data', (chunk) => splitter.push(chunk));
    socket.on('error', (error) => this.onerror?.(error));
    socket.on('close', () => this.finish());
    const hello: GatewayHello = { gateway: WIRE_VERSION, kind: 'connect', server, workspace, clientPid: process.pid };
    socket.write(frame(hello));
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (!this.socket || this.socket.destroyed) throw new Error('the gateway session is closed');
    this.socket.write(frame(message));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.socket?.end();
    this.finish();
  }

  private finish(): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
    if (!socket && !this.closed) return;
    const onclose = this.onclose;
    this.onclose = undefined;
    onclose?.();
  }
}
