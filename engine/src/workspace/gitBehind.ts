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
  /**
   * The `git ls-remote` answers of one round of checks, by URL and ref: projects drawing the same source share one
   * request (pass the same map to each; a failure is shared too). Without it each call asks the remote.
   */
  remoteTips?: RemoteTips;
}

/** One round's tips of the remotes asked, by {@link remoteTipKey}. */
export type RemoteTips = Map<string, Promise<string | undefined>>;

/** The key of a source's tip in {@link RemoteTips}: the remote as fetched (a local path resolved) and the ref. */
export function remoteTipKey(remote: string, ref: string): string {
  return `${remote}\n${ref}`;
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
    status.tip = await askedTip(options, spec.url, spec.remote, spec.ref);
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

/** The ref's tip on the remote, asked once per round when the caller shares {@link BehindOptions.remoteTips}. */
function askedTip(options: BehindOptions, url: string, remote: string, ref: string): Promise<string | undefined> {
  const tips = options.remoteTips;
  if (!tips) return remoteTip(options.git, url, remote, ref);
  const key = remoteTipKey(remote, ref);
  let tip = tips.get(key);
  if (!tip) {
    tip = remoteTip(options.git, url, remote, ref);
    tips.set(key, tip);
  }
  return tip;
}
