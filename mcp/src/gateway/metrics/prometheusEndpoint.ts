import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { removeTokenFile, writeTokenFile } from './tokenFile';

/** The loopback addresses the endpoint may bind; nothing else is accepted. */
export type LoopbackAddress = '127.0.0.1' | '::1';

/** Where and how the scrape endpoint listens. */
export interface PrometheusEndpointOptions {
  /** TCP port on the loopback interface; 0 picks a free one (tests). */
  port: number;
  address?: LoopbackAddress;
  /** File that receives the per-daemon bearer token (mode 0600), e.g. next to the daemon's socket folder. */
  tokenFile: string;
}

/** A running scrape endpoint. */
export interface PrometheusEndpoint {
  /** The reader to give `GatewayMetrics`: it collects on each authorized scrape. */
  readonly reader: PrometheusExporter;
  /** `http://127.0.0.1:<port>/metrics` */
  readonly url: string;
  readonly port: number;
  readonly tokenFile: string;
  /** Stops listening and removes the token file. Does not shut the reader down (`GatewayMetrics` does). */
  close(): Promise<void>;
}

export const METRICS_PATH = '/metrics';
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Starts the opt-in Prometheus scrape endpoint: our own `node:http` server (the exporter's own server binds every
 * interface and has no authentication), on a loopback address only, answering `GET /metrics` to requests that
 * carry the per-daemon bearer token and whose `Host` and `Origin` are local. The Host and Origin checks defeat DNS
 * rebinding: a web page whose name resolves to 127.0.0.1 still sends its own name as Host and Origin.
 */
export async function startPrometheusEndpoint(options: PrometheusEndpointOptions): Promise<PrometheusEndpoint> {
  const address = options.address ?? '127.0.0.1';
  if (address !== '127.0.0.1' && address !== '::1')
    throw new Error(`the metrics endpoint binds a loopback address only (127.0.0.1 or ::1), not ${String(address)}`);
  const token = await writeTokenFile(options.tokenFile);
  const reader = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
  // Same settings as the exporter's own serializer: no prefix, no timestamps, no resource labels on each series.
  const serializer = new PrometheusSerializer('', false, undefined, false, true);
  const expectedDigest = digest(`Bearer ${token}`);
  let port = options.port;

  const server: Server = createServer((request, response) => {
    const refusal = refuse(request, port, expectedDigest);
    if (refusal) return void respond(response, refusal.status, refusal.message, refusal.headers);
    reader.collect().then(
      ({ resourceMetrics }) => respond(response, 200, serializer.serialize(resourceMetrics), {}, request.method),
      (error: unknown) => respond(response, 500, `# collecting metrics failed: ${String(error)}\n`),
    );
  });
  // A scrape is one small GET; a slow or idle client must not hold a socket for long.
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 30_000;
  server.maxHeadersCount = 50;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: address, port: options.port, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await removeTokenFile(options.tokenFile, token);
    throw new Error(`the metrics endpoint cannot listen on ${hostPart(address)}:${options.port}: ${String(error)}`);
  }
  port = (server.address() as AddressInfo).port;

  return {
    reader,
    url: `http://${hostPart(address)}:${port}${METRICS_PATH}`,
    port,
    tokenFile: options.tokenFile,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await removeTokenFile(options.tokenFile, token);
    },
  };
}

interface Refusal {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

/** Why a request is refused, or undefined when it may read the metrics. Cheap checks first, the token last. */
function refuse(request: IncomingMessage, port: number, expectedDigest: Buffer): Refusal | undefined {
  if (!isLocalHost(request.headers.host, port))
    return { status: 403, message: 'Forbidden: the Host header must name this loopback endpoint.\n' };
  const origin = request.headers.origin;
  if (origin !== undefined && !isLocalOrigin(origin, port))
    return { status: 403, message: 'Forbidden: requests from web pages of other origins are refused.\n' };
  const authorization = request.headers.authorization ?? '';
  if (!timingSafeEqual(digest(authorization), expectedDigest))
    return {
      status: 401,
      message: 'Unauthorized: send the bearer token of the gateway daemon (see docs/gateway-metrics.md).\n',
      headers: { 'WWW-Authenticate': 'Bearer realm="claude-env-mcp-metrics"' },
    };
  const path = (request.url ?? '').split('?')[0];
  if (path !== METRICS_PATH) return { status: 404, message: `Not found: metrics are at ${METRICS_PATH}.\n` };
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return { status: 405, message: 'Method not allowed.\n', headers: { Allow: 'GET, HEAD' } };
  return undefined;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** `Host` must be a loopback name or address with this endpoint's port (browsers always send the port here). */
function isLocalHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const lower = host.toLowerCase();
  return LOOPBACK_NAMES.some((name) => lower === `${name}:${port}`);
}

/** `Origin` must be a loopback origin on this port; `null` (sandboxed pages, file:) is not local. */
function isLocalOrigin(origin: string, port: number): boolean {
  const lower = origin.toLowerCase();
  return LOOPBACK_NAMES.some((name) => lower === `http://${name}:${port}`);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function hostPart(address: LoopbackAddress): string {
  return address === '::1' ? '[::1]' : address;
}

function respond(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
  method?: string,
): void {
  response.writeHead(status, {
    'Content-Type': status === 200 ? CONTENT_TYPE : 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  response.end(method === 'HEAD' ? undefined : body);
}
