import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  ErrorCode,
  LATEST_PROTOCOL_VERSION,
  McpError,
  ResultSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/sdk/types.js';
import { BackendUnavailable, type AttachedSession, type Backend } from './backend';
import type { GatewayObserver } from './observer';
import { GatewayErrorCode, WIRE_VERSION, errorResponse, type RpcMessage, type StderrLine } from './wire';

/** The longest a forwarded request may take; the client's own timeout and cancellation decide before that. */
const MAX_REQUEST_MS = 2 ** 31 - 1;

type ObservedMethod = 'tools/call' | 'resources/read' | 'prompts/get';
const OBSERVED: readonly string[] = ['tools/call', 'resources/read', 'prompts/get'];

/**
 * One client session: the MCP conversation of one shim. The daemon answers `initialize` and `ping` itself, from
 * the backend's handshake; everything else is forwarded through the backend's SDK client, which gives each
 * request an id of its own, so the ids of two sessions never meet on a shared backend. Progress comes back
 * through the request that asked for it, under the client's own token.
 */
export class ClientSession implements AttachedSession {
  initialized = false;
  clientInfo: { name: string; version: string } | undefined;
  readonly openedAt = Date.now();
  private readonly inFlight = new Map<string, AbortController>();
  private closed = false;

  constructor(
    readonly id: number,
    private readonly send: (message: RpcMessage | StderrLine) => void,
    /** The backend, or why there is none (policy, unknown server, unresolved secret). */
    private readonly target: Backend | string,
    private readonly observer: GatewayObserver,
    /** The shim asked for the instance's stderr lines. */
    private readonly wantsStderr = false,
  ) {}

  get backend(): Backend | undefined {
    return typeof this.target === 'string' ? undefined : this.target;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  notify(message: RpcMessage): void {
    if (!this.closed) this.send(message);
  }

  stderr(text: string): void {
    if (this.wantsStderr && !this.closed) this.send({ gateway: WIRE_VERSION, stderr: text });
  }

  handle(message: RpcMessage): void {
    if (this.closed || typeof message.method !== 'string') return; // responses: we never ask the client anything
    if (message.id === undefined || message.id === null) {
      this.onNotification(message);
      return;
    }
    const id = message.id;
    if (message.method === 'initialize') void this.initialize(id, message);
    else if (message.method === 'ping') this.send({ jsonrpc: '2.0', id, result: {} });
    else void this.forward(id, message);
  }

  /** The client went away: cancel what it was waiting for (the backend is told through the SDK). */
  close(): void {
    this.closed = true;
    for (const controller of this.inFlight.values()) controller.abort(new Error('the client disconnected'));
    this.inFlight.clear();
  }

  private onNotification(message: RpcMessage): void {
    if (message.method === 'notifications/cancelled') {
      const requestId = message.params?.requestId;
      this.inFlight.get(JSON.stringify(requestId))?.abort(new Error('cancelled by the client'));
    }
    // notifications/initialized and roots/list_changed: the daemon already initialized the backend itself.
  }

  private async initialize(id: string | number, message: RpcMessage): Promise<void> {
    const backend = this.backend;
    if (!backend) {
      this.send(errorResponse(id, GatewayErrorCode.backendUnavailable, this.target as string));
      return;
    }
    const params = message.params ?? {};
    this.clientInfo = sanitizeClientInfo(params.clientInfo);
    try {
      const client = await backend.ready();
      const requested = typeof params.protocolVersion === 'string' ? params.protocolVersion : '';
      const result: Record<string, unknown> = {
        protocolVersion: SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION,
        capabilities: client.getServerCapabilities() ?? {},
        serverInfo: client.getServerVersion() ?? { name: backend.name, version: '0' },
      };
      const instructions = client.getInstructions();
      if (instructions) result.instructions = instructions;
      if (this.closed) return;
      this.send({ jsonrpc: '2.0', id, result });
      this.initialized = true;
    } catch (error) {
      this.send(errorResponse(id, GatewayErrorCode.backendUnavailable, messageOf(error)));
    }
  }

  private async forward(id: string | number, message: RpcMessage): Promise<void> {
    const backend = this.backend;
    const method = message.method!;
    if (!backend) {
      this.send(errorResponse(id, GatewayErrorCode.backendUnavailable, this.target as string));
      return;
    }
    const key = JSON.stringify(id);
    const controller = new AbortController();
    this.inFlight.set(key, controller);
    const started = performance.now();
    const { params, progressToken } = withoutProgressToken(message.params);
    let outcome: 'ok' | 'error' | 'restart' = 'error';
    let client: Client | undefined;
    try {
      client = await backend.ready(controller.signal);
      const result = await client.request({ method, params } as never, ResultSchema, {
        signal: controller.signal,
        timeout: MAX_REQUEST_MS,
        onprogress:
          progressToken === undefined
            ? undefined
            : (progress) =>
                this.notify({
                  jsonrpc: '2.0',
                  method: 'notifications/progress',
                  params: { ...progress, progressToken },
                }),
      });
      outcome = (result as { isError?: unknown }).isError === true ? 'error' : 'ok';
      if (!controller.signal.aborted) this.send({ jsonrpc: '2.0', id, result });
    } catch (error) {
      // A cancelled request gets no answer: the client already stopped waiting for it.
      if (controller.signal.aborted) return;
      if (error instanceof BackendUnavailable) {
        this.send(errorResponse(id, GatewayErrorCode.backendUnavailable, error.message));
      } else if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed && client) {
        outcome = 'restart';
        const reason = (await backend.endReason(client)) ?? 'the connection to the server closed';
        this.send(
          errorResponse(
            id,
            GatewayErrorCode.backendRestarted,
            `${backend.name} restarted while this request was in flight (${reason}); the request was not completed. ` +
              'The server is being restarted by its restart policy; tools will be listed again once it is back.',
          ),
        );
      } else if (error instanceof McpError) {
        // The server's own error: passed through as it is.
        const data = (error as { data?: unknown }).data;
        this.send({
          jsonrpc: '2.0',
          id,
          error: {
            code: error.code,
            message: error.message.replace(/^MCP error -?\d+: /, ''),
            ...(data !== undefined ? { data } : {}),
          },
        });
      } else {
        this.send(errorResponse(id, ErrorCode.InternalError, `${backend.name}: ${messageOf(error)}`));
      }
    } finally {
      this.inFlight.delete(key);
      if (OBSERVED.includes(method)) {
        const ms = performance.now() - started;
        const target = targetOf(method, message.params);
        backend.recordCall({ method, target, outcome, ms: Math.round(ms * 10) / 10, at: Date.now() });
        this.observer.callFinished({
          server: backend.name,
          workspace: backend.workspace,
          method: method as ObservedMethod,
          target,
          outcome,
          seconds: ms / 1000,
        });
      }
    }
  }
}

/** The client's progress token is kept here; the backend gets the SDK's own, mapped back in `onprogress`. */
function withoutProgressToken(params: RpcMessage['params']): {
  params: RpcMessage['params'];
  progressToken?: string | number;
} {
  const token = params?._meta?.progressToken;
  if (token === undefined) return { params };
  const { progressToken: _dropped, ...meta } = params!._meta!;
  const rest = { ...params };
  if (Object.keys(meta).length) rest._meta = meta;
  else delete rest._meta;
  return { params: rest, progressToken: token as string | number };
}

/** What a call was about, without its arguments: the tool or prompt name, the resource URI. */
function targetOf(method: string, params: RpcMessage['params']): string {
  const value = method === 'resources/read' ? params?.uri : params?.name;
  return typeof value === 'string' ? value.slice(0, 200) : '';
}

function sanitizeClientInfo(value: unknown): { name: string; version: string } | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { name, version } = value as Record<string, unknown>;
  return { name: String(name ?? '').slice(0, 100), version: String(version ?? '').slice(0, 50) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
