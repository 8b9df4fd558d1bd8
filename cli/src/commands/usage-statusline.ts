import {
  loadRateLimits,
  rateLimitsOf,
  saveRateLimits,
  type RateLimits,
  type RateLimitWindow,
} from '@claude-env/engine';
import type { CliIo } from '../command';
import { ExitCode } from '../exitCodes';

/** Claude Code's statusline input is a small JSON object; anything much larger is not one. */
const MAX_INPUT_BYTES = 1024 * 1024;

async function readInput(stdin: NodeJS.ReadStream): Promise<string | undefined> {
  if (stdin.isTTY) return undefined;
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_INPUT_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function resetText(window: RateLimitWindow, now: Date): string {
  const reset = new Date(window.resetsAt);
  const time = reset.toTimeString().slice(0, 5);
  const sameDay = reset.toDateString() === now.toDateString();
  return sameDay ? time : `${reset.toLocaleDateString('en-US', { weekday: 'short' })} ${time}`;
}

/** `5-hour 23 % until 14:00, 7-day 41 % until Fri 09:00`. */
export function rateLimitsText(limits: RateLimits, now: Date): string {
  const parts: string[] = [];
  if (limits.fiveHour)
    parts.push(`5-hour ${Math.round(limits.fiveHour.usedPercent)} % until ${resetText(limits.fiveHour, now)}`);
  if (limits.sevenDay)
    parts.push(`7-day ${Math.round(limits.sevenDay.usedPercent)} % until ${resetText(limits.sevenDay, now)}`);
  return parts.join(', ');
}

/**
 * `claude-env usage statusline`, for Claude Code's `statusLine` command: reads the JSON Claude Code pipes in,
 * records its `rate_limits` (the plan's real 5-hour and 7-day use) next to the read state, and prints one line.
 * Nothing else is read, so it answers in the time Node starts.
 */
export async function runStatusline(io: CliIo, limitsPath: string, stdin: NodeJS.ReadStream): Promise<number> {
  const now = new Date();
  const input = await readInput(stdin);
  let parsed: unknown;
  try {
    parsed = input === undefined ? undefined : JSON.parse(input);
  } catch {
    parsed = undefined;
  }
  const fresh = rateLimitsOf(parsed, now);
  if (fresh) {
    await saveRateLimits(limitsPath, fresh).catch((error: unknown) =>
      io.err(`warning: the plan limits could not be saved: ${String(error)}\n`),
    );
  }
  const limits = fresh ?? loadRateLimits(limitsPath, now);
  io.out(`${limits ? rateLimitsText(limits, now) : 'plan limits not reported yet'}\n`);
  return ExitCode.ok;
}
