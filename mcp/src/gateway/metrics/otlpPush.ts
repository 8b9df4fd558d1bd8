import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import {
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

/** Where and how often the gateway pushes its metrics over OTLP/HTTP (JSON encoding). */
export interface OtlpPushOptions {
  /** The collector's OTLP/HTTP endpoint, e.g. `http://collector:4318`; `/v1/metrics` is appended when missing. */
  endpoint: string;
  /** Request headers, references already resolved (values may be secrets: they stay in memory). */
  headers: Record<string, string>;
  intervalMs: number;
  /** Per-export timeout; at most the interval. */
  timeoutMs?: number;
  /** Receives one line per failed export (never a header value). */
  onExportError?: (message: string) => void;
}

export const METRICS_SIGNAL_PATH = '/v1/metrics';

/** The export URL for a collector endpoint: the OTLP convention of `OTEL_EXPORTER_OTLP_ENDPOINT` plus `/v1/metrics`. */
export function otlpMetricsUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (!url.pathname.endsWith(METRICS_SIGNAL_PATH))
    url.pathname = url.pathname.replace(/\/*$/, '') + METRICS_SIGNAL_PATH;
  return url.href;
}

/**
 * A reader that pushes the gateway's metrics to a collector every `intervalMs`, cumulative temporality (what
 * Prometheus-backed collectors expect and what Claude Code's own exporter defaults to).
 */
export function otlpPushReader(options: OtlpPushOptions): PeriodicExportingMetricReader {
  const exporter = withoutOtlpEnvironment(
    () =>
      new OTLPMetricExporter({
        url: otlpMetricsUrl(options.endpoint),
        headers: { ...options.headers },
        timeoutMillis: Math.min(options.timeoutMs ?? 10_000, options.intervalMs),
      }),
  );
  return new PeriodicExportingMetricReader({
    exporter: options.onExportError ? reportingFailures(exporter, options.onExportError) : exporter,
    exportIntervalMillis: options.intervalMs,
    exportTimeoutMillis: Math.min(options.timeoutMs ?? 10_000, options.intervalMs),
  });
}

/**
 * Builds the exporter with the `OTEL_EXPORTER_OTLP_*` variables out of sight. The daemon inherits the environment
 * of whichever client started it, often Claude Code with its own telemetry headers; the exporter would merge those
 * headers into every request, sending one collector's credentials to another. Only what the layers say is sent.
 * The exporter reads the variables synchronously in its constructor, so hiding them for that call is enough.
 */
function withoutOtlpEnvironment<T>(build: () => T): T {
  const hidden = Object.keys(process.env).filter((name) => name.startsWith('OTEL_EXPORTER_OTLP_'));
  const saved = hidden.map((name) => [name, process.env[name]] as const);
  for (const name of hidden) delete process.env[name];
  try {
    return build();
  } finally {
    for (const [name, value] of saved) process.env[name] = value;
  }
}

/** Wraps an exporter so that a failed push is reported once per failure instead of disappearing in `diag`. */
function reportingFailures(exporter: OTLPMetricExporter, report: (message: string) => void): PushMetricExporter {
  return {
    export(metrics: ResourceMetrics, resultCallback) {
      exporter.export(metrics, (result) => {
        // 0 is ExportResultCode.SUCCESS (the enum lives in @opentelemetry/core, which the gateway does not import).
        if (result.code !== 0)
          report(`OTLP metrics export failed: ${result.error?.message ?? 'the collector refused the data'}`);
        resultCallback(result);
      });
    },
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
    selectAggregationTemporality: (type) => exporter.selectAggregationTemporality(type),
    selectAggregation: (type) => exporter.selectAggregation(type),
  };
}
