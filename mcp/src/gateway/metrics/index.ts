/**
 * The gateway's metrics: `GatewayMetrics` (an observer backed by the OpenTelemetry metrics SDK), the opt-in
 * Prometheus endpoint on loopback and the OTLP push. The daemon imports this folder; the shim never does, so the
 * OpenTelemetry packages stay off the shim's start-up path.
 */
import { Redactor } from '@claude-env/engine';
import type { IMetricReader } from '@opentelemetry/sdk-metrics';
import { NO_OBSERVER, type GatewayObserver } from '../observer';
import { GatewayMetrics } from './gatewayMetrics';
import { otlpPushReader } from './otlpPush';
import { startPrometheusEndpoint, type PrometheusEndpoint } from './prometheusEndpoint';
import type { GatewayMetricsSettings } from './settings';

export { GatewayMetrics, METRIC_NAMES, CALL_DURATION_BUCKETS, type GatewayMetricsOptions } from './gatewayMetrics';
export {
  LabelPolicy,
  DEFAULT_LABEL_LIMITS,
  OVERFLOW_LABEL,
  INVALID_LABEL,
  KNOWN_STATES,
  type LabelLimits,
} from './labels';
export {
  startPrometheusEndpoint,
  METRICS_PATH,
  type PrometheusEndpoint,
  type PrometheusEndpointOptions,
  type LoopbackAddress,
} from './prometheusEndpoint';
export { otlpPushReader, otlpMetricsUrl, type OtlpPushOptions } from './otlpPush';
export {
  resolveMetricsSettings,
  DEFAULT_OTLP_INTERVAL_MS,
  type GatewayMetricsSettings,
  type MetricsSettingsResolution,
} from './settings';

/** What the daemon passes besides the layers' settings. */
export interface StartMetricsOptions {
  /** Where the Prometheus bearer token goes (0600), e.g. `<state dir>/metrics-token` next to the socket folder. */
  tokenFile: string;
  /** The daemon's version, reported as `service.version`. */
  version?: string;
  /** Receives one line per problem (a port in use, a failed push); secret values are already redacted. */
  log?: (line: string) => void;
}

/** The running metrics of one daemon. */
export interface GatewayMetricsService {
  /** Give this to the gateway: `NO_OBSERVER` when no endpoint is configured, so metrics then cost nothing. */
  readonly observer: GatewayObserver;
  /** The scrape endpoint when `gateway.metrics.prometheus` is set. */
  readonly prometheus?: PrometheusEndpoint;
  /** Pushes pending OTLP data now (also done by `close`). */
  flush(): Promise<void>;
  /** Stops both endpoints after a last push, and removes the token file. */
  close(): Promise<void>;
}

/**
 * Starts what the settings ask for. Metrics never keep the daemon from serving MCP: when the Prometheus port
 * cannot be bound, that is logged and the endpoint stays off (OTLP, if configured, still runs).
 */
export async function startGatewayMetrics(
  settings: GatewayMetricsSettings,
  options: StartMetricsOptions,
): Promise<GatewayMetricsService> {
  if (!settings.prometheus && !settings.otlp)
    return { observer: NO_OBSERVER, flush: async () => {}, close: async () => {} };
  const redactor = new Redactor(settings.secretValues);
  const log = options.log ?? (() => {});
  const readers: IMetricReader[] = [];
  let prometheus: PrometheusEndpoint | undefined;
  if (settings.prometheus) {
    try {
      prometheus = await startPrometheusEndpoint({ ...settings.prometheus, tokenFile: options.tokenFile });
      readers.push(prometheus.reader);
    } catch (error) {
      log(`${error instanceof Error ? error.message : String(error)}; the Prometheus endpoint is off.`);
    }
  }
  if (!prometheus && !settings.otlp) return { observer: NO_OBSERVER, flush: async () => {}, close: async () => {} };
  if (settings.otlp)
    readers.push(otlpPushReader({ ...settings.otlp, onExportError: (message) => log(redactor.redact(message)) }));
  const metrics = new GatewayMetrics({ readers, version: options.version });
  return {
    observer: metrics,
    prometheus,
    flush: () => metrics.flush(),
    async close() {
      await prometheus?.close();
      await metrics.shutdown();
    },
  };
}
