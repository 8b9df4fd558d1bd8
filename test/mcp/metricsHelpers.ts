import { request } from 'node:http';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';

/** One HTTP answer, body as text. */
export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A plain `node:http` request, so that a test can send any `Host` or `Origin` (fetch forbids setting `Host`).
 * `connectTo` is the address to open the TCP connection to; the URL's host is only the default `Host` header.
 */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; connectTo?: string } = {},
): Promise<HttpAnswer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: options.connectTo ?? target.hostname.replace(/^\[|\]$/g, ''),
        port: Number(target.port),
        path: target.pathname + target.search,
        method: options.method ?? 'GET',
        headers: { Host: target.host, ...options.headers },
        agent: false,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** One request an OTLP receiver got, body parsed as JSON. */
export interface ReceivedExport {
  path: string;
  headers: IncomingHttpHeaders;
  body: OtlpMetricsRequest;
}

/** The parts of an OTLP/HTTP JSON `ExportMetricsServiceRequest` the tests read. */
export interface OtlpMetricsRequest {
  resourceMetrics: Array<{
    resource: { attributes: OtlpAttribute[] };
    scopeMetrics: Array<{ scope: { name: string }; metrics: OtlpMetric[] }>;
  }>;
}
export interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number; doubleValue?: number };
}
export interface OtlpDataPoint {
  attributes: OtlpAttribute[];
  asInt?: string | number;
  asDouble?: number;
  count?: string | number;
  sum?: number;
  bucketCounts?: Array<string | number>;
  explicitBounds?: number[];
}
export interface OtlpMetric {
  name: string;
  description?: string;
  unit?: string;
  sum?: { dataPoints: OtlpDataPoint[]; isMonotonic?: boolean; aggregationTemporality?: number };
  gauge?: { dataPoints: OtlpDataPoint[] };
  histogram?: { dataPoints: OtlpDataPoint[]; aggregationTemporality?: number };
}

/** A loopback OTLP/HTTP receiver that decodes the JSON it gets and answers with `status`. */
export class OtlpReceiver {
  readonly received: ReceivedExport[] = [];
  status = 200;
  private readonly server: Server;
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  private constructor() {
    this.server = createServer((incoming, response) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        this.received.push({ path: incoming.url ?? '', headers: incoming.headers, body: JSON.parse(text) });
        response.writeHead(this.status, { 'Content-Type': 'application/json' });
        response.end(this.status === 200 ? '{}' : '{"code":3,"message":"refused by the test"}');
        this.waiters = this.waiters.filter((waiter) => {
          if (this.received.length < waiter.count) return true;
          waiter.resolve();
          return false;
        });
      });
    });
  }

  static async start(): Promise<OtlpReceiver> {
    const receiver = new OtlpReceiver();
    receiver.server.listen(0, '127.0.0.1');
    await once(receiver.server, 'listening');
    return receiver;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Resolves once `count` requests have arrived in total. */
  waitFor(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The metric named `name` in an export, or undefined. */
export function metricIn(body: OtlpMetricsRequest, name: string): OtlpMetric | undefined {
  for (const resource of body.resourceMetrics)
    for (const scope of resource.scopeMetrics)
      for (const metric of scope.metrics) if (metric.name === name) return metric;
  return undefined;
}

/** A data point's attributes as a plain object. */
export function attributesOf(point: { attributes: OtlpAttribute[] }): Record<string, string> {
  return Object.fromEntries(point.attributes.map((a) => [a.key, String(a.value.stringValue ?? a.value.intValue)]));
}

/** A free TCP port on 127.0.0.1 (for programs that need a port number before they start). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The workspace and instance an observer event names; the metrics ignore both (their labels are per server). */
export const AT = { workspace: '/work/project', instance: 'server#1' } as const;
