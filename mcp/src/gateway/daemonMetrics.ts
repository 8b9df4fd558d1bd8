import { createHash } from 'node:crypto';
import type { GatewayMetricsService, GatewayMetricsSettings, MetricsSettingsResolution } from './metrics';
import type { RelayObserver } from './observer';

/** Reads and resolves `gateway.metrics` of one workspace's layers; undefined when the layers cannot be loaded. */
export type MetricsSettingsSource = (workspace: string) => Promise<MetricsSettingsResolution | undefined>;

/**
 * The daemon's metrics, started by the first workspace whose layers ask for them and fixed for the daemon's life:
 * a daemon has one Prometheus port and one push target, and it serves every workspace of its user. A later
 * workspace with other settings is told so in the log once. The OpenTelemetry code is loaded only then, with a
 * dynamic import (its own bundle next to the CLI), so a daemon without metrics never loads it.
 */
export class DaemonMetrics {
  private service: GatewayMetricsService | undefined;
  private active: { workspace: string; fingerprint: string } | undefined;
  private readonly seen = new Map<string, Promise<void>>();
  private serial: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly source: MetricsSettingsSource | undefined,
    private readonly relay: RelayObserver,
    private readonly options: {
      tokenFile: string;
      version?: string;
      log: (line: string) => void;
      /** Called once the observer is live, so that what is already running is reported. */
      onStarted: () => void;
    },
  ) {}

  /** Looks at a workspace's settings the first time it opens a session; resolves once metrics run, if they do. */
  consider(workspace: string): Promise<void> {
    if (!this.source) return Promise.resolve();
    let pending = this.seen.get(workspace);
    if (!pending) {
      pending = this.look(workspace).catch((error: unknown) =>
        this.options.log(`metrics: ${error instanceof Error ? error.message : String(error)}; metrics are off`),
      );
      this.seen.set(workspace, pending);
    }
    return pending;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.seen.values());
    const service = this.service;
    this.service = undefined;
    await service?.close();
  }

  private async look(workspace: string): Promise<void> {
    const resolution = await this.source!(workspace);
    if (!resolution || this.closed) return;
    const { settings, problems } = resolution;
    for (const problem of problems) this.options.log(`metrics (${workspace}): ${problem}`);
    if (!settings.prometheus && !settings.otlp) return;
    // Serialized: two workspaces opening at once must not both start an endpoint.
    const decided = this.serial.then(() => this.decide(workspace, settings));
    this.serial = decided.catch(() => undefined);
    await decided;
  }

  private async decide(workspace: string, settings: GatewayMetricsSettings): Promise<void> {
    if (this.closed) return;
    const fingerprint = fingerprintOf(settings);
    if (this.active) {
      if (this.active.fingerprint !== fingerprint)
        this.options.log(
          `metrics: the gateway.metrics of ${workspace} differ from those in effect (from ${this.active.workspace}); ` +
            'the daemon keeps the first until it stops (claude-env mcp daemon --stop)',
        );
      return;
    }
    this.active = { workspace, fingerprint };
    const startGatewayMetrics = await loadMetrics();
    const service = await startGatewayMetrics(settings, {
      tokenFile: this.options.tokenFile,
      version: this.options.version,
      log: (line) => this.options.log(`metrics: ${line}`),
    });
    if (this.closed) return void (await service.close());
    this.service = service;
    this.relay.target = service.observer;
    const where = [
      service.prometheus ? `Prometheus on ${service.prometheus.url} (token in ${service.prometheus.tokenFile})` : '',
      settings.otlp ? `OTLP push every ${settings.otlp.intervalMs / 1000} s` : '',
    ].filter(Boolean);
    this.options.log(`metrics from the layers of ${workspace}: ${where.join(', ') || 'none could start'}`);
    this.options.onStarted();
  }
}

/**
 * The bundles keep `./metrics` out (scripts/build.mjs makes it dist/gateway-metrics.js, imported at run time);
 * a CommonJS file imported that way may show its exports under `default`.
 */
async function loadMetrics(): Promise<typeof import('./metrics').startGatewayMetrics> {
  const loaded: Partial<typeof import('./metrics')> & { default?: typeof import('./metrics') } =
    await import('./metrics');
  const start = loaded.startGatewayMetrics ?? loaded.default?.startGatewayMetrics;
  if (!start) throw new Error('the metrics module (gateway-metrics.js) has no startGatewayMetrics');
  return start;
}

/** Compares settings without keeping them: header values may be secrets. */
function fingerprintOf(settings: GatewayMetricsSettings): string {
  const { prometheus, otlp } = settings;
  return createHash('sha256').update(JSON.stringify({ prometheus, otlp })).digest('hex');
}
