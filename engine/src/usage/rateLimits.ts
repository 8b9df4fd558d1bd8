import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../outputs/atomic';

/** One of Claude Code's plan windows, as its statusline input reports it. */
export interface RateLimitWindow {
  /** Share of the window used, 0–100. */
  usedPercent: number;
  /** When the window resets, ISO 8601. */
  resetsAt: string;
}

/** The plan's real limits, recorded from the last statusline input that carried them. */
export interface RateLimits {
  recordedAt: string;
  fiveHour?: RateLimitWindow;
  sevenDay?: RateLimitWindow;
}

function windowOf(value: unknown): RateLimitWindow | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { used_percentage: used, resets_at: resets } = value as Record<string, unknown>;
  if (typeof used !== 'number' || !Number.isFinite(used) || used < 0) return undefined;
  // Seconds since the epoch; a number past 10^11 is already milliseconds.
  const ms = typeof resets === 'number' ? (resets > 1e11 ? resets : resets * 1000) : Date.parse(String(resets));
  if (!Number.isFinite(ms)) return undefined;
  return { usedPercent: used, resetsAt: new Date(ms).toISOString() };
}

/**
 * The `rate_limits` of a Claude Code statusline input (`five_hour` and `seven_day`, each `used_percentage` and
 * `resets_at`), or undefined when it has none: Claude Code sends them to Claude.ai subscribers once a session
 * has had its first answer.
 */
export function rateLimitsOf(statusline: unknown, now: Date): RateLimits | undefined {
  if (typeof statusline !== 'object' || statusline === null) return undefined;
  const limits = (statusline as Record<string, unknown>).rate_limits;
  if (typeof limits !== 'object' || limits === null) return undefined;
  const { five_hour: five, seven_day: seven } = limits as Record<string, unknown>;
  const fiveHour = windowOf(five);
  const sevenDay = windowOf(seven);
  if (!fiveHour && !sevenDay) return undefined;
  return { recordedAt: now.toISOString(), ...(fiveHour ? { fiveHour } : {}), ...(sevenDay ? { sevenDay } : {}) };
}

/** Next to the read state: `…/claude-env/usage/rate-limits.json`. */
export function rateLimitsPath(readStatePath: string): string {
  return join(dirname(readStatePath), 'rate-limits.json');
}

export async function saveRateLimits(path: string, limits: RateLimits): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(limits)}\n`);
}

/** The recorded limits whose windows have not all reset yet, or undefined. */
export function loadRateLimits(path: string, now: Date): RateLimits | undefined {
  let limits: RateLimits;
  try {
    limits = JSON.parse(readFileSync(path, 'utf8')) as RateLimits;
  } catch {
    return undefined;
  }
  const current = (window: RateLimitWindow | undefined) =>
    window !== undefined && typeof window.resetsAt === 'string' && Date.parse(window.resetsAt) > now.getTime()
      ? window
      : undefined;
  const fiveHour = current(limits.fiveHour);
  const sevenDay = current(limits.sevenDay);
  if (!fiveHour && !sevenDay) return undefined;
  return { recordedAt: limits.recordedAt, ...(fiveHour ? { fiveHour } : {}), ...(sevenDay ? { sevenDay } : {}) };
}
