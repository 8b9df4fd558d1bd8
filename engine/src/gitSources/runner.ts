import { spawn } from 'node:child_process';

/** What one git invocation returned. */
export interface GitResult {
  /** Exit code; -1 when git could not be started or was stopped at the timeout. */
  code: number;
  stdout: Buffer;
  stderr: string;
  /** Set when the run was stopped: `timeout`, `output` (more than `maxOutputBytes`), or `spawn` (no git). */
  stopped?: 'timeout' | 'output' | 'spawn';
}

/** Options of one git run. */
export interface GitRunOptions {
  /** The repository (`--git-dir`); none for `ls-remote`. */
  gitDir?: string;
  /** Bytes written to git's standard input (`cat-file --batch`). */
  input?: string;
  timeoutMs?: number;
}

/**
 * Runs git. The engine's read path (`discoverStack`, `loadEnvironment`) never has one: only the operations that are
 * asked to talk to a repository (`fetch`, `update`, `status`) take a runner from their caller, so nothing fetches on
 * its own. Tests and the benchmark pass the system one too, against loopback repositories.
 */
export interface GitRunner {
  run(args: readonly string[], options?: GitRunOptions): Promise<GitResult>;
}

/**
 * Configuration given on every command line, over the person's own, because a repository claude-env fetches is
 * not trusted: no hooks, no `ext::` transport (it runs a command), objects checked while they arrive (a hostile
 * server can send a tree naming `..` or `.git`), no submodules, no file-system monitor, no background gc.
 * Nothing is ever checked out with git: files are written by claude-env from the objects, so no checkout filter,
 * LFS smudge or attribute runs either.
 */
export const SAFE_GIT_CONFIG: readonly string[] = [
  'core.hooksPath=/dev/null',
  'protocol.ext.allow=never',
  'transfer.fsckObjects=true',
  'fetch.recurseSubmodules=false',
  'submodule.recurse=false',
  'core.fsmonitor=false',
  'gc.auto=0',
  'maintenance.auto=false',
  'credential.interactive=never',
].flatMap((setting) => ['-c', setting]);

/** Variables that would point git at another repository than the one given on the command line. */
const REPOSITORY_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_CEILING_DIRECTORIES',
  'GIT_PREFIX',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT',
];

/** Seconds of silence after which an HTTP(S) transfer gives up, unless `GIT_HTTP_LOW_SPEED_TIME` says otherwise. */
export const HTTP_STALL_SECONDS = 30;

/**
 * The environment git runs in: the person's own (SSH agent, credential helpers, proxies), without the variables that
 * point git elsewhere, and with every way of asking a person switched off, so that a command or the editor's
 * periodic check fails with a message instead of waiting for an answer nobody gives:
 * - `GIT_TERMINAL_PROMPT=0`: no username or password prompt on a terminal;
 * - `GIT_ASKPASS=''`: git asks no askpass program either (an empty value also hides `core.askPass` and
 *   `SSH_ASKPASS` from git); `SSH_ASKPASS` is removed and `SSH_ASKPASS_REQUIRE=never`, so ssh opens no passphrase
 *   window on a desktop;
 * - `GCM_INTERACTIVE=never`: Git Credential Manager uses what it has stored and opens no sign-in window.
 * Credential helpers still answer: they are how credentials reach git. An HTTP(S) transfer that receives less than
 * 1 byte a second for 30 s stops (`GIT_HTTP_LOW_SPEED_LIMIT`/`_TIME`, kept when the person set them).
 */
export function gitEnvironment(from: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const base = { ...from };
  for (const name of [...REPOSITORY_VARIABLES, 'SSH_ASKPASS']) delete base[name];
  return {
    ...base,
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS_REQUIRE: 'never',
    GCM_INTERACTIVE: 'never',
    GIT_HTTP_LOW_SPEED_LIMIT: nonEmpty(base.GIT_HTTP_LOW_SPEED_LIMIT) ?? '1',
    GIT_HTTP_LOW_SPEED_TIME: nonEmpty(base.GIT_HTTP_LOW_SPEED_TIME) ?? String(HTTP_STALL_SECONDS),
    LC_ALL: 'C',
    LANG: 'C',
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

/** Options of the system git runner. */
export interface SystemGitOptions {
  /** The environment git runs in (default `process.env`): the person's SSH agent and credential helpers keep working. */
  env?: NodeJS.ProcessEnv;
  /** Default time limit of one run (default 120 s). */
  timeoutMs?: number;
  /** Most bytes read from git's standard output (default 128 MiB). */
  maxOutputBytes?: number;
  /** The git program (default `git` on PATH). */
  program?: string;
}

/**
 * The system `git`, spawned with a fixed argument vector (no shell), the safe configuration above, the environment
 * of {@link gitEnvironment} (no prompt of any kind), no terminal (a new session without a controlling terminal, so
 * that ssh cannot ask for a passphrase either), a time limit that stops the whole process group, and a bound on
 * what is read from it.
 */
export function systemGit(options: SystemGitOptions = {}): GitRunner {
  const env = gitEnvironment(options.env ?? process.env);
  const maxOutput = options.maxOutputBytes ?? 128 * 1024 * 1024;
  return {
    run(args, runOptions = {}) {
      const argv = [...SAFE_GIT_CONFIG, ...(runOptions.gitDir ? [`--git-dir=${runOptions.gitDir}`] : []), ...args];
      const timeoutMs = runOptions.timeoutMs ?? options.timeoutMs ?? 120_000;
      return new Promise<GitResult>((resolvePromise) => {
        const child = spawn(options.program ?? 'git', argv, {
          env,
          stdio: [runOptions.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
          detached: true,
          windowsHide: true,
        });
        const out: Buffer[] = [];
        let outBytes = 0;
        let err = '';
        let stopped: GitResult['stopped'];
        const stop = (why: GitResult['stopped']) => {
          stopped ??= why;
          try {
            if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
          } catch {
            child.kill('SIGKILL');
          }
        };
        const timer = setTimeout(() => stop('timeout'), timeoutMs);
        child.stdout!.on('data', (chunk: Buffer) => {
          outBytes += chunk.length;
          if (outBytes > maxOutput) return stop('output');
          out.push(chunk);
        });
        child.stderr!.on('data', (chunk: Buffer) => {
          // Only the end matters for a message; keep it bounded.
          err = (err + chunk.toString('utf8')).slice(-16_384);
        });
        if (runOptions.input !== undefined) {
          child.stdin!.on('error', () => undefined);
          child.stdin!.end(runOptions.input);
        }
        child.on('error', (error) => {
          clearTimeout(timer);
          resolvePromise({ code: -1, stdout: Buffer.alloc(0), stderr: error.message, stopped: 'spawn' });
        });
        child.on('close', (code) => {
          clearTimeout(timer);
          resolvePromise({ code: stopped ? -1 : (code ?? -1), stdout: Buffer.concat(out), stderr: err, stopped });
        });
      });
    },
  };
}
