import { connect, type Socket } from 'node:net';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { WIRE_VERSION, type GatewayPaths } from '@claude-env/mcp';

/**
 * An MCP transport straight over the daemon's socket: the hello a shim sends, then JSON-RPC lines. It lets a test
 * open many sessions without a Node process per session; everything past the hello is what a shim forwards.
 */
export class GatewaySocketTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private socket: Socket | undefined;
  private buffer = '';

  constructor(
    private readonly paths: GatewayPaths,
    private readonly server: string,
    private readonly workspace: string,
  ) {}

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.paths.socket);
      this.socket = socket;
      socket.setEncoding('utf8');
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.on('error', (error) => this.onerror?.(error));
        const hello = { gateway: WIRE_VERSION, kind: 'connect', server: this.server, workspace: this.workspace };
        socket.write(`${JSON.stringify({ ...hello, clientPid: process.pid })}\n`);
        resolve();
      });
      socket.on('data', (chunk: string) => {
        this.buffer += chunk;
        let newline;
        while ((newline = this.buffer.indexOf('\n')) !== -1) {
          const line = this.buffer.slice(0, newline);
          this.buffer = this.buffer.slice(newline + 1);
          if (line.trim()) this.onmessage?.(JSON.parse(line) as JSONRPCMessage);
        }
      });
      socket.on('close', () => this.onclose?.());
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.socket?.write(`${JSON.stringify(message)}\n`);
  }

  async close(): Promise<void> {
    this.socket?.destroy();
  }
}
