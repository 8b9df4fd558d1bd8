import { planWorkspace } from '@claude-env/engine';
import { gatewayLaunch } from '../gatewayLaunch';
import { flag, type CommandSpec } from '../command';
import { ExitCode } from '../exitCodes';
import type { Palette } from '../format/colour';
import { diagnosticToJson } from '../format/diagnostics';
import { describeAction, reportBlocked } from '../format/plan';
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
    'Renders the files `apply` writes (.claude/settings*.json, .mcp.json, .vscode/mcp.json as ' +
      '`outputs` selects) and compares them with the files on disk. Prints a status line per file ' +
      '(create, update, unchanged, drifted) and a unified diff of each file that would change. Secret ' +
      'references stay references.',
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
    const plan = await planWorkspace(loadWorkspace(cwd, io), { gateway: gatewayLaunch() });
    const json = flag(context, 'json');
    if (plan.outcome === 'blocked') {
      if (json)
        io.out(
          `${JSON.stringify(
            { blocked: true, targets: [], diagnostics: plan.blockingErrors.map((d) => diagnosticToJson(d, cwd)) },
            null,
            2,
          )}\n`,
        );
      else reportBlocked(plan.blockingErrors, cwd, io, 'apply is');
      return ExitCode.findings;
    }
    const changed = plan.outcome === 'changes';
    if (json) {
      const targets = plan.targets.map((target) => ({
        path: target.path,
        status: target.action,
        reason: target.reason,
        backup: target.action === 'drifted' ? target.backupHint : undefined,
        diff: target.diff,
      }));
      io.out(`${JSON.stringify({ blocked: false, changed, targets, warnings: plan.warnings }, null, 2)}\n`);
      return changed ? ExitCode.findings : ExitCode.ok;
    }
    for (const warning of plan.warnings) io.err(`warning: ${warning}\n`);
    for (const target of plan.targets) {
      const reason = target.action === 'drifted' ? ` (${target.reason ?? 'edited by hand'}; apply needs --force)` : '';
      io.out(`${describeAction(target.action, io.outColour)} ${target.path}${reason}\n`);
    }
    for (const target of plan.targets) {
      if (target.action === 'unchanged') continue;
      io.out(paintDiff(target.diff, io.outColour));
    }
    if (!changed) io.out('everything is up to date\n');
    return changed ? ExitCode.findings : ExitCode.ok;
  },
};
