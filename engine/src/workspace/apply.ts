import type { GatewayLaunch } from '../outputs/render';
import { applyPlan, withApplyLock, type AppliedTarget } from '../outputs';
import type { EffectiveEnvironment } from '../types';
import { ensureGitignore } from './files';
import { planWorkspace, type ApplyPlanReport, type PlannedTarget } from './plan';

/** What to do with files edited by hand since the last apply: leave everything as it is, or back up and replace. */
export type DriftDecision = 'keep' | 'replace';

/** How to apply. */
export interface ApplyWorkspaceOptions {
  /** How `outputs.mcpVia: gateway` entries start the shim (the caller knows where its bundle is). */
  gateway?: GatewayLaunch;
  /**
   * Drifted files: `keep` (default) writes nothing and reports them; `replace` backs each up to
   * `.claude-env/backups/` and then replaces it; a function decides once it sees them (an editor asks the
   * person), against the same plan that is then carried out.
   */
  onDrift?: DriftDecision | ((drifted: readonly PlannedTarget[]) => DriftDecision | Promise<DriftDecision>);
  /** Decide and report as if writing, but touch nothing. */
  dryRun?: boolean;
}

/**
 * How an apply ended:
 * - `applied`: every target was written or already up to date (for a dry run: would be);
 * - `blocked`: errors in the stack (`plan.blockingErrors`); nothing written;
 * - `unreadable`: a target exists but cannot be read (`plan.unreadable`); nothing written;
 * - `drifted`: files were edited by hand and kept (`plan.drifted`); nothing written, since writing the other
 *   files would leave the outputs half old, half new;
 * - `incomplete`: a target was refused or failed while writing (`targets` says which); the others were written.
 */
export type ApplyOutcome = 'applied' | 'blocked' | 'unreadable' | 'drifted' | 'incomplete';

/** What an apply planned and did. */
export interface ApplyReport {
  outcome: ApplyOutcome;
  workspace: string;
  dryRun: boolean;
  /** The plan it carried out (or stopped at). */
  plan: ApplyPlanReport;
  /**
   * What happened to each target once writing started (`applied`, `incomplete`); empty otherwise. A replaced
   * drifted file has `backup`, the absolute path of the person's version.
   */
  targets: AppliedTarget[];
  /** `.claude-env/.gitignore` was created or completed so that state and backups stay out of git. */
  gitignoreUpdated: boolean;
  /** Temporary files an interrupted apply (a process no longer running) left behind, removed before writing. */
  removedTemporaryFiles: string[];
}

/**
 * Writes the files the environment's `outputs` block selects, atomically, all or nothing where drift is
 * concerned. Throws `WorkspaceError` only when `.claude-env/.gitignore` cannot be read or written.
 */
export async function applyWorkspace(
  environment: EffectiveEnvironment,
  options: ApplyWorkspaceOptions = {},
): Promise<ApplyReport> {
  // Applies of one workspace are serialised (plan included), so state.json always matches what is on disk.
  if (options.dryRun === true) return applyUnlocked(environment, options);
  return withApplyLock(environment.stack.workspace, () => applyUnlocked(environment, options));
}

async function applyUnlocked(environment: EffectiveEnvironment, options: ApplyWorkspaceOptions): Promise<ApplyReport> {
  const dryRun = options.dryRun === true;
  const plan = await planWorkspace(environment, { gateway: options.gateway });
  const report: ApplyReport = {
    outcome: 'blocked',
    workspace: plan.workspace,
    dryRun,
    plan,
    targets: [],
    gitignoreUpdated: false,
    removedTemporaryFiles: [],
  };
  if (plan.outcome === 'blocked' || !plan.plan) return report;
  if (plan.unreadable.length > 0) return { ...report, outcome: 'unreadable' };
  let force = false;
  if (plan.drifted.length > 0) {
    const onDrift = options.onDrift ?? 'keep';
    force = (typeof onDrift === 'function' ? await onDrift(plan.drifted) : onDrift) === 'replace';
    if (!force) return { ...report, outcome: 'drifted' };
  }
  const result = await applyPlan(plan.plan, { force, dryRun });
  report.targets = result.targets;
  report.removedTemporaryFiles = result.removedTemporaryFiles;
  // Apply creates state.json and, when forced, backups of hand-edited files (which may hold secrets the
  // user typed): make sure git ignores them even in repositories that never ran `init`.
  report.gitignoreUpdated = !dryRun && (await ensureGitignore(plan.workspace));
  report.outcome = result.ok ? 'applied' : 'incomplete';
  return report;
}
