import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { planApply, renderOutputs, BACKUP_FOLDER, type ApplyPlan, type PlanEntry } from '@claude-env/engine';
import { DEFAULT_GATEWAY_LAUNCH, type GatewayLaunch } from '@claude-env/engine';
import type { Diagnostic, EffectiveEnvironment } from '@claude-env/engine';
import type { CliIo } from './command';
import { formatDiagnostic, sortDiagnostics } from './format/diagnostics';
import type { Palette } from './format/colour';

/** Errors that make the effective environment untrustworthy (schema, policy, stack); secrets are not among them. */
export function blockingErrors(environment: EffectiveEnvironment): Diagnostic[] {
  return environment.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
}

/** Prints the errors that block `apply` (and `diff`) and says so. */
export function reportBlocked(errors: Diagnostic[], cwd: string, io: CliIo, command: string): void {
  for (const diagnostic of sortDiagnostics(errors)) io.err(formatDiagnostic(diagnostic, cwd, io.errColour));
  io.err(
    `${command} blocked: ${errors.length} error${errors.length === 1 ? '' : 's'} in the stack (see \`claude-env validate\`); nothing written\n`,
  );
}

/**
 * How `outputs.mcpVia: gateway` entries start the shim: this Node and the shim bundle next to this CLI, both
 * absolute, so that Claude Code needs no `claude-env` on its `PATH` and pays no CLI start-up. Run from sources
 * (no bundle beside us), the entry falls back to `claude-env mcp connect`.
 */
export function gatewayLaunch(): GatewayLaunch {
  const shim = join(__dirname, 'mcp-connect.js');
  return existsSync(shim) ? { command: process.execPath, args: [shim] } : DEFAULT_GATEWAY_LAUNCH;
}

/** What `apply` would do, computed from the current files and `.claude-env/state.json`. */
export async function planFor(environment: EffectiveEnvironment): Promise<ApplyPlan> {
  return planApply(environment.stack.workspace, renderOutputs(environment, { gateway: gatewayLaunch() }));
}

/** Where a forced apply would copy a hand-edited target (the outputs module adds the UTC time when it does). */
export function backupHint(entry: PlanEntry): string {
  return `${BACKUP_FOLDER}/${entry.path.replace(/[\\/]/g, '_')}.<UTC time>`;
}

/** One word per plan action, as `diff` and `apply --dry-run` print them. */
export function describeAction(entry: PlanEntry, colour: Palette): string {
  switch (entry.action) {
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

/**
 * Targets that exist but could not be read (a folder in the way, no permission): the outputs module counts them as
 * drift, but neither a backup nor --force can help, so they are reported as what they are.
 */
export function unreadableTargets(plan: ApplyPlan): PlanEntry[] {
  return plan.entries.filter((entry) => entry.action === 'drifted' && entry.before === undefined);
}

/** `.mcp.json was edited since claude-env last wrote it; backup would go to …`, one line per drifted target. */
export function driftLines(plan: ApplyPlan): string[] {
  return plan.entries
    .filter((entry) => entry.action === 'drifted' && entry.before !== undefined)
    .map(
      (entry) =>
        `${entry.path} ${entry.reason ?? 'was edited by hand'}; --force replaces it after copying it to ${backupHint(entry)}`,
    );
}
