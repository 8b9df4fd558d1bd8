/** Environments for the processes tests start, free of whatever the developer running the tests has set. */
import { join } from 'node:path';

/**
 * The test runner's environment without claude-env's own variables (which would add an environment layer) and
 * without the colour switches (which would change what the CLI prints).
 */
export function withoutClaudeEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('CLAUDE_ENV_') && key !== 'NO_COLOR' && key !== 'FORCE_COLOR') env[key] = value;
  }
  return env;
}

/** A home for one test: no user layer, no secrets file, nothing from the developer's machine. */
export function isolatedEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...withoutClaudeEnv(), HOME: home, XDG_CONFIG_HOME: join(home, '.config'), ...extra };
}
