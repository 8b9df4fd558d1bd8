import { BACKUP_FOLDER, diffOutputs, planApply, renderOutputs, type ApplyPlan, type PlanAction } from '../outputs';
import type { GatewayLaunch } from '../outputs/render';
import type { Diagnostic, EffectiveEnvironment } from '../types';

/** One target of a plan as a report gives it: what applying would do to it, and why. */
export interface PlannedTarget {
  /** Relative to the workspace, `/` separators (`.mcp.json`, `.claude/settings.local.json`). */
  path: string;
  absolutePath: string;
  action: PlanAction;
  /** For `drifted`: why, in words (`was edited since claude-env last wrote it`, `cannot be read: …`). */
  reason?: string;
  /** For `drifted`: where a forced apply would back the file up (`.claude-env/backups/<name>.<UTC time>`). */
  backupHint?: string;
  /** A unified diff from the file on disk to the new content; empty for `unchanged`. */
  diff: string;
}

/**
 * What a plan found:
 * - `blocked`: errors in the stack (`blockingErrors`) make the environment untrustworthy; nothing is planned;
 * - `upToDate`: every target already holds its content;
 * - `changes`: at least one target would be created, updated or is drifted.
 */
export type PlanOutcome = 'blocked' | 'upToDate' | 'changes';

/** What `apply` would do, with nothing written. */
export interface ApplyPlanReport {
  outcome: PlanOutcome;
  workspace: string;
  /** Errors (schema, policy, stack) that block applying; secret findings are never among them. */
  blockingErrors: Diagnostic[];
  /** Every target the `outputs` block selects, in order. Empty when blocked. */
  targets: PlannedTarget[];
  /** Drifted targets that exist and were read: a forced apply backs each up, then replaces it. */
  drifted: PlannedTarget[];
  /** Targets that exist but cannot be read (a folder in the way, no permission): nothing can replace them. */
  unreadable: PlannedTarget[];
  /** Problems with `.claude-env/state.json` (every existing file then counts as edited by hand). */
  warnings: string[];
  /** The outputs module's plan, for `applyPlan`; undefined when blocked. */
  plan?: ApplyPlan;
}

/** Errors that make the effective environment untrustworthy (schema, policy, stack); secrets are not among them. */
export function blockingErrors(environment: EffectiveEnvironment): Diagnostic[] {
  return environment.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
}

/** Where a forced apply would copy a hand-edited target (the outputs module adds the UTC time when it does). */
function backupHint(path: string): string {
  return `${BACKUP_FOLDER}/${path.replace(/[\\/]/g, '_')}.<UTC time>`;
}

/**
 * Compares the files the environment renders with the files on disk and `.claude-env/state.json`. Reads only:
 * nothing is written, whatever the outcome.
 */
/** How a plan renders the outputs. */
export interface PlanWorkspaceOptions {
  /** How `outputs.mcpVia: gateway` entries start the shim (the caller knows where its bundle is). */
  gateway?: GatewayLaunch;
}

export async function planWorkspace(
  environment: EffectiveEnvironment,
  options: PlanWorkspaceOptions = {},
): Promise<ApplyPlanReport> {
  const workspace = environment.stack.workspace;
  const errors = blockingErrors(environment);
  const report: ApplyPlanReport = {
    outcome: 'blocked',
    workspace,
    blockingErrors: errors,
    targets: [],
    drifted: [],
    unreadable: [],
    warnings: [],
  };
  if (errors.length > 0) return report;
  const plan = await planApply(workspace, renderOutputs(environment, { gateway: options.gateway }));
  report.plan = plan;
  report.warnings = plan.warnings;
  for (const entry of plan.entries) {
    const target: PlannedTarget = {
      path: entry.path,
      absolutePath: entry.absolutePath,
      action: entry.action,
      diff: entry.action === 'unchanged' ? '' : diffOutputs({ ...plan, entries: [entry] }),
    };
    if (entry.reason !== undefined) target.reason = entry.reason;
    if (entry.action === 'drifted') {
      target.backupHint = backupHint(entry.path);
      // The outputs module counts an unreadable target as drift, but neither a backup nor force can help it.
      (entry.before === undefined ? report.unreadable : report.drifted).push(target);
    }
    report.targets.push(target);
  }
  report.outcome = report.targets.some((target) => target.action !== 'unchanged') ? 'changes' : 'upToDate';
  return report;
}
