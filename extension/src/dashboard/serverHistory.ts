/**
 * The MCP servers' history for the dashboard: the gateway daemon's health store (docs/server-health.md) read for
 * the last day and week, after asking a running daemon to flush. What reaches the webview holds names and figures
 * only: each workspace by its folder's name, and store problems without the store's path.
 */
import { realpathSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import * as vscode from 'vscode';
import { HEALTH_SWITCH_VAR, healthStoreDir, readServerHealth, type ServerHealthReport } from '@claude-env/mcp';
import type { ServerHistoryWindow, ServersData } from '../../webview/messages';

export class ServerHistory implements vscode.Disposable {
  private running: Promise<ServersData> | undefined;
  private readonly updated = new vscode.EventEmitter<ServersData>();
  readonly onDidUpdate = this.updated.event;
  latest: ServersData | undefined;

  constructor(
    /** The project folder the dashboard shows (the usage tracker's). */
    private readonly folder: () => string | undefined,
    private readonly supervisor: () => 'gateway' | 'inProcess',
    private readonly output: vscode.LogOutputChannel,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Reads both windows again (a running daemon flushes first) and publishes them; one read at a time. */
  refresh(): Promise<ServersData> {
    this.running ??= this.read().finally(() => (this.running = undefined));
    return this.running;
  }

  private async read(): Promise<ServersData> {
    const dir = healthStoreDir(this.env);
    const now = new Date();
    // The first read asks the daemon to flush; the second reads the same files as they are then.
    const day = await readServerHealth({ window: 'day', env: this.env, now });
    const week = await readServerHealth({ window: 'week', env: this.env, now, dir });
    const folder = this.folder();
    const inProject = folder === undefined ? () => false : folderMatcher(folder);
    const problems = [...new Set([...(day.store.problems ?? []), ...(week.store.problems ?? [])])];
    for (const problem of problems) this.output.warn(`server history: ${problem}`);
    const data: ServersData = {
      type: 'servers',
      day: forPage(day, inProject),
      week: forPage(week, inProject),
      projectName: folder === undefined ? undefined : basename(folder),
      damagedRecords: Math.max(day.store.damagedRecords, week.store.damagedRecords),
      problems: problems.map((problem) => withoutStorePath(problem, dir)),
      supervisor: this.supervisor(),
      recordingOff: /^(off|0|false|no)$/i.test(this.env[HEALTH_SWITCH_VAR] ?? ''),
    };
    this.latest = data;
    this.updated.fire(data);
    return data;
  }

  dispose(): void {
    this.updated.dispose();
  }
}

function forPage(report: ServerHealthReport, inProject: (workspace: string) => boolean): ServerHistoryWindow {
  return {
    window: report.window,
    from: report.from,
    to: report.to,
    bucketMinutes: report.bucketMinutes,
    servers: report.servers.map(({ workspace, ...server }) => ({
      ...server,
      workspaceName: basename(workspace) || workspace,
      thisProject: inProject(workspace),
    })),
  };
}

/** A problem names a file of the store: the page gets the file's name (a day's segment), not where it lies. */
function withoutStorePath(problem: string, dir: string): string {
  return problem.split(`${dir}/`).join('').split(dir).join('the history folder');
}

/**
 * Whether a recorded workspace is `folder`, as `claude-env mcp health --workspace` decides it: the same resolved
 * path, or the same real path (a client reports the real path; the editor may have the folder open through a link).
 */
function folderMatcher(folder: string): (recorded: string) => boolean {
  const written = resolve(folder);
  const real = realPathOf(written);
  const verdicts = new Map<string, boolean>();
  return (recorded) => {
    let verdict = verdicts.get(recorded);
    if (verdict === undefined) {
      verdict = recorded === written || (real !== undefined && realPathOf(recorded) === real);
      verdicts.set(recorded, verdict);
    }
    return verdict;
  };
}

function realPathOf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
