import { resolve } from 'node:path';
import type { ServerHealth, ServerHealthReport } from '@claude-env/mcp';
import { flag, stringOption, type CliIo, type CommandSpec } from '../command';
import { UsageError } from '../errors';
import { ExitCode } from '../exitCodes';
import { colourState, formatDuration, renderTable } from './mcp-format';

// Loaded when the command runs, as the other `mcp` commands load the gateway (see mcp-command.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mcp = (): typeof import('@claude-env/mcp') => require('@claude-env/mcp');

/** `claude-env mcp health`: the gateway daemon's history of each server over the last day or week. */
export const healthCommand: CommandSpec = {
  name: 'health',
  summary: "the MCP servers' uptime, restarts, calls, errors and latency over the last day or week",
  usage: 'mcp health [--week] [--workspace DIR | --all] [--json]',
  description: [
    'Reads the health history the gateway daemon records for every server it runs (in ' +
      '$XDG_STATE_HOME/claude-env/health, default ~/.local/state/claude-env/health; kept 8 days) and ' +
      'prints one row per server of the workspace: uptime (time running over time the daemon held the ' +
      'server), restarts, calls, errors, p50 and p95 call latency, and the last state change. A running ' +
      'daemon is asked to write what it holds first. Starts nothing.',
    'The day is 24 one-hour buckets, the week 28 six-hour buckets (UTC), the last one ending now; ' +
      '`--json` prints them all as one ServerHealthReport.',
  ],
  options: {
    week: { type: 'boolean', description: 'the last 7 days instead of the last 24 hours' },
    workspace: {
      type: 'string',
      valueName: 'DIR',
      description: 'the servers of this workspace folder (default: the current folder, or --cwd)',
    },
    all: { type: 'boolean', description: 'the servers of every workspace' },
    json: { type: 'boolean', description: 'print the report as one JSON object, with its buckets' },
  },
  positionals: { min: 0, max: 0 },
  exitCodes: [
    [ExitCode.ok, 'printed (also when nothing was recorded)'],
    [ExitCode.usage, '--workspace together with --all'],
  ],
  async run(context) {
    const workspaceOption = stringOption(context, 'workspace');
    const all = flag(context, 'all');
    if (workspaceOption !== undefined && all)
      throw new UsageError('--workspace and --all exclude each other', 'mcp health');
    const report = await mcp().readServerHealth({
      window: flag(context, 'week') ? 'week' : 'day',
      env: context.io.env,
      workspace: all ? undefined : resolve(context.cwd, workspaceOption ?? '.'),
    });
    if (flag(context, 'json')) {
      context.io.out(`${JSON.stringify(report, null, 2)}\n`);
      return ExitCode.ok;
    }
    printHealth(report, all, context.io);
    return ExitCode.ok;
  },
};

function printHealth(report: ServerHealthReport, all: boolean, io: CliIo): void {
  const palette = io.outColour;
  const span = report.window === 'day' ? 'last 24 hours' : 'last 7 days';
  io.out(`MCP server health over the ${span} (${report.from} to ${report.to}), from ${report.store.dir}\n`);
  for (const problem of report.store.problems ?? []) io.err(`warning: ${problem}\n`);
  if (report.store.damagedRecords > 0)
    io.err(`warning: ${report.store.damagedRecords} damaged record(s) in the store were skipped\n`);
  if (report.servers.length === 0) {
    io.out('Nothing recorded: the gateway daemon records the servers it runs for `mcp connect` sessions.\n');
    return;
  }
  const rows = report.servers.map((server) => [
    server.server,
    ...(all ? [server.workspace] : []),
    uptimeText(server),
    String(server.restarts),
    String(server.calls),
    server.errors > 0 ? palette.red(String(server.errors)) : '0',
    latencyText(server.p50Ms),
    latencyText(server.p95Ms),
    server.lastState
      ? `${colourState(server.lastState.state, palette)} ${palette.dim(server.lastState.at)}` +
        (server.lastState.reason ? ` ${server.lastState.reason}` : '')
      : '-',
  ]);
  const headers = ['SERVER', ...(all ? ['WORKSPACE'] : []), 'UPTIME', 'RESTARTS', 'CALLS', 'ERRORS', 'P50', 'P95'];
  io.out(renderTable([...headers, 'LAST STATE'], rows, palette));
}

function uptimeText(server: ServerHealth): string {
  if (server.uptime === undefined) return '-';
  const percent = server.uptime * 100;
  // 99.95 % is not 100 %: a server that was down at all never rounds up to full uptime.
  return `${percent < 100 ? Math.min(99.9, Math.round(percent * 10) / 10).toFixed(1) : '100'} %`;
}

function latencyText(ms: number | undefined): string {
  if (ms === undefined) return '-';
  return ms < 10 ? `${ms.toFixed(1)} ms` : formatDuration(ms);
}
