import { diffOutputs } from '@claude-env/engine';
import { flag, type CommandSpec } from '../command';
import { ExitCode } from '../exitCodes';
import type { Palette } from '../format/colour';
import { diagnosticToJson } from '../format/diagnostics';
import { backupHint, blockingErrors, describeAction, planFor, reportBlocked } from '../plan';
import { loadWorkspace } from '../workspace';

function paintDiff(text: string, colour: Palette): string {
  if (!colour.enabled) return text;
  return text
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('===') || line.startsWith('Index:'))
        return colour.bold(line);
      if (line.startsWith('+')) return colour.green(line);
      if (line.startsWith('-')) return colour.red(line);
      if (line.startsWith('@@')) return colour.cyan(line);
      return line;
    })
    .join('\n');
}

export const diffCommand: CommandSpec = {
  name: 'diff',
  summary: 'show what `apply` would change, as a unified diff per file',
  usage: 'diff [--json]',
  description: [
    'Renders the files `apply` writes (.claude/settings*.json, .mcp.json, .vscode/mcp.json as `outputs` selects) and compares them with the files on disk. Prints a status line per file (create, update, unchanged, drifted) and a unified diff of each file that would change. Secret references stay references.',
    'Exits 1 when anything would change, like diff(1), so `claude-env diff` can gate CI on committed outputs being up to date.',
  ],
  options: {
    json: { type: 'boolean', description: 'print JSON: per target path, status, reason and diff' },
  },
  positionals: { min: 0, max: 0 },
  exitCodes: [
    [ExitCode.ok, 'every file is up to date'],
    [ExitCode.findings, 'at least one file would change (or is drifted), or errors in the stack block apply'],
    [ExitCode.usage, 'bad option'],
    [ExitCode.notLoaded, 'no project layer, or the folder does not exist'],
  ],
  async run(context) {
    const { cwd, io } = context;
    const environment = loadWorkspace(cwd, io);
    const errors = blockingErrors(environment);
    const json = flag(context, 'json');
    if (errors.length > 0) {
      if (json)
        io.out(
          `${JSON.stringify({ blocked: true, targets: [], diagnostics: errors.map((d) => diagnosticToJson(d, cwd)) }, null, 2)}\n`,
        );
      else reportBlocked(errors, cwd, io, 'apply is');
      return ExitCode.findings;
    }
    const plan = await planFor(environment);
    const changed = plan.entries.some((entry) => entry.action !== 'unchanged');
    if (json) {
      const targets = plan.entries.map((entry) => ({
        path: entry.path,
        status: entry.action,
        reason: entry.reason,
        backup: entry.action === 'drifted' ? backupHint(entry) : undefined,
        diff: entry.action === 'unchanged' ? '' : diffOutputs({ ...plan, entries: [entry] }),
      }));
      io.out(`${JSON.stringify({ blocked: false, changed, targets, warnings: plan.warnings }, null, 2)}\n`);
      return changed ? ExitCode.findings : ExitCode.ok;
    }
    for (const warning of plan.warnings) io.err(`warning: ${warning}\n`);
    for (const entry of plan.entries) {
      // A target that cannot be read (a link leading out, a folder) is not helped by --force: no hint then.
      const hint = entry.before === undefined ? '' : '; apply needs --force';
      const reason = entry.action === 'drifted' ? ` (${entry.reason ?? 'edited by hand'}${hint})` : '';
      io.out(`${describeAction(entry, io.outColour)} ${entry.path}${reason}\n`);
    }
    for (const entry of plan.entries) {
      if (entry.action === 'unchanged') continue;
      io.out(paintDiff(diffOutputs({ ...plan, entries: [entry] }), io.outColour));
    }
    if (!changed) io.out('everything is up to date\n');
    return changed ? ExitCode.findings : ExitCode.ok;
  },
};
