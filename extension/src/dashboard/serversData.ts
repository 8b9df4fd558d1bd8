/**
 * The MCP servers' history as the dashboard page gets it, from the day's and the week's health reports. Names and
 * figures only: each workspace by its folder's name, store problems without the store's path. Imports no
 * `vscode` (the page test builds it from a real store outside the editor).
 */
import { basename } from 'node:path';
import { HEALTH_SWITCH_VAR, workspaceMatcher, type ServerHealthReport } from '@claude-env/mcp';
import type { ServerHistoryWindow, ServersData } from '../../webview/messages';

export interface ServersDataOptions {
  /** The project folder the dashboard shows; undefined without one. */
  folder: string | undefined;
  /** `claudeEnv.mcp.supervisor` of the window. */
  supervisor: 'gateway' | 'inProcess';
  /** The editor's environment (is history turned off in it?). */
  env: NodeJS.ProcessEnv;
}

export function serversData(
  day: ServerHealthReport,
  week: ServerHealthReport,
  options: ServersDataOptions,
): ServersData {
  const inProject = options.folder === undefined ? () => false : workspaceMatcher(options.folder);
  const problems = [...new Set([...(day.store.problems ?? []), ...(week.store.problems ?? [])])];
  return {
    type: 'servers',
    day: forPage(day, inProject),
    week: forPage(week, inProject),
    projectName: options.folder === undefined ? undefined : basename(options.folder),
    damagedRecords: Math.max(day.store.damagedRecords, week.store.damagedRecords),
    problems: problems.map((problem) => withoutStorePath(problem, week.store.dir)),
    supervisor: options.supervisor,
    recordingOff: /^(off|0|false|no)$/i.test(options.env[HEALTH_SWITCH_VAR] ?? ''),
  };
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
