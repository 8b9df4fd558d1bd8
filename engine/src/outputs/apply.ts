import { constants, promises as fsp } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { assertFileTarget, assertInside, FileProblem, readRegularFile, UnsafePathError } from '../safePaths';
import { removeStaleTemporaryFiles, writeFileAtomic } from './atomic';
import { withApplyLock } from './lock';
import type { RenderedOutput } from './render';
import { STATE_FOLDER, readState, sha256, statePath, writeState } from './state';

/**
 * What applying would do to one target:
 * - `create`: the file does not exist;
 * - `update`: the file is what claude-env last wrote, and the new content differs;
 * - `unchanged`: the file already holds the new content;
 * - `drifted`: the file was edited by hand since claude-env wrote it (or exists, was never written by
 *   claude-env, and differs). Applying it needs force, and then backs the file up first.
 */
export type PlanAction = 'create' | 'update' | 'unchanged' | 'drifted';

/** One target of a plan, with the text before and after so that a diff can be shown. */
export interface PlanEntry {
  /** Relative to the workspace, `/` separators. */
  path: string;
  absolutePath: string;
  action: PlanAction;
  /** Current content; undefined when the file does not exist (or cannot be read, see `reason`). */
  before?: string;
  after: string;
  /** For `drifted`: why, in words. */
  reason?: string;
}

/** The outcome of `planApply`: nothing is written until `applyPlan`. */
export interface ApplyPlan {
  workspace: string;
  entries: PlanEntry[];
  /** Problems with the state file (claude-env then treats every existing file as edited by hand). */
  warnings: string[];
}

export interface ApplyOptions {
  /** Replace drifted files (after backing each one up). */
  force?: boolean;
  /** Report what would happen; touch nothing. */
  dryRun?: boolean;
}

/** What happened to one target. */
export interface AppliedTarget {
  path: string;
  action: PlanAction;
  /** `written` also covers a dry run that would write; `refused` is a drifted file without force. */
  outcome: 'written' | 'unchanged' | 'refused' | 'failed';
  /** Where the person's version was copied before a forced overwrite (absolute). */
  backup?: string;
  message?: string;
}

export interface ApplyResult {
  dryRun: boolean;
  targets: AppliedTarget[];
  /**
   * Temporary files an interrupted earlier run left next to the targets and in `.claude-env/` (claude-env's own
   * naming, from a process that no longer runs), removed by this apply. Relative to the workspace.
   */
  removedTemporaryFiles: string[];
  /** False when a target was refused or failed. */
  ok: boolean;
}

/** Compares each rendered output with the file on disk and with what claude-env last wrote there. */
export async function planApply(workspace: string, outputs: readonly RenderedOutput[]): Promise<ApplyPlan> {
  const root = resolve(workspace);
  const { state, warning } = await readState(root);
  const entries: PlanEntry[] = [];
  for (const output of outputs) {
    const absolutePath = targetPath(root, output.path);
    const entry: PlanEntry = { path: output.path, absolutePath, action: 'create', after: output.content };
    let before: string | undefined;
    try {
      before = readTarget(root, absolutePath);
    } catch (error) {
      entries.push({ ...entry, action: 'drifted', reason: unreadableReason(root, absolutePath, error) });
      continue;
    }
    const recorded = state.targets[output.path]?.sha256;
    if (before === undefined) entry.action = 'create';
    else if (before === output.content) entry.action = 'unchanged';
    else if (recorded !== undefined && sha256(before) === recorded) entry.action = 'update';
    else {
      entry.action = 'drifted';
      entry.reason =
        recorded === undefined
          ? 'exists and was not written by claude-env'
          : 'was edited since claude-env last wrote it';
    }
    if (before !== undefined) entry.before = before;
    entries.push(entry);
  }
  return { workspace: root, entries, warnings: warning ? [warning] : [] };
}

/**
 * Carries out a plan. Each target is written atomically; a drifted target is refused unless `force`, and then
 * the person's file is first copied to `.claude-env/backups/`. A target that changed on disk after the plan
 * was made is refused too, since the plan (and any diff shown) no longer describes it. Targets that already
 * hold the right content are not touched, so a second apply writes nothing.
 */
export async function applyPlan(plan: ApplyPlan, options: ApplyOptions = {}): Promise<ApplyResult> {
  return withApplyLock(plan.workspace, () => applyLocked(plan, options));
}

async function applyLocked(plan: ApplyPlan, options: ApplyOptions): Promise<ApplyResult> {
  const dryRun = options.dryRun === true;
  const root = plan.workspace;
  // Checked before anything is written, so that a state file or backups folder in the way stops the apply
  // with a sentence at the path instead of failing halfway (after a hand-edited file was already replaced).
  assertFileTarget(root, statePath(root));
  const backupsNeeded = options.force === true && plan.entries.some((e) => e.action === 'drifted' && e.before);
  if (backupsNeeded) assertInside(root, join(backupFolder(root), 'backup'));
  const removedTemporaryFiles = dryRun
    ? []
    : removeStaleTemporaryFiles([
        join(root, STATE_FOLDER),
        backupFolder(root),
        ...plan.entries.map((entry) => dirname(entry.absolutePath)),
      ]).map((path) => relative(root, path).split(sep).join('/'));
  const { state } = await readState(root);
  let stateChanged = false;
  const targets: AppliedTarget[] = [];
  for (const entry of plan.entries) {
    const result: AppliedTarget = { path: entry.path, action: entry.action, outcome: 'written' };
    targets.push(result);
    const recordWritten = (): void => {
      const hash = sha256(entry.after);
      if (state.targets[entry.path]?.sha256 !== hash) {
        state.targets[entry.path] = { sha256: hash, writtenAt: new Date().toISOString() };
        stateChanged = true;
      }
    };
    if (entry.action === 'unchanged') {
      result.outcome = 'unchanged';
      // Same bytes, possibly never recorded (first apply over matching files): remember them as ours.
      recordWritten();
      continue;
    }
    if (entry.action === 'drifted' && !options.force) {
      result.outcome = 'refused';
      result.message =
        `${entry.path} ${entry.reason ?? 'was edited by hand'}; it was left as it is. Review the diff, ` +
        `then apply with force to replace it (the current file is backed up first).`;
      continue;
    }
    try {
      const current = readTarget(root, entry.absolutePath);
      if (current !== entry.before) {
        result.outcome = 'refused';
        result.message = `${entry.path} changed on disk after the plan was made; it was left as it is. Plan again.`;
        continue;
      }
      if (dryRun) continue;
      if (entry.action === 'drifted' && entry.before !== undefined) {
        result.backup = await backUp(root, entry);
        result.message = `${entry.path} was edited by hand; the previous version is saved in ${result.backup}.`;
      }
      await writeFileAtomic(entry.absolutePath, entry.after, { within: root });
      recordWritten();
    } catch (error) {
      result.outcome = 'failed';
      const message =
        error instanceof FileProblem ? unreadableReason(root, entry.absolutePath, error) : (error as Error).message;
      result.message = message.startsWith('Could not write') ? message : `Could not write ${entry.path}: ${message}`;
    }
  }
  if (stateChanged && !dryRun) await writeState(root, state);
  return {
    dryRun,
    targets,
    removedTemporaryFiles,
    ok: targets.every((target) => target.outcome === 'written' || target.outcome === 'unchanged'),
  };
}

/** A unified diff of every target the plan would change (drifted ones show the person's text as `a/`). */
export function diffOutputs(plan: ApplyPlan): string {
  return plan.entries
    .filter((entry) => entry.action !== 'unchanged')
    .map((entry) =>
      createTwoFilesPatch(
        entry.before === undefined ? '/dev/null' : `a/${entry.path}`,
        `b/${entry.path}`,
        entry.before ?? '',
        entry.after,
        undefined,
        undefined,
        { context: 3 },
      ),
    )
    .join('');
}

/** Folder for copies of hand-edited files that a forced apply replaced. */
export const BACKUP_FOLDER = `${STATE_FOLDER}/backups`;

/** Copies the person's file byte for byte to `.claude-env/backups/<path with / as _>.<UTC time>`. */
async function backUp(workspace: string, entry: PlanEntry): Promise<string> {
  const folder = backupFolder(workspace);
  assertInside(workspace, join(folder, 'backup'));
  await fsp.mkdir(folder, { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const base = `${entry.path.replace(/[\\/]/g, '_')}.${stamp}`;
  for (let attempt = 1; ; attempt++) {
    const backup = join(folder, attempt === 1 ? base : `${base}-${attempt}`);
    try {
      // EXCL: two forced applies within one second must not overwrite the first backup.
      await fsp.copyFile(entry.absolutePath, backup, constants.COPYFILE_EXCL);
      return backup;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** The absolute path of a target; refuses paths that would leave the workspace. */
function targetPath(workspace: string, relative: string): string {
  const absolute = resolve(workspace, ...relative.split('/'));
  if (absolute !== workspace && !absolute.startsWith(workspace + sep)) {
    throw new Error(`Output path ${relative} is outside the workspace ${workspace}.`);
  }
  return absolute;
}

function backupFolder(workspace: string): string {
  return join(workspace, ...BACKUP_FOLDER.split('/'));
}

/** The target's text; undefined when it does not exist. Refuses links leading out, devices, FIFOs, huge files. */
function readTarget(workspace: string, path: string): string | undefined {
  return readRegularFile(path, { within: workspace });
}

/** Why a target cannot be read, as the rest of `<path> …` (e.g. `is a folder, …`). */
function unreadableReason(workspace: string, path: string, error: unknown): string {
  if (error instanceof UnsafePathError && error.kind === 'notFolder') {
    return `cannot be read: ENOTDIR: ${relative(workspace, error.path).split(sep).join('/')} ${error.reason}`;
  }
  if (error instanceof FileProblem) {
    if (error.path === path) return error.reason;
    return `is inside ${relative(workspace, error.path).split(sep).join('/')}, which ${error.reason}`;
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EISDIR') return 'is a folder, but claude-env writes a file there';
  if (code === 'EACCES') return 'cannot be read: permission denied';
  return `cannot be read: ${(error as Error).message}`;
}
