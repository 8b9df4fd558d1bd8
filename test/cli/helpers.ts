import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const REPO = join(__dirname, '..', '..');

let builtCli: string | undefined;

/**
 * The built CLI, as users run it. Built once per mocha run with the project's own build script, then copied
 * aside: other suites rebuild dist/ while this one runs, and a half-written bundle must not fail a test.
 * `CLAUDE_ENV_CLI` points the suite at an already built bundle instead (e.g. the one a package ships).
 */
export function cliPath(): string {
  if (builtCli) return builtCli;
  const prebuilt = process.env.CLAUDE_ENV_CLI;
  if (prebuilt) {
    builtCli = prebuilt;
    return builtCli;
  }
  const snapshot = join(tempFolder('claude-env-cli-bundle-'), 'cli.js');
  for (let attempt = 1; ; attempt++) {
    execFileSync(process.execPath, [join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, stdio: 'pipe' });
    copyFileSync(join(REPO, 'dist', 'cli.js'), snapshot);
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

/** A home for one test: no user layer, no secrets file, nothing from the developer's machine. */
export function isolatedEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('CLAUDE_ENV_') && key !== 'NO_COLOR' && key !== 'FORCE_COLOR') env[key] = value;
  }
  return { ...env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), ...extra };
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

const temporaryFolders: string[] = [];

/** A fresh temporary folder, removed after the run. */
export function tempFolder(prefix = 'claude-env-cli-'): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  temporaryFolders.push(folder);
  return folder;
}

after(() => {
  for (const folder of temporaryFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A copy of examples/ (org + workspace); returns the workspace folder. */
export function copyExample(): string {
  const root = tempFolder();
  cpSync(join(REPO, 'examples'), join(root, 'examples'), { recursive: true });
  return join(root, 'examples', 'workspace');
}

/** A workspace made of the given files (paths relative to it). */
export function workspaceWith(files: Record<string, string>): string {
  const workspace = join(tempFolder(), 'workspace');
  mkdirSync(workspace, { recursive: true });
  for (const [path, text] of Object.entries(files)) writeFile(join(workspace, path), text);
  return workspace;
}

export function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

/** Every file under a folder with its text, for "the secret appears nowhere" checks. */
export function allFiles(folder: string): { path: string; text: string }[] {
  const files: { path: string; text: string }[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) files.push(...allFiles(path));
    else files.push({ path, text: readFileSync(path, 'utf8') });
  }
  return files;
}
