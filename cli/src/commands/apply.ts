import { relative } from 'node:path';
import { applyWorkspace, type AppliedTarget, type ApplyReport } from '@claude-env/engine';
import { gatewayLaunch } from '../gatewayLaunch';
import { flag, stringOption, type CommandSpec } from '../command';
import { applyManaged } from './apply-managed';
import { CliError } from '../errors';
import { ExitCode } from '../exitCodes';
import { diagnosticToJson } from '../format/diagnostics';
import { describeAction, driftLines, reportBlocked } from '../format/plan';
import { loadWorkspace } from '../workspace';

/** One line per target after a real apply: what happened to it, and where a replaced file was saved. */
function outcomeLine(target: AppliedTarget, cwd: string): string {
  switch (target.outcome) {
    case 'unchanged':
      return `unchanged ${target.path}`;
    case 'written': {
      const verb = target.action === 'create' ? 'created' : target.action === 'drifted' ? 'replaced' : 'updated';
      const backup = target.backup ? ` (your version is saved in ${relative(cwd, target.backup)})` : '';
      return `${verb} ${target.path}${backup}`;
    }
    case 'refused':
      return `refused ${target.path}: ${target.message ?? 'edited by hand'}`;
    case 'failed':
      return `failed ${target.path}: ${target.message ?? 'write failed'}`;
  }
}

export const applyCommand: CommandSpec = {
  name: 'apply',
  summary: "write Claude Code's files (.claude/settings*.json, .mcp.json, .vscode/mcp.json)",
  usage: 'apply [--dry-run] [--force] [--json] [--managed DIR [--managed-file]]',
  description: [
    'Writes the files the `outputs` block selects, atomically and byte-for-byte reproducibly; a ' +
      "second apply writes nothing. Secret references are written in each file's own syntax " +
      '(`${NAME}` for Claude Code, `${input:name}` for VS Code), never their values, so unresolved ' +
      'secrets do not block apply.',
    'Errors in the stack (syntax, schema, policy) block apply: they are printed and nothing is written.',
    'A file edited by hand since the last apply (or one claude-env never wrote that differs) is ' +
      'drift: apply then writes nothing, names the files and exits 3. With --force each drifted file ' +
      'is first copied to .claude-env/backups/ and then replaced.',
    "With --managed DIR, writes only the org's enforceable policy as Claude Code managed settings " +
      '(DIR/managed-settings.d/50-claude-env.json, or DIR/managed-settings.json with --managed-file): the deny rules, ' +
      'locked settings with their values, allowedMcpServers/deniedMcpServers and managed-only settings of the base ' +
      "and team layers. Deploy DIR to /etc/claude-code (Linux) or your devices' managed settings folder.",
  ],
  options: {
    'dry-run': { type: 'boolean', short: 'n', description: 'say what would be written; touch nothing' },
    force: { type: 'boolean', short: 'f', description: 'replace drifted files after backing each one up' },
    json: { type: 'boolean', description: 'print JSON: per target path, action, outcome, backup' },
    managed: {
      type: 'string',
      valueName: 'DIR',
      description: "write the org's policy as managed settings into DIR instead",
    },
    'managed-file': { type: 'boolean', description: 'with --managed: managed-settings.json instead of the drop-in' },
  },
  positionals: { min: 0, max: 0 },
  exitCodes: [
    [ExitCode.ok, 'written (or nothing to write)'],
    [ExitCode.findings, 'errors in the stack blocked apply, or a file could not be written'],
    [ExitCode.usage, 'bad option'],
    [ExitCode.driftRefused, 'files were edited by hand; nothing written (rerun with --force)'],
    [ExitCode.notLoaded, 'no project layer, the folder does not exist, or a target cannot be read'],
  ],
  async run(context) {
    const { cwd, io } = context;
    const dryRun = flag(context, 'dry-run');
    const force = flag(context, 'force');
    const json = flag(context, 'json');
    const managed = stringOption(context, 'managed');
    if (managed !== undefined) {
      return applyManaged(context, loadWorkspace(cwd, io), managed, {
        file: flag(context, 'managed-file'),
        dryRun,
        json,
      });
    }
    const report = await applyWorkspace(loadWorkspace(cwd, io), {
      dryRun,
      onDrift: force ? 'replace' : 'keep',
      gateway: gatewayLaunch(),
    });
    const { plan } = report;
    if (report.outcome === 'blocked') {
      if (json)
        io.out(
          `${JSON.stringify(
            {
              ok: false,
              blocked: true,
              targets: [],
              diagnostics: plan.blockingErrors.map((d) => diagnosticToJson(d, cwd)),
            },
            null,
            2,
          )}\n`,
        );
      else reportBlocked(plan.blockingErrors, cwd, io, 'apply');
      return ExitCode.findings;
    }
    for (const warning of plan.warnings) io.err(`warning: ${warning}\n`);
    if (dryRun && !json) {
      // The plan first, drift included, so a dry run shows everything even when it then reports drift.
      const driftNote = force ? ' (would be backed up, then replaced)' : ' (edited by hand; apply needs --force)';
      for (const target of plan.targets)
        io.out(
          `${describeAction(target.action, io.outColour)} ${target.path}${target.action === 'drifted' ? driftNote : ''}\n`,
        );
    }
    if (report.outcome === 'unreadable') {
      throw new CliError(
        `cannot apply: ${plan.unreadable.map((target) => `${target.path} ${target.reason ?? 'cannot be read'}`).join('; ')}`,
        ExitCode.notLoaded,
      );
    }
    if (report.outcome === 'drifted') {
      if (json) {
        const targets = plan.targets.map((target) => ({
          path: target.path,
          action: target.action,
          outcome: target.action === 'drifted' ? 'refused' : 'skipped',
          reason: target.reason,
        }));
        io.out(`${JSON.stringify({ ok: false, drifted: true, dryRun, targets }, null, 2)}\n`);
        return ExitCode.driftRefused;
      }
      const drift = driftLines(plan);
      throw new CliError(
        `${drift.length} file${drift.length === 1 ? ' was' : 's were'} edited by hand; nothing written`,
        ExitCode.driftRefused,
        [...drift, 'review with `claude-env diff`, then rerun `claude-env apply --force` to replace them'],
      );
    }
    const removed = report.removedTemporaryFiles;
    if (removed.length > 0 && !json)
      io.err(
        `removed ${removed.length} temporary file${removed.length === 1 ? '' : 's'} an interrupted ` +
          `apply left behind: ${removed.join(', ')}\n`,
      );
    printApplied(report, cwd, json, io.out);
    if (report.outcome === 'applied') return ExitCode.ok;
    return report.targets.some((target) => target.outcome === 'refused' && target.action === 'drifted')
      ? ExitCode.driftRefused
      : ExitCode.findings;
  },
};

/** The outcome per target after writing: JSON (the shape scripts read), one line each, or the dry run's note. */
function printApplied(report: ApplyReport, cwd: string, json: boolean, out: (text: string) => void): void {
  if (json) {
    const targets = report.targets.map((target) => ({
      ...target,
      backup: target.backup ? relative(cwd, target.backup) : undefined,
    }));
    const removedTemporaryFiles = report.removedTemporaryFiles;
    out(
      `${JSON.stringify({ ok: report.outcome === 'applied', dryRun: report.dryRun, targets, removedTemporaryFiles }, null, 2)}\n`,
    );
  } else if (!report.dryRun) {
    for (const target of report.targets) out(`${outcomeLine(target, cwd)}\n`);
    if (report.gitignoreUpdated)
      out('updated .claude-env/.gitignore (local.yaml, state.json, backups/ stay out of git)\n');
  } else {
    out('dry run: nothing written\n');
  }
}
