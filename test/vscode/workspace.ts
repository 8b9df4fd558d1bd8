/**
 * A throw-away copy of examples/ for one VS Code run: the suite edits and applies in it, and the developer's own
 * user layer is kept out by pointing XDG_CONFIG_HOME at an empty folder. The gateway daemon of the run is its
 * own too: XDG_RUNTIME_DIR and XDG_STATE_HOME point into the temp folder, so a real user's daemon is never used.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayPaths, isAlive, queryDaemon } from '@claude-env/mcp';
import { waitUntilGone } from '../helpers/mcp';
import { assistantLine } from '../helpers/transcripts';
import { SUITE_MODE_ENV, SUITE_REPORT_ENV, type SuiteMode } from './suiteReport';

export interface SuiteWorkspace {
  /** Root of the temp folder (delete it with `dispose`). */
  temp: string;
  /** The folder VS Code opens: the copy of examples/workspace. */
  folder: string;
  /** Where the suite writes its report. */
  reportFile: string;
  /** Environment for the extension host: report location, trust mode, isolated user layer and gateway. */
  env: Record<string, string>;
  dispose(): void;
  /** Stops the run's gateway daemon, if one was started, and waits until it is gone. */
  stopDaemon(): Promise<void>;
}

/** The session the dashboard test expects: three answers today in the workspace, $30 recorded by Claude Code. */
export const TRANSCRIPT_COST_USD = 30;

/** Claude Code's transcripts for the workspace folder (and one other project), dated today. */
function writeTranscripts(configDir: string, folder: string): string {
  const project = join(configDir, 'projects', folder.replace(/[^A-Za-z0-9]/g, '-'));
  mkdirSync(project, { recursive: true });
  const now = new Date().toISOString();
  const lines = [10, 15, 5].map((costUSD, i) =>
    assistantLine({
      id: `m${i}`,
      requestId: 'r',
      timestamp: now,
      costUSD,
      output: 1000,
      cwd: folder,
      sessionId: 'today',
    }),
  );
  writeFileSync(join(project, 'today.jsonl'), lines.join(''));
  const other = join(configDir, 'projects', '-home-dev-other');
  mkdirSync(other, { recursive: true });
  writeFileSync(join(other, 's.jsonl'), assistantLine({ id: 'o', requestId: 'r', timestamp: now, costUSD: 7 }));
  return configDir;
}

export function prepareWorkspace(repoRoot: string, mode: SuiteMode): SuiteWorkspace {
  const temp = mkdtempSync(join(tmpdir(), 'claude-env-vscode-'));
  // The whole examples/ folder: the workspace's project layer reaches the org layers through ../../org.
  cpSync(join(repoRoot, 'examples'), join(temp, 'examples'), { recursive: true });
  const configHome = join(temp, 'config');
  mkdirSync(configHome);
  const runtimeDir = join(temp, 'run');
  mkdirSync(runtimeDir, { mode: 0o700 });
  const reportFile = join(temp, 'report.json');
  const folder = join(temp, 'examples', 'workspace');
  const claudeConfig = writeTranscripts(join(temp, 'claude'), folder);
  return {
    temp,
    folder,
    reportFile,
    env: {
      XDG_CONFIG_HOME: configHome,
      XDG_RUNTIME_DIR: runtimeDir,
      XDG_STATE_HOME: join(temp, 'state'),
      // The git source test's cache of org checkouts.
      XDG_CACHE_HOME: join(temp, 'cache'),
      // A daemon left behind by a crashed run stops itself soon.
      CLAUDE_ENV_GATEWAY_IDLE_TIMEOUT: '2m',
      CLAUDE_CONFIG_DIR: claudeConfig,
      [SUITE_REPORT_ENV]: reportFile,
      [SUITE_MODE_ENV]: mode,
    },
    dispose: () => rmSync(temp, { recursive: true, force: true }),
    stopDaemon: async () => {
      const paths = gatewayPaths({ XDG_RUNTIME_DIR: runtimeDir });
      const pid = readPid(paths.pid);
      if (pid === undefined || !isAlive(pid)) return;
      const answered = await queryDaemon('stop', paths).catch(() => undefined);
      // A daemon that outlived the run would hold servers of a deleted folder: it is made to go, and said so.
      for (const signal of [undefined, 'SIGTERM', 'SIGKILL'] as const) {
        if (signal) {
          console.log(
            `  gateway daemon ${pid} still runs ${answered ? 'after answering' : 'without answering'} a stop request; ${signal}`,
          );
          process.kill(pid, signal);
        }
        if ((await waitUntilGone([pid], 15_000)).length === 0) return;
      }
    },
  };
}

function readPid(file: string): number | undefined {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}
