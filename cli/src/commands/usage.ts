import { existsSync, statSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import {
  budgetStatus,
  loadRateLimits,
  loadTranscriptIndex,
  loadWorkspace,
  priceTableFor,
  projectSlug,
  rateLimitsPath,
  readStatePath,
  saveTranscriptIndex,
  totalOf,
  transcriptRoots,
  usageRows,
  type EffectiveEnvironment,
  type Grouping,
  type TranscriptIndex,
} from '@claude-env/engine';
import { flag, stringOption, type CommandContext, type CommandSpec } from '../command';
import { CliError } from '../errors';
import { ExitCode } from '../exitCodes';
import { budgetLine, costSourceLines, costText, malformedLines, usageTable } from './usage-format';
import { rateLimitsText, runStatusline } from './usage-statusline';

const REPORTS: Record<string, { grouping: Grouping; column: string }> = {
  daily: { grouping: 'day', column: 'Date' },
  monthly: { grouping: 'month', column: 'Month' },
  session: { grouping: 'session', column: 'Session' },
};

function dayOption(context: CommandContext, name: string): string | undefined {
  const value = stringOption(context, name);
  if (value === undefined) return undefined;
  const day = /^\d{8}$/.test(value) ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}` : value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day)))
    throw new CliError(`--${name} takes a day as YYYY-MM-DD, not '${value}'.`, ExitCode.usage);
  return day;
}

/** The project's stack, for its prices and budget; undefined where the folder has no layers. */
function stackOf(folder: string, env: NodeJS.ProcessEnv): EffectiveEnvironment | undefined {
  try {
    return loadWorkspace({ workspace: folder, env, unreadableProject: 'report' });
  } catch {
    return undefined;
  }
}

/** Accepts the project folders under `projects/` that belong to `wanted` (a path, or a project's folder name). */
function projectFilter(index: TranscriptIndex, wanted: string, cwd: string): (folder: string) => boolean {
  const path = resolve(cwd, wanted);
  const slug = projectSlug(path);
  return (folder) => {
    const projectPath = index.projectPaths.get(folder);
    return (
      folder === slug || folder === wanted || projectPath === path || (projectPath && basename(projectPath)) === wanted
    );
  };
}

export const usageCommand: CommandSpec = {
  name: 'usage',
  summary: "Claude Code's tokens and cost by day, month or session, from its local transcripts",
  usage: 'usage [daily|monthly|session|statusline] [--project PATH] [--since DAY] [--until DAY] [--utc] [--json]',
  description: [
    'Reads the transcripts Claude Code keeps under ~/.claude/projects (and ~/.config/claude/projects, or each ' +
      'folder of CLAUDE_CONFIG_DIR), incrementally: a second run reads only what was appended. Tokens are ' +
      "counted by kind, model, project and session; cost is Claude Code's own figure where a line records one, " +
      "else the bundled price table with the layers' pricing: laid over it. A model without a price shows as " +
      "'price unknown', never as $0.",
    'With a budget (budgets.monthly in the layers of the project, the current folder or --project), the month so ' +
      'far is compared with it, with a straight-line forecast to the month end.',
    "`usage statusline` is for Claude Code's statusLine command: it records the plan's real 5-hour and 7-day " +
      'limits from the JSON Claude Code pipes in, which the reports then show, and prints them in one line.',
  ],
  options: {
    project: { type: 'string', valueName: 'PATH', description: "only this project's usage (a folder, or its name)" },
    since: { type: 'string', valueName: 'DAY', description: 'from this day on (YYYY-MM-DD)' },
    until: { type: 'string', valueName: 'DAY', description: 'up to and including this day (YYYY-MM-DD)' },
    utc: { type: 'boolean', description: 'cut days and months in UTC instead of the local time zone' },
    json: { type: 'boolean', description: 'print JSON: rows with tokens, cost and models, totals, budget, sources' },
  },
  positionals: { min: 0, max: 1, name: 'report' },
  exitCodes: [
    [ExitCode.ok, 'the report was printed'],
    [ExitCode.usage, 'unknown report, or a day not written YYYY-MM-DD'],
  ],
  async run(context) {
    const { io, cwd } = context;
    const reportName = context.positionals[0] ?? 'daily';
    const roots = transcriptRoots(io.env);
    const statePath = readStatePath(roots, io.env);
    if (reportName === 'statusline') return runStatusline(io, rateLimitsPath(statePath), process.stdin);
    const report = REPORTS[reportName];
    if (!report)
      throw new CliError(`Unknown report '${reportName}': use daily, monthly, session or statusline.`, ExitCode.usage);
    const since = dayOption(context, 'since');
    const until = dayOption(context, 'until');
    const utc = flag(context, 'utc');
    const wanted = stringOption(context, 'project');

    const index = loadTranscriptIndex(roots, statePath);
    const refresh = await index.refresh();
    try {
      if (refresh.rebuilt || refresh.filesRead > 0 || !existsSync(statePath))
        await saveTranscriptIndex(index, statePath);
    } catch (error) {
      io.err(`warning: the read state could not be saved, the next run reads everything again: ${String(error)}\n`);
    }

    const focusFolder = wanted !== undefined ? resolve(cwd, wanted) : cwd;
    const stack =
      existsSync(focusFolder) && statSync(focusFolder).isDirectory() ? stackOf(focusFolder, io.env) : undefined;
    const prices = priceTableFor(stack);
    const project = wanted !== undefined ? projectFilter(index, wanted, cwd) : undefined;
    const rows = usageRows(index.buckets, { groupBy: report.grouping, prices, utc, since, until, project });
    const total = totalOf(rows);
    const unknownModels = [
      ...new Set(rows.flatMap((row) => Object.keys(row.models).filter((m) => row.models[m].unknownPriceTokens > 0))),
    ].sort();
    const monthly = stack?.value.budgets?.monthly;
    const budget =
      typeof monthly === 'number'
        ? budgetStatus(index.buckets, {
            budgetUSD: monthly,
            prices,
            now: new Date(),
            utc,
            project: project ?? projectFilter(index, focusFolder, cwd),
          })
        : undefined;
    const projectName = (folder: string) => index.projectPaths.get(folder) ?? folder;
    const rateLimits = loadRateLimits(rateLimitsPath(statePath), new Date());

    if (flag(context, 'json')) {
      const json = {
        report: reportName,
        timeZone: utc ? 'UTC' : Intl.DateTimeFormat().resolvedOptions().timeZone,
        rows: rows.map((row) => ({ ...row, projects: row.projects.map(projectName) })),
        totals: total,
        unknownPriceModels: unknownModels,
        prices: { checked: prices.checked, fromLayers: prices.fromLayers },
        budget,
        rateLimits,
        sources: {
          folders: roots,
          files: refresh.files,
          malformedLines: index.malformedCount,
          malformed: index.malformed,
          duplicateLines: index.duplicateLines,
        },
        refresh,
      };
      io.out(`${JSON.stringify(json, null, 2)}\n`);
      return ExitCode.ok;
    }
    const colour = io.outColour;
    const lines: string[] = [];
    if (roots.length === 0)
      lines.push('No Claude Code transcripts found (~/.claude/projects, ~/.config/claude/projects).');
    else if (rows.length === 0) lines.push('No usage in the transcripts for this selection.');
    else {
      lines.push(...usageTable(rows, total, report.column, colour, projectName), '');
      lines.push(...costSourceLines(total, prices, unknownModels));
      if (total.unknownPriceTokens > 0) lines.push(`Total known cost: ${costText(total)}.`);
    }
    const display = (file: string) => (relative(cwd, file).startsWith('..') ? file : relative(cwd, file));
    lines.push(...malformedLines(index.malformedCount, index.malformed, display));
    if (budget) lines.push(budgetLine(budget, wanted ?? basename(cwd)));
    if (rateLimits)
      lines.push(`Plan limits (from Claude Code's statusline): ${rateLimitsText(rateLimits, new Date())}.`);
    io.out(`${lines.join('\n')}\n`);
    return ExitCode.ok;
  },
};
