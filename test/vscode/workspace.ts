/**
 * A throw-away copy of examples/ for one VS Code run: the suite edits and applies in it, and the developer's own
 * user layer is kept out by pointing XDG_CONFIG_HOME at an empty folder.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SUITE_MODE_ENV, SUITE_REPORT_ENV, type SuiteMode } from './suiteReport';

export interface SuiteWorkspace {
  /** Root of the temp folder (delete it with `dispose`). */
  temp: string;
  /** The folder VS Code opens: the copy of examples/workspace. */
  folder: string;
  /** Where the suite writes its report. */
  reportFile: string;
  /** Environment for the extension host: report location, trust mode, isolated user layer. */
  env: Record<string, string>;
  dispose(): void;
}

export function prepareWorkspace(repoRoot: string, mode: SuiteMode): SuiteWorkspace {
  const temp = mkdtempSync(join(tmpdir(), 'claude-env-vscode-'));
  // The whole examples/ folder: the workspace's project layer reaches the org layers through ../../org.
  cpSync(join(repoRoot, 'examples'), join(temp, 'examples'), { recursive: true });
  const configHome = join(temp, 'config');
  mkdirSync(configHome);
  const reportFile = join(temp, 'report.json');
  return {
    temp,
    folder: join(temp, 'examples', 'workspace'),
    reportFile,
    env: { XDG_CONFIG_HOME: configHome, [SUITE_REPORT_ENV]: reportFile, [SUITE_MODE_ENV]: mode },
    dispose: () => rmSync(temp, { recursive: true, force: true }),
  };
}
