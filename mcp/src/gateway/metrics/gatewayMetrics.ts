import type { Attributes, Counter, Histogram } from '@opentelemetry/api';
import { MeterProvider, type IMetricReader } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { GatewayObserver } from '../observer';
import { DEFAULT_LABEL_LIMITS, LabelPolicy, type LabelLimits } from './labels';

/**
 * Bucket bounds of `claude_env_mcp_call_duration_seconds`: a warm local tool answers in a millisecond, a browser
 * action or a remote API takes seconds, a cold `npx` start tens of seconds. Roughly 1-2.5-5 per decade.
 */
export const CALL_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The metric names, in one place for the code, the tests, the docs and the dashboard. */
export const METRIC_NAMES = {
  calls: 'claude_env_mcp_calls_total',
  callDuration: 'claude_env_mcp_call_duration_seconds',
  restarts: 'claude_env_mcp_restarts_total',
  serverState: 'claude_env_mcp_server_state',
  sessions: 'claude_env_mcp_sessions',
  instances: 'claude_env_mcp_instances',
} as const;

/** How `GatewayMetrics` is set up. */
export interface GatewayMetricsOptions {
  /** Where the measurements go: the Prometheus endpoint's reader, the OTLP push reader, or a test's reader. */
  readers: IMetricReader[];
  /** Caps on distinct label values (see `LabelLimits`). */
  limits?: Partial<LabelLimits>;
  /** The daemon's version, reported as `service.version` on `target_info` and the OTLP resource. */
  version?: string;
}

/**
 * The gateway's OpenTelemetry metrics: one meter, six instruments, fed by the gateway's observer events.
 * Label values go through `LabelPolicy`, so a weird tool name or a resource URI never reaches a label as written.
 */
export class GatewayMetrics implements GatewayObserver {
  private readonly provider: MeterProvider;
  private readonly labels: LabelPolicy;
  private readonly calls: Counter;
  private readonly callDuration: Histogram;
  private readonly restarts: Counter;
  /** Current state label per server label. */
  private readonly states = new Map<string, string>();
  private readonly sessions = new Map<string, { sessions: number; instances: number }>();
  private closed = false;

  constructor(options: GatewayMetricsOptions) {
    this.labels = new LabelPolicy({ ...DEFAULT_LABEL_LIMITS, ...options.limits });
    this.provider = new MeterProvider({
      readers: options.readers,
      resource: resourceFromAttributes({
        'service.name': 'claude-env-mcp-gateway',
        ...(options.version ? { 'service.version': options.version } : {}),
      }),
    });
    const meter = this.provider.getMeter('claude-env.mcp.gateway', options.version);
    this.calls = meter.createCounter(METRIC_NAMES.calls, {
      description: 'MCP calls (tools/call, resources/read, prompts/get) the gateway forwarded, by outcome.',
    });
    this.callDuration = meter.createHistogram(METRIC_NAMES.callDuration, {
      description: 'Time from a client request to the backend answer, through the gateway.',
      unit: 's',
      advice: { explicitBucketBoundaries: CALL_DURATION_BUCKETS },
    });
    this.restarts = meter.createCounter(METRIC_NAMES.restarts, {
      description: 'Backend restarts (crash, hang or request).',
    });
    meter
      .createObservableGauge(METRIC_NAMES.serverState, {
        description: 'Current supervision state of each server: 1 for the current state, 0 for the others.',
      })
      .addCallback((result) => {
        const all = this.labels.states();
        for (const [server, current] of this.states)
          for (const state of all) result.observe(state === current ? 1 : 0, { server, state });
      });
    meter
      .createObservableGauge(METRIC_NAMES.sessions, { description: 'Client sessions connected to each server.' })
      .addCallback((result) => {
        for (const [server, counts] of this.sessions) result.observe(counts.sessions, { server });
      });
    meter
      .createObservableGauge(METRIC_NAMES.instances, { description: 'Backend instances running for each server.' })
      .addCallback((result) => {
        for (const [server, counts] of this.sessions) result.observe(counts.instances, { server });
      });
  }

  callFinished(event: Parameters<GatewayObserver['callFinished']>[0]): void {
    if (this.closed) return;
    const server = this.labels.server(event.server);
    const method = this.labels.method(event.method);
    const target = this.labels.target(server, method, event.target);
    const attributes: Attributes = { server, method, target };
    this.calls.add(1, { ...attributes, outcome: this.labels.outcome(event.outcome) });
    // A missing or negative duration is a bug upstream; counting the call still tells the truth.
    if (typeof event.seconds === 'number' && Number.isFinite(event.seconds) && event.seconds >= 0)
      this.callDuration.record(event.seconds, attributes);
  }

  stateChanged(event: Parameters<GatewayObserver['stateChanged']>[0]): void {
    if (this.closed) return;
    const server = this.labels.server(event.server);
    // The reason is free text (it may quote a server's stderr); it belongs in logs, never in a label.
    if (!this.states.has(server)) this.restarts.add(0, { server });
    this.states.set(server, this.labels.state(event.state));
  }

  restarted(event: Parameters<GatewayObserver['restarted']>[0]): void {
    if (this.closed) return;
    this.restarts.add(1, { server: this.labels.server(event.server) });
  }

  sessionsChanged(event: Parameters<GatewayObserver['sessionsChanged']>[0]): void {
    if (this.closed) return;
    this.sessions.set(this.labels.server(event.server), {
      sessions: count(event.sessions),
      instances: count(event.instances),
    });
  }

  /** Pushes what is pending (OTLP) without waiting for the next interval. */
  async flush(): Promise<void> {
    await this.provider.forceFlush();
  }

  /** Flushes and stops every reader; later events are ignored. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.provider.shutdown();
  }
}

function count(value: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : 0;
}
