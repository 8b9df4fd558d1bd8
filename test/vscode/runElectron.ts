/**
 * Runs the same in-editor suite in desktop VS Code through @vscode/test-electron, for machines that can download
 * VS Code (it is cached under .vscode-test/) or that have it installed. Machines without internet cannot, so
 * availability is decided explicitly and the reason is reported instead of a silent skip.
 *
 *   CLAUDE_ENV_VSCODE_DESKTOP=1 xvfb-run -a npm test            download (once) and run the stable release
 *   CLAUDE_ENV_VSCODE_VERSION=1.91.0 ...                        a specific release, e.g. the minimum engine
 *   CLAUDE_ENV_VSCODE_EXECUTABLE=/usr/share/code/code ...       an installed VS Code
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runTests, TestRunFailedError } from '@vscode/test-electron';
import { buildExtensionAndSuite } from './buildSuite';
import type { SuiteMode, SuiteReport } from './suiteReport';
import { prepareWorkspace } from './workspace';

export type DesktopAvailability =
  { available: true; version: string; executablePath?: string } | { available: false; reason: string };

/** Decides whether desktop VS Code can run here, without touching the network. */
export function desktopAvailability(
  repoRoot: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): DesktopAvailability {
  if (env.CLAUDE_ENV_VSCODE_DESKTOP === '0')
    return { available: false, reason: 'disabled by CLAUDE_ENV_VSCODE_DESKTOP=0' };
  const found = findDesktopVsCode(repoRoot, env);
  if (!found.available) return found;
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return {
      available: false,
      reason: 'desktop VS Code needs a display; run under `xvfb-run -a` (DISPLAY is not set)',
    };
  }
  return found;
}

function findDesktopVsCode(repoRoot: string, env: NodeJS.ProcessEnv): DesktopAvailability {
  const executablePath = env.CLAUDE_ENV_VSCODE_EXECUTABLE;
  if (executablePath) {
    return existsSync(executablePath)
      ? { available: true, version: 'installed', executablePath }
      : { available: false, reason: `CLAUDE_ENV_VSCODE_EXECUTABLE=${executablePath} does not exist` };
  }
  const wanted = env.CLAUDE_ENV_VSCODE_VERSION ?? 'stable';
  if (env.CLAUDE_ENV_VSCODE_DESKTOP === '1') return { available: true, version: wanted };
  const cacheDir = join(repoRoot, '.vscode-test');
  const cached = existsSync(cacheDir)
    ? readdirSync(cacheDir).filter((name) => /^vscode-(linux|darwin|win32)/.test(name))
    : [];
  if (cached.length > 0) {
    // test-electron names its cache folder vscode-<platform>-<version>.
    const version = wanted === 'stable' ? (cached[cached.length - 1]?.split('-').pop() ?? 'stable') : wanted;
    return { available: true, version };
  }
  return {
    available: false,
    reason:
      'no desktop VS Code is cached under .vscode-test/ and downloading it is not enabled (a machine ' +
      'without internet cannot download it); where VS Code can be downloaded set ' +
      'CLAUDE_ENV_VSCODE_DESKTOP=1, or point CLAUDE_ENV_VSCODE_EXECUTABLE at an installed VS Code',
  };
}

export interface DesktopRunOptions {
  mode: SuiteMode;
  availability: Extract<DesktopAvailability, { available: true }>;
  resultsDir: string;
  repoRoot?: string;
}

/** Runs the suite in desktop VS Code and returns its exit code and report. */
export async function runElectronSuite(
  options: DesktopRunOptions,
): Promise<{ exitCode: number; report: SuiteReport | undefined }> {
  const repoRoot = options.repoRoot ?? join(__dirname, '..', '..');
  mkdirSync(options.resultsDir, { recursive: true });
  const testsPath = await buildExtensionAndSuite(repoRoot);
  const prepared = prepareWorkspace(repoRoot, options.mode);
  try {
    let exitCode = 0;
    try {
      exitCode = await runTests({
        ...(options.availability.executablePath
          ? { vscodeExecutablePath: options.availability.executablePath }
          : { version: options.availability.version, cachePath: join(repoRoot, '.vscode-test') }),
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath: testsPath,
        extensionTestsEnv: prepared.env,
        launchArgs: [
          prepared.folder,
          '--disable-extensions',
          `--user-data-dir=${join(prepared.temp, 'user-data')}`,
          ...(options.mode === 'trusted' ? ['--disable-workspace-trust'] : []),
        ],
      });
    } catch (error) {
      if (!(error instanceof TestRunFailedError)) throw error;
      exitCode = error.code ?? 1;
    }
    const report = existsSync(prepared.reportFile)
      ? (JSON.parse(readFileSync(prepared.reportFile, 'utf8')) as SuiteReport)
      : undefined;
    return { exitCode, report };
  } finally {
    await prepared.stopDaemon();
    prepared.dispose();
  }
}
