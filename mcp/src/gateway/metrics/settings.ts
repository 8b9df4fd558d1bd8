import { parseDuration, resolveString, setOwn, type ResolveContext } from '@claude-env/engine';
import type { LoopbackAddress } from './prometheusEndpoint';

/** The effective `gateway.metrics` block, checked and with every header reference resolved (in memory only). */
export interface GatewayMetricsSettings {
  prometheus?: { port: number; address: LoopbackAddress };
  otlp?: { endpoint: string; headers: Record<string, string>; intervalMs: number };
  /** Values that came from secrets, files or the environment: what any log line must redact. */
  secretValues: string[];
}

/** The settings, plus why a block was left off (each message names the field; never a value). */
export interface MetricsSettingsResolution {
  settings: GatewayMetricsSettings;
  problems: string[];
}

export const DEFAULT_OTLP_INTERVAL_MS = 60_000;
/** Pushing more often than once a second only loads the collector; the schema says the same. */
const MIN_OTLP_INTERVAL_MS = 1_000;

/**
 * Reads `gateway.metrics` of an effective environment's value (`env.value.gateway`). Both endpoints are opt-in:
 * a block that is absent, or that cannot be used (a bad port, an unresolved `${secret:…}` in a header), is left
 * off and the reason is returned, so the daemon still runs and says why metrics are missing. The schema has
 * already reported bad values at their line; this only keeps the daemon from acting on them.
 */
export async function resolveMetricsSettings(
  gateway: unknown,
  ctx: ResolveContext,
): Promise<MetricsSettingsResolution> {
  const settings: GatewayMetricsSettings = { secretValues: [] };
  const problems: string[] = [];
  const metrics = objectAt(objectAt(gateway)?.metrics);

  const prometheus = objectAt(metrics?.prometheus);
  if (prometheus) {
    const port = prometheus.port;
    const address = prometheus.address ?? '127.0.0.1';
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
      problems.push('gateway.metrics.prometheus.port must be a TCP port (1-65535); the Prometheus endpoint is off.');
    else if (address !== '127.0.0.1' && address !== '::1')
      problems.push('gateway.metrics.prometheus.address must be 127.0.0.1 or ::1; the Prometheus endpoint is off.');
    else settings.prometheus = { port, address };
  }

  const otlp = objectAt(metrics?.otlp);
  if (otlp) {
    const resolved = await resolveOtlp(otlp, ctx, settings.secretValues);
    if (typeof resolved === 'string') problems.push(resolved);
    else settings.otlp = resolved;
  }
  return { settings, problems };
}

async function resolveOtlp(
  otlp: Record<string, unknown>,
  ctx: ResolveContext,
  secretValues: string[],
): Promise<NonNullable<GatewayMetricsSettings['otlp']> | string> {
  const off = 'OTLP push is off.';
  if (typeof otlp.endpoint !== 'string') return `gateway.metrics.otlp.endpoint is missing; ${off}`;
  const endpoint = await resolveString(otlp.endpoint, ctx);
  secretValues.push(...endpoint.secretValues);
  if (endpoint.value === undefined)
    return `gateway.metrics.otlp.endpoint: ${endpoint.problems.map((p) => p.message).join(' ')} ${off}`;
  if (!/^https?:\/\//i.test(endpoint.value) || !URL.canParse(endpoint.value))
    return `gateway.metrics.otlp.endpoint must be an http:// or https:// URL; ${off}`;

  const headers: Record<string, string> = {};
  const rawHeaders = objectAt(otlp.headers) ?? {};
  for (const [name, raw] of Object.entries(rawHeaders)) {
    if (typeof raw !== 'string') return `gateway.metrics.otlp.headers.${name} must be a string; ${off}`;
    const value = await resolveString(raw, ctx);
    secretValues.push(...value.secretValues);
    // The problem messages name the reference (`${secret:otlp-token}`), never a value.
    if (value.value === undefined)
      return `gateway.metrics.otlp.headers.${name}: ${value.problems.map((p) => p.message).join(' ')} ${off}`;
    setOwn(headers, name, value.value);
  }

  const intervalMs = parseDuration(otlp.interval, DEFAULT_OTLP_INTERVAL_MS);
  return { endpoint: endpoint.value, headers, intervalMs: Math.max(intervalMs, MIN_OTLP_INTERVAL_MS) };
}

function objectAt(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
