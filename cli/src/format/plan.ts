import type { ApplyPlanReport, Diagnostic, PlanAction } from '@claude-env/engine';
import type { CliIo } from '../command';
import type { Palette } from './colour';
import { formatDiagnostic, sortDiagnostics } from './diagnostics';

/** Prints the errors that block `apply` (and `diff`) and says so. */
export function reportBlocked(errors: readonly Diagnostic[], cwd: string, io: CliIo, command: string): void {
  for (const diagnostic of sortDiagnostics(errors)) io.err(formatDiagnostic(diagnostic, cwd, io.errColour));
  io.err(
    `${command} blocked: ${errors.length} error${errors.length === 1 ? '' : 's'} in the stack (see ` +
      `\`claude-env validate\`); nothing written\n`,
  );
}

/** One word per plan action, as `diff` and `apply --dry-run` print them. */
export function describeAction(action: PlanAction, colour: Palette): string {
  switch (action) {
    case 'create':
      return colour.green('create');
    case 'update':
      return colour.yellow('update');
    case 'unchanged':
      return colour.dim('unchanged');
    case 'drifted':
      return colour.red('drifted');
  }
}

/** `.mcp.json was edited since claude-env last wrote it; backup would go to …`, one line per drifted target. */
export function driftLines(plan: ApplyPlanReport): string[] {
  return plan.drifted.map(
    (target) =>
      `${target.path} ${target.reason ?? 'was edited by hand'}; --force replaces it after copying it to ${target.backupHint}`,
  );
}
