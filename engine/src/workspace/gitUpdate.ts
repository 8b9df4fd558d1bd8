import { checkoutDir, gitCacheDir, layerContentHash } from '../gitSources/cache';
import { ensureCheckout } from '../gitSources/checkout';
import { lockMatches, readLockFile, writeLockFile, type LockedSource, type LockFile } from '../gitSources/lockFile';
import { cacheProblem, SourceProblem } from '../gitSources/problems';
import {
  commitsBetween,
  fetchMirror,
  hasCommit,
  isAncestor,
  resolveRef,
  withMirrorLock,
} from '../gitSources/repository';
import { displayUrl } from '../gitSources/spec';
import { loadEnvironment } from '../merge';
import type { Diagnostic } from '../types';
import { environmentChanges, updateConflicts, type EnvironmentChange, type UpdateConflict } from './environmentChanges';
import { projectGitSource, replaceLocked, sourceDiagnostic, type GitSourceOperationOptions } from './gitSources';
import { sourceBehind, type SourceStatus } from './gitBehind';
import { planWorkspace } from './plan';

/** How one source moves. */
export interface SourceMove {
  name: string;
  url: string;
  ref: string;
  /** The sub-folder of the repository the layers are in. */
  path: string;
  /** The locked commit before (undefined when the source was not pinned). */
  from?: string;
  to: string;
  /** New commits from `from` to `to` (0: nothing new). */
  commits: number;
  /** `from` is not an ancestor of `to`: the ref's history was rewritten. */
  rewritten: boolean;
}

/** What `update` found and did. */
export interface UpdateReport {
  workspace: string;
  sources: SourceMove[];
  /** Changes of the effective environment (settings and servers) that moving the lock makes. */
  changes: EnvironmentChange[];
  /** Org changes that a higher layer overrides, and new policy findings against a project or local line. */
  conflicts: UpdateConflict[];
  lockWritten: boolean;
  diagnostics: Diagnostic[];
  /** Set when `only` names no source of the project: the sentence to show. */
  unknownSource?: string;
}

/** Options of `update`. */
export interface UpdateOptions extends GitSourceOperationOptions {
  /** Show what would change without moving the lock. */
  dryRun?: boolean;
  /** Only this source (its name, `source`, or its URL as written). */
  only?: string;
}

/**
 * `claude-env update`: fetches, moves the lock to the newest commit of each source's ref, and reports what that
 * changes in the effective environment (computed from the two locks, both read from the cache), with the conflicts
 * a person must see before accepting. With `dryRun` the lock stays as it is.
 */
export async function updateSources(options: UpdateOptions): Promise<UpdateReport> {
  const env = options.env ?? process.env;
  const cacheDir = options.cacheDir ?? gitCacheDir(env);
  const report: UpdateReport = {
    workspace: options.workspace,
    sources: [],
    changes: [],
    conflicts: [],
    lockWritten: false,
    diagnostics: [],
  };
  const { source, diagnostics } = projectGitSource(options.workspace, env);
  report.diagnostics.push(...diagnostics);
  if (!source) return report;
  const { spec } = source;
  if (options.only !== undefined && options.only !== spec.name && options.only !== spec.url) {
    report.unknownSource = `No git source '${options.only}': this project has '${spec.name}' (${displayUrl(spec.url)}).`;
    return report;
  }
  const lock = readLockFile(options.workspace);
  if (lock.problems.length > 0) {
    report.diagnostics.push(...lock.problems);
    return report;
  }
  const locked = lock.sources.find((candidate) => candidate.name === spec.name);
  try {
    const { pinned, commits, rewritten } = await withMirrorLock(cacheDir, spec.remote, async (mirror) => {
      await fetchMirror(options.git, mirror, spec.url, spec.remote);
      const { commit } = await resolveRef(options.git, mirror, spec.url, spec.ref);
      // Nothing new (the common case of a periodic update): the verified checkout is the lock's; no more git runs.
      if (
        locked &&
        lockMatches(locked, spec) &&
        locked.commit === commit &&
        cachedContent(cacheDir, locked) === locked.content
      ) {
        return { pinned: { ...locked }, commits: 0, rewritten: false };
      }
      const { content } = await ensureCheckout(options.git, mirror, cacheDir, commit, spec.path);
      const known = locked !== undefined && (await hasCommit(options.git, mirror, locked.commit));
      const ancestor = known && (await isAncestor(options.git, mirror, locked.commit, commit));
      return {
        pinned: { name: spec.name, git: spec.url, ref: spec.ref, path: spec.path, commit, content },
        commits: ancestor ? await commitsBetween(options.git, mirror, locked.commit, commit) : 0,
        rewritten: locked !== undefined && locked.commit !== commit && !ancestor,
      };
    });
    report.sources.push({
      name: spec.name,
      url: displayUrl(spec.url),
      ref: spec.ref,
      path: spec.path,
      from: locked?.commit,
      to: pinned.commit,
      commits,
      rewritten,
    });
    const unchanged =
      locked !== undefined &&
      locked.commit === pinned.commit &&
      locked.content === pinned.content &&
      locked.git === spec.url;
    if (unchanged && locked.ref === spec.ref && locked.path === spec.path) return report;
    const before = loadEnvironment(options.workspace, { env, gitCacheDir: cacheDir, lock });
    const after = loadEnvironment(options.workspace, { env, gitCacheDir: cacheDir, lock: lockWith(lock, pinned) });
    report.changes = environmentChanges(before, after);
    report.conflicts = updateConflicts(before, after);
    if (!options.dryRun) {
      await writeLockFile(options.workspace, replaceLocked(lock, pinned));
      report.lockWritten = true;
    }
  } catch (error) {
    const problem = error instanceof SourceProblem ? error : cacheProblem(error, cacheDir);
    if (!problem) throw error;
    report.diagnostics.push(sourceDiagnostic(source, problem));
  }
  return report;
}

function lockWith(lock: LockFile, pinned: Omit<LockedSource, 'range'>): LockFile {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { ...lock, sources: replaceLocked(lock, pinned).map((entry) => ({ ...entry, range })) };
}

/** What `status` found. */
export interface StatusReport {
  workspace: string;
  sources: SourceStatus[];
  /** Generated files that `apply` would create or change (the layers changed since the last apply). */
  outdated: string[];
  /** Generated files edited by hand since claude-env wrote them. */
  edited: string[];
  /** Stack errors (not fetched, tampered cache, invalid layers) and problems reaching a repository. */
  diagnostics: Diagnostic[];
  /** Whether a repository could not be reached (CI tells "offline" apart from "behind"). */
  unreachable: boolean;
}

/**
 * `claude-env status`: how far each source's ref has moved since the lock (a `git ls-remote`; objects are fetched
 * into the mirror only when a new commit must be counted), and the state of the generated files. Never moves the lock.
 */
export async function sourceStatus(options: GitSourceOperationOptions): Promise<StatusReport> {
  const env = options.env ?? process.env;
  const cacheDir = options.cacheDir ?? gitCacheDir(env);
  const report: StatusReport = {
    workspace: options.workspace,
    sources: [],
    outdated: [],
    edited: [],
    diagnostics: [],
    unreachable: false,
  };
  const behind = await sourceBehind(options);
  if (behind.source) report.sources.push(behind.source);
  report.diagnostics.push(...behind.diagnostics);
  report.unreachable = behind.unreachable;
  const environment = loadEnvironment(options.workspace, { env, gitCacheDir: cacheDir });
  // A problem with how the source is written is found by both; it is told once. When the repository could not be
  // reached, that is what is said at the source: not also that the lock or the cache lacks it, which follows.
  const told = new Set(report.diagnostics.map((d) => placeKey(d, !report.unreachable)));
  report.diagnostics.push(
    ...environment.diagnostics.filter((d) => d.severity === 'error' && !told.has(placeKey(d, !report.unreachable))),
  );
  const plan = await planWorkspace(environment);
  for (const target of plan.targets) {
    if (target.action === 'create' || target.action === 'update') report.outdated.push(target.path);
    if (target.action === 'drifted') report.edited.push(target.path);
  }
  return report;
}

/** Where a diagnostic is, and with `withMessage` what it says. */
function placeKey(diagnostic: Diagnostic, withMessage: boolean): string {
  const { start } = diagnostic.range;
  const place = `${diagnostic.file}:${start.line}:${start.character}`;
  return withMessage ? `${place}:${diagnostic.code}:${diagnostic.message}` : place;
}

/** The content hash of a source's cached checkout, or undefined when it is missing or unreadable. */
function cachedContent(cacheDir: string, locked: LockedSource): string | undefined {
  try {
    return layerContentHash(checkoutDir(cacheDir, locked.commit, locked.path));
  } catch {
    return undefined;
  }
}
