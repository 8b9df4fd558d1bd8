/** The built `claude-env` CLI, run as a user runs it, in an isolated home. */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './paths';
import { isolatedEnv } from './env';
import { tempFolder } from './workspace';

let builtCli: string | undefined;

/**
 * The built CLI, as users run it. Built once per mocha run with the project's own build script, then copied
 * aside: other suites rebuild dist/ while this one runs, and a half-written bundle must not fail a test.
 * `CLAUDE_ENV_CLI` points the suite at an already built bundle instead (e.g. the one a package ships, or the one
 * `npm run test:unit` builds before its parallel workers start); a relative path is taken from the repository root.
 */
export function cliPath(): string {
  if (builtCli) return builtCli;
  const prebuilt = process.env.CLAUDE_ENV_CLI;
  if (prebuilt) {
    builtCli = resolve(REPO_ROOT, prebuilt);
    return builtCli;
  }
  const snapshot = join(tempFolder('claude-env-cli-bundle-'), 'cli.js');
  for (let attempt = 1; ; attempt++) {
    execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, stdio: 'pipe' });
    copyFileSync(join(REPO_ROOT, 'dist', 'cli.js'), snapshot);
    const check = spawnSync(process.execPath, [snapshot, '--version'], { encoding: 'utf8' });
    if (check.status === 0 && /^\d+\.\d+\.\d+/.test(check.stdout)) break;
    if (attempt === 3) throw new Error(`the built CLI does not run: ${check.stderr}`);
  }
  builtCli = snapshot;
  return builtCli;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `claude-env args…` in `cwd` with an isolated home and returns its exit code and output. */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string>; home?: string }): CliRun {
  const home = options.home ?? tempFolder('claude-env-home-');
  const result = spawnSync(process.execPath, [cliPath(), ...args], {
    cwd: options.cwd,
    env: isolatedEnv(home, options.env),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * `runCli` without blocking this process: for a test whose remote is served from this process (a loopback HTTP
 * server), which must keep answering while the CLI runs. Also gives the run's duration in milliseconds.
 */
export function runCliAsync(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; home?: string },
): Promise<CliRun & { ms: number }> {
  const home = options.home ?? tempFolder('claude-env-home-');
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath(), ...args], {
      cwd: options.cwd,
      env: isolatedEnv(home, options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - started }));
  });
}
