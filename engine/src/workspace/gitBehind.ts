import { DiagnosticCode } from '../diagnosticCodes';
import { gitCacheDir } from '../gitSources/cache';
import { readLockFile } from '../gitSources/lockFile';
import { cacheProblem, SourceProblem } from '../gitSources/problems';
import {
  commitsBetween,
  fetchMirror,
  hasCommit,
  isAncestor,
  remoteTip,
  withMirrorLock,
} from '../gitSources/repository';
import { displayUrl } from '../gitSources/spec';
import type { Diagnostic } from '../types';
import { projectGitSource, sourceDiagnostic, type GitSourceOperationOptions } from './gitSources';

/** One source in a status report. */
export interface SourceStatus {
  name: string;
  url: string;
  ref: string;
  locked?: string;
  /** The ref's commit on the remote now (undefined for a commit ref, which never moves). */
  tip?: string;
  /** Commits on the ref since the locked one. */
  behind: number;
  /** The locked commit is no longer an ancestor of the ref (force-pushed). */
  rewritten: boolean;
}

/** How far the project's git source is behind its ref. */
export interface BehindReport {
  /** Undefined when the project has no git source. */
  source?: SourceStatus;
  diagnostics: Diagnostic[];
  /** Whether the repository could not be reached. */
  unreachable: boolean;
}

/** Options of {@link sourceBehind}. */
export interface BehindOptions extends GitSourceOperationOptions {
  /**
   * The answer of an earlier check: when the ref's tip and the locked commit are still the same, its count is kept
   * and nothing but the `git ls-remote` runs (what a periodic check costs).
   */
  previous?: SourceStatus;
}

/**
 * How many commits the project's git source ref has gained since the lock: one `git ls-remote`; the new objects are
 * fetched into the mirror only when a tip not seen before must be counted. Never moves the lock.
 */
export async function sourceBehind(options: BehindOptions): Promise<BehindReport> {
  const env = options.env ?? process.env;
  const cacheDir = options.cacheDir ?? gitCacheDir(env);
  const { source, diagnostics } = projectGitSource(options.workspace, env);
  const report: BehindReport = { diagnostics, unreachable: false };
  if (!source) return report;
  const { spec } = source;
  const lock = readLockFile(options.workspace);
  const locked = lock.sources.find((candidate) => candidate.name === spec.name);
  const status: SourceStatus = {
    name: spec.name,
    url: displayUrl(spec.url),
    ref: spec.ref,
    locked: locked?.commit,
    behind: 0,
    rewritten: false,
  };
  report.source = status;
  try {
    status.tip = await remoteTip(options.git, spec.url, spec.remote, spec.ref);
    const tip = status.tip;
    if (!locked || !tip || tip === locked.commit) return report;
    const previous = options.previous;
    if (previous && previous.tip === tip && previous.locked === locked.commit && previous.url === status.url) {
      status.behind = previous.behind;
      status.rewritten = previous.rewritten;
      return report;
    }
    await withMirrorLock(cacheDir, spec.remote, async (mirror) => {
      if (!(await hasCommit(options.git, mirror, tip)) || !(await hasCommit(options.git, mirror, locked.commit))) {
        await fetchMirror(options.git, mirror, spec.url, spec.remote);
      }
      status.rewritten = !(await isAncestor(options.git, mirror, locked.commit, tip));
      status.behind = status.rewritten ? 0 : await commitsBetween(options.git, mirror, locked.commit, tip);
    });
  } catch (error) {
    const problem = error instanceof SourceProblem ? error : cacheProblem(error, cacheDir);
    if (!problem) throw error;
    report.unreachable = error instanceof SourceProblem && error.code === DiagnosticCode.sourceFetchFailed;
    report.diagnostics.push(sourceDiagnostic(source, problem));
  }
  return report;
}
