import { HealthRecorder } from './recorder';
import { healthStoreDir } from './segments';
import { DEFAULT_HEALTH_LIMITS, HealthStoreWriter, type HealthStoreLimits } from './store';

/** The daemon's history settings; every field has a default. */
export interface HealthOptions {
  /** Default `healthStoreDir()`. */
  dir?: string;
  limits?: Partial<HealthStoreLimits>;
  flushIntervalMs?: number;
  clock?: () => number;
}

/** The environment switch that turns the history off for a daemon (benchmarks, or a user who wants none). */
export const HEALTH_SWITCH_VAR = 'CLAUDE_ENV_GATEWAY_HEALTH';

/** The recorder a daemon tees its events into, started; undefined when history is off. */
export function healthRecorderFor(
  options: HealthOptions | false | undefined,
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): HealthRecorder | undefined {
  if (options === false) return undefined;
  if (options === undefined && /^(off|0|false|no)$/i.test(env[HEALTH_SWITCH_VAR] ?? '')) return undefined;
  const dir = options?.dir ?? healthStoreDir(env);
  const writer = new HealthStoreWriter(dir, { ...DEFAULT_HEALTH_LIMITS, ...options?.limits }, log);
  const recorder = new HealthRecorder(writer, {
    clock: options?.clock,
    flushIntervalMs: options?.flushIntervalMs,
    log,
  });
  recorder.start();
  return recorder;
}
