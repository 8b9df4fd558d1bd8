import { relative } from 'node:path';
import { applyPlan, withApplyLock, type AppliedTarget } from '@claude-env/engine';
import { flag, type CommandSpec } from '../command';
import { CliError } from '../errors';
import { ExitCode } from '../exitCodes';
import { ensureGitignore } from '../files';
import { diagnosticToJson } from '../format/diagnostics';
import { blockingErrors, describeAction, driftLines, planFor, reportBlocked, unreadableTargets } from '../plan';
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
  usage: 'apply [--dry-run] [--force] [--json]',
  description: [
    "Writes the files the `outputs` block selects, atomically and byte-for-byte reproducibly; a second apply writes nothing. Secret references are written in each file's own syntax (`${NAME}` for Claude Code, `${input:name}` for VS Code), never their values, so unresolved secrets do not block apply.",
    'Errors in the stack (syntax, schema, policy) block apply: they are printed and nothing is written.',
    'A file edited by hand since the last apply (or one claude-env never wrote that differs) is drift: apply then writes nothing, names the files and exits 3. With --force each drifted file is first copied to .claude-env/backups/ and then replaced.',
  ],
  options: {
    'dry-run': { type: 'boolean', short: 'n', description: 'say what would be written; touch nothing' },
    force: { type: 'boolean', short: 'f', description: 'replace drifted files after backing each one up' },
    json: { type: 'boolean', description: 'print JSON: per target path, action, outcome, backup' },
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
    const environment = loadWorkspace(cwd, io);
    const errors = blockingErrors(environment);
    if (errors.length > 0) {
      if (json)
        io.out(
          `${JSON.stringify({ ok: false, blocked: true, targets: [], diagnostics: errors.map((d) => diagnosticToJson(d, cwd)) }, null, 2)}\n`,
        );
      else reportBlocked(errors, cwd, io, 'apply');
      return ExitCode.findings;
    }
    // Plan and apply under the workspace's lock: a second apply waits, then plans against what the first wrote.
    return withApplyLock(environment.stack.workspace, async () => {
      const plan = await planFor(environment);
      for (const warning of plan.warnings) io.err(`warning: ${warning}\n`);
      if (dryRun && !json) {
        // The plan first, drift included, so a dry run shows everything even when it then reports drift.
        const driftNote = force ? ' (would be backed up, then replaced)' : ' (edited by hand; apply needs --force)';
        for (const entry of plan.entries)
          io.out(
            `${describeAction(entry, io.outColour)} ${entry.path}${entry.action === 'drifted' ? driftNote : ''}\n`,
          );
      }
      const unreadable = unreadableTargets(plan);
      if (unreadable.length > 0) {
        throw new CliError(
          `cannot apply: ${unreadable.map((entry) => `${entry.path} ${entry.reason ?? 'cannot be read'}`).join('; ')}`,
          ExitCode.notLoaded,
        );
      }
      const drift = driftLines(plan);
      // Writing the other files while one is refused would leave the outputs half old, half new: all or nothing.
      if (drift.length > 0 && !force) {
        if (json) {
          const targets = plan.entries.map((entry) => ({
            path: entry.path,
            action: entry.action,
            outcome: entry.action === 'drifted' ? 'refused' : 'skipped',
            reason: entry.reason,
          }));
          io.out(`${JSON.stringify({ ok: false, drifted: true, dryRun, targets }, null, 2)}\n`);
          return ExitCode.driftRefused;
        }
        throw new CliError(
          `${drift.length} file${drift.length === 1 ? ' was' : 's were'} edited by hand; nothing written`,
          ExitCode.driftRefused,
          [...drift, 'review with `claude-env diff`, then rerun `claude-env apply --force` to replace them'],
        );
      }
      const result = await applyPlan(plan, { force, dryRun });
      if (result.removedTemporaryFiles.length > 0) {
        const count = result.removedTemporaryFiles.length;
        io.err(
          `removed ${count} temporary file${count === 1 ? '' : 's'} an interrupted apply left behind: ${result.removedTemporaryFiles.join(', ')}\n`,
        );
      }
      // Apply creates state.json and, when forced, backups of hand-edited files (which may hold secrets the
      // user typed): make sure git ignores them even in repositories that never ran `init`.
      const gitignoreChanged = !dryRun && ensureGitignore(cwd);
      if (json) {
        const targets = result.targets.map((target) => ({
          ...target,
          backup: target.backup ? relative(cwd, target.backup) : undefined,
        }));
        io.out(
          `${JSON.stringify({ ok: result.ok, dryRun, targets, removedTemporaryFiles: result.removedTemporaryFiles }, null, 2)}\n`,
        );
      } else if (!dryRun) {
        for (const target of result.targets) io.out(`${outcomeLine(target, cwd)}\n`);
        if (gitignoreChanged)
          io.out('updated .claude-env/.gitignore (local.yaml, state.json, backups/ stay out of git)\n');
      } else {
        io.out('dry run: nothing written\n');
      }
      if (result.ok) return ExitCode.ok;
      return result.targets.some((target) => target.outcome === 'refused' && target.action === 'drifted')
        ? ExitCode.driftRefused
        : ExitCode.findings;
    });
  },
};
