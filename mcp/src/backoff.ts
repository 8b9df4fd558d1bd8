import type { SupervisionOptions } from '@claude-env/engine';
import type { SupervisorTuning } from './types';

/** Why a run ended, as far as the restart policy cares. */
export type ExitKind = 'clean' | 'failure';

/** The verdict after a run ended on its own. */
export type RestartDecision =
  | { action: 'restart'; delayMs: number; attempt: number }
  | { action: 'stay'; reason: string }
  | { action: 'fail'; reason: string };

/**
 * Restart policy of one server: `never`, `on-failure` or `always`, with exponential backoff and jitter, and a
 * crash-loop cap of `maxRestarts` restarts within `crashLoopWindowMs`.
 *
 * The backoff exponent is the number of restarts inside the window, so a server that has been healthy for a
 * whole window starts again from the base delay without any explicit reset.
 */
export class RestartPolicy {
  private restartTimes: number[] = [];

  constructor(
    private readonly options: SupervisionOptions,
    private readonly tuning: Pick<SupervisorTuning, 'backoffBaseMs' | 'backoffMaxMs' | 'backoffJitter' | 'random'>,
    private readonly now: () => number = Date.now,
  ) {}

  decide(exit: ExitKind): RestartDecision {
    const { restart, maxRestarts, crashLoopWindowMs } = this.options;
    if (restart === 'never') return { action: 'stay', reason: 'restart policy is "never"' };
    if (restart === 'on-failure' && exit === 'clean') {
      return { action: 'stay', reason: 'exited cleanly and the restart policy is "on-failure"' };
    }
    const now = this.now();
    this.restartTimes = this.restartTimes.filter((time) => now - time < crashLoopWindowMs);
    if (this.restartTimes.length >= maxRestarts) {
      return {
        action: 'fail',
        reason: `crash loop: ${this.restartTimes.length} restarts within ${formatMs(crashLoopWindowMs)} (maxRestarts ${maxRestarts})`,
      };
    }
    const attempt = this.restartTimes.length + 1;
    this.restartTimes.push(now);
    return { action: 'restart', delayMs: this.delayFor(attempt), attempt };
  }

  /** Forget the history, e.g. after a manual restart or stop. */
  reset(): void {
    this.restartTimes = [];
  }

  private delayFor(attempt: number): number {
    const { backoffBaseMs, backoffMaxMs, backoffJitter, random } = this.tuning;
    const exponential = Math.min(backoffMaxMs, backoffBaseMs * 2 ** (attempt - 1));
    const jitter = 1 + backoffJitter * (2 * random() - 1);
    return Math.max(0, Math.round(exponential * jitter));
  }
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)} s`;
  return `${+(ms / 60_000).toFixed(1)} min`;
}
