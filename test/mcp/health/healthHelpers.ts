import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HealthRecorder } from '../../../mcp/src/health/recorder';
import { DEFAULT_HEALTH_LIMITS, HealthStoreWriter, type HealthStoreLimits } from '../../../mcp/src/health/store';

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public now: number) {}
  readonly read = (): number => this.now;
  advance(ms: number): number {
    this.now += ms;
    return this.now;
  }
}

/** A store folder of its own (removed after the test), a writer with the given limits, its log lines. */
export class StoreWorld {
  readonly root = mkdtempSync(join(tmpdir(), 'ce-health-'));
  readonly dir = join(this.root, 'state', 'claude-env', 'health');
  readonly logged: string[] = [];
  readonly writer: HealthStoreWriter;

  constructor(limits: Partial<HealthStoreLimits> = {}) {
    this.writer = new HealthStoreWriter(this.dir, { ...DEFAULT_HEALTH_LIMITS, ...limits }, (line) =>
      this.logged.push(line),
    );
  }

  recorder(clock: FakeClock): HealthRecorder {
    return new HealthRecorder(this.writer, { clock: clock.read, log: (line) => this.logged.push(line) });
  }

  segments(): string[] {
    return readdirSync(this.dir).sort();
  }

  /** Every byte the store holds, for the check that a value never reached it. */
  allText(): string {
    return this.segments()
      .map((name) => readFileSync(join(this.dir, name), 'utf8'))
      .join('');
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export const WS = '/work/project';
export const at = (instance = 'everything#1', server = 'everything') => ({ server, workspace: WS, instance });
export const call = (ms: number, outcome: 'ok' | 'error' | 'restart' = 'ok', server = 'everything') => ({
  ...at(`${server}#1`, server),
  method: 'tools/call' as const,
  target: 'echo',
  outcome,
  seconds: ms / 1000,
});

/** The exact `quantile` of samples, the way a percentile of a histogram approximates it (nearest rank). */
export function exactQuantile(samples: number[], quantile: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(quantile * sorted.length) - 1)];
}
