import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { SupervisionOptions } from '@claude-env/engine';
import { formatMs } from './backoff';

/** What the monitor reports to its server. */
export interface PingListener {
  /** A ping was slow (over half the timeout) or failed: the server is degraded. */
  slow(detail: string): void;
  /** A ping came back in time after slow or failed ones. */
  healthy(): void;
  /** `hangAfter` pings in a row failed: the server is hung. */
  hung(detail: string): void;
}

/** Successful pings kept for the median. */
const PING_WINDOW = 21;

/**
 * Periodic MCP ping with a timeout. One slow or failed ping degrades the server; after a failure the next ping
 * goes out at once rather than after the interval, so a hang is detected within about
 * `pingIntervalMs + hangAfter × pingTimeoutMs`.
 */
export class PingMonitor {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private latencies: number[] = [];
  private consecutiveFailures = 0;
  private last: number | undefined;

  constructor(
    private readonly client: Client,
    private readonly options: Pick<SupervisionOptions, 'pingIntervalMs' | 'pingTimeoutMs'>,
    private readonly hangAfter: number,
    private readonly listener: PingListener,
  ) {}

  start(): void {
    this.schedule(this.options.pingIntervalMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  get lastMs(): number | undefined {
    return this.last;
  }

  get medianMs(): number | undefined {
    if (this.latencies.length === 0) return undefined;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  get failures(): number {
    return this.consecutiveFailures;
  }

  /** Pings once now, outside the schedule (used by `mcp check`). Resolves to the latency, or throws. */
  async pingNow(): Promise<number> {
    const started = performance.now();
    await this.client.ping({ timeout: this.options.pingTimeoutMs });
    const latency = performance.now() - started;
    this.record(latency);
    return latency;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    // The ping loop alone must not keep a host alive.
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const { pingTimeoutMs, pingIntervalMs } = this.options;
    const started = performance.now();
    try {
      await this.client.ping({ timeout: pingTimeoutMs });
    } catch (error) {
      if (this.stopped) return;
      this.consecutiveFailures++;
      const why = error instanceof Error ? error.message : String(error);
      const detail = `${this.consecutiveFailures} ping(s) in a row failed; last: ${why}`;
      if (this.consecutiveFailures >= this.hangAfter) {
        this.stopped = true;
        this.listener.hung(detail);
        return;
      }
      this.listener.slow(detail);
      this.schedule(0);
      return;
    }
    if (this.stopped) return;
    const latency = performance.now() - started;
    this.record(latency);
    this.consecutiveFailures = 0;
    if (latency > pingTimeoutMs / 2) {
      this.listener.slow(`slow ping: ${formatMs(latency)} (timeout ${formatMs(pingTimeoutMs)})`);
    } else {
      this.listener.healthy();
    }
    this.schedule(pingIntervalMs);
  }

  private record(latency: number): void {
    this.last = latency;
    this.latencies.push(latency);
    if (this.latencies.length > PING_WINDOW) this.latencies.shift();
  }
}
