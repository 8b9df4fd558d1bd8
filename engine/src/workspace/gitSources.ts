import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { DiagnosticCode } from '../diagnosticCodes';
import { discoverStack } from '../discovery';
import { checkoutDir, gitCacheDir, layerContentHash } from '../gitSources/cache';
import { discardCheckout, ensureCheckout } from '../gitSources/checkout';
import { lockMatches, readLockFile, writeLockFile, type LockedSource, type LockFile } from '../gitSources/lockFile';
import { cacheProblem, SourceProblem } from '../gitSources/problems';
import { fetchMirror, hasCommit, isAncestor, resolveRef, withMirrorLock } from '../gitSources/repository';
import type { GitRunner } from '../gitSources/runner';
import { displayUrl, isGitSource, readGitSpec, type GitSourceSpec } from '../gitSources/spec';
import type { Diagnostic, ParsedLayer } from '../types';

/** What the git source operations work on. */
export interface GitSourceOperationOptions {
  /** Absolute path of the repository folder (the one holding `.claude-env/`). */
  workspace: string;
  /** Variables the stack reads; `XDG_CACHE_HOME`/`HOME` locate the cache. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Runs git (the CLI passes `systemGit()`): the only way these operations reach a repository. */
  git: GitRunner;
  /** The cache folder (default `$XDG_CACHE_HOME/claude-env/git`). */
  cacheDir?: string;
}

/** The project's git source as written, with the project layer it is in. */
export interface ProjectGitSource {
  project: ParsedLayer;
  spec: GitSourceSpec;
}

/**
 * Reads the project layer's git source. `undefined` when the project has none (a folder source, or no source);
 * problems with how it is written are returned as the diagnostics discovery would report.
 */
export function projectGitSource(
  workspace: string,
  env: NodeJS.ProcessEnv,
): { source?: ProjectGitSource; diagnostics: Diagnostic[] } {
  const stack = discoverStack(workspace, { env, lock: { file: '', exists: false, sources: [], problems: [] } });
  const project = stack.layers.find((layer) => layer.kind === 'project');
  const entry = project?.root?.entries.find((e) => e.key === 'source');
  if (!project || !entry || !isGitSource(entry)) return { diagnostics: [] };
  const { spec, problems } = readGitSpec(entry, dirname(project.file));
  const diagnostics = problems.map((problem): Diagnostic => ({
    file: project.file,
    range: problem.range,
    severity: 'error',
    code: DiagnosticCode.stackGitSourceInvalid,
    message: problem.message,
  }));
  return { source: spec ? { project, spec } : undefined, diagnostics };
}

/** What `fetch` did with one source. */
export type FetchAction = 'cached' | 'fetched' | 'repaired' | 'locked' | 'failed';

/** One source in a fetch report. */
export interface FetchedSource {
  name: string;
  /** The URL as written, any password masked. */
  url: string;
  ref: string;
  action: FetchAction;
  commit?: string;
  /** The checkout folder the commands read. */
  dir?: string;
}

/** What `fetch` did. */
export interface FetchReport {
  workspace: string;
  sources: FetchedSource[];
  /** Whether `.claude-env/lock.yaml` was written. */
  lockWritten: boolean;
  /** Problems, each at the project layer's `source` (or the lock file's line). */
  diagnostics: Diagnostic[];
}

/**
 * `claude-env fetch`: fills the cache from the lock. A source the lock pins is fetched at its locked commit (nothing
 * moves), after checking that the commit is still reachable from its ref and that its files hash to the lock's
 * content; a cached checkout that was changed is replaced. A source the lock does not pin (or pins for another URL,
 * ref or sub-folder) is resolved and pinned, unless `frozen`: then it is an error and the lock is never written.
 */
export async function fetchSources(options: GitSourceOperationOptions & { frozen?: boolean }): Promise<FetchReport> {
  const env = options.env ?? process.env;
  const report: FetchReport = { workspace: options.workspace, sources: [], lockWritten: false, diagnostics: [] };
  const { source, diagnostics } = projectGitSource(options.workspace, env);
  report.diagnostics.push(...diagnostics);
  if (!source) return report;
  const lock = readLockFile(options.workspace);
  if (lock.problems.length > 0) {
    report.diagnostics.push(...lock.problems);
    return report;
  }
  const { spec } = source;
  const cacheDir = options.cacheDir ?? gitCacheDir(env);
  const entry: FetchedSource = { name: spec.name, url: displayUrl(spec.url), ref: spec.ref, action: 'failed' };
  report.sources.push(entry);
  const locked = lock.sources.find((candidate) => candidate.name === spec.name);
  try {
    if (locked && lockMatches(locked, spec)) {
      const result = await fetchLocked(options.git, cacheDir, spec, locked);
      Object.assign(entry, result, { commit: locked.commit });
    } else {
      if (options.frozen) {
        throw new SourceProblem(
          DiagnosticCode.sourceLockStale,
          locked
            ? `--frozen: .claude-env/lock.yaml pins ${displayUrl(locked.git)} (ref ${locked.ref}), not this source as written; ` +
                "run 'claude-env fetch' without --frozen and commit the lock."
            : "--frozen: .claude-env/lock.yaml does not pin this source; run 'claude-env fetch' without --frozen and commit the lock.",
        );
      }
      const pinned = await pinSource(options.git, cacheDir, spec);
      await writeLockFile(options.workspace, replaceLocked(lock, pinned));
      report.lockWritten = true;
      Object.assign(entry, {
        action: 'locked',
        commit: pinned.commit,
        dir: checkoutDir(cacheDir, pinned.commit, pinned.path),
      });
    }
  } catch (error) {
    const problem = error instanceof SourceProblem ? error : cacheProblem(error, cacheDir);
    if (!problem) throw error;
    report.diagnostics.push(sourceDiagnostic(source, problem));
  }
  return report;
}

/** The lock's entries with `pinned` in place of the entry of the same name. */
export function replaceLocked(lock: LockFile, pinned: Omit<LockedSource, 'range'>): Omit<LockedSource, 'range'>[] {
  return [...lock.sources.filter((candidate) => candidate.name !== pinned.name), pinned];
}

/** A source problem as a diagnostic at the project layer's `source`. */
export function sourceDiagnostic(source: ProjectGitSource, problem: SourceProblem): Diagnostic {
  return {
    file: source.project.file,
    range: source.spec.range,
    severity: 'error',
    code: problem.code,
    message: problem.message,
  };
}

async function fetchLocked(
  git: GitRunner,
  cacheDir: string,
  spec: GitSourceSpec,
  locked: LockedSource,
): Promise<Pick<FetchedSource, 'action' | 'dir'>> {
  const dir = checkoutDir(cacheDir, locked.commit, locked.path);
  if (existsSync(dir) && safeHash(dir) === locked.content) return { action: 'cached', dir };
  return withMirrorLock(cacheDir, spec.remote, async (mirror) => {
    const tampered = existsSync(dir);
    if (tampered) discardCheckout(dir);
    if (!(await hasCommit(git, mirror, locked.commit))) await fetchMirror(git, mirror, spec.url, spec.remote);
    const tip = await resolveRef(git, mirror, spec.url, spec.ref);
    if (!(await isAncestor(git, mirror, locked.commit, tip.commit))) {
      throw new SourceProblem(
        DiagnosticCode.sourceCommitUnreachable,
        `The locked commit ${locked.commit.slice(0, 12)} is not reachable from ${tip.kind} ${spec.ref} of ` +
          `${displayUrl(spec.url)} any more (its history was rewritten, or the lock names a commit the repository does not ` +
          `publish); ${spec.ref} is now ${tip.commit.slice(0, 12)}. Review the change, then run 'claude-env update'.`,
      );
    }
    const checkout = await ensureCheckout(git, mirror, cacheDir, locked.commit, locked.path);
    if (checkout.content !== locked.content) {
      discardCheckout(checkout.dir);
      throw new SourceProblem(
        DiagnosticCode.sourceContentMismatch,
        `The files of commit ${locked.commit.slice(0, 12)} do not match the content hash in .claude-env/lock.yaml ` +
          `(${locked.content.slice(0, 19)}…): the lock was edited by hand. Restore it from version control, or run 'claude-env update'.`,
      );
    }
    return { action: tampered ? 'repaired' : 'fetched', dir: checkout.dir };
  });
}

/** Fetches the repository, resolves the ref and checks the commit out: the lock entry for it. */
export async function pinSource(
  git: GitRunner,
  cacheDir: string,
  spec: GitSourceSpec,
): Promise<Omit<LockedSource, 'range'>> {
  return withMirrorLock(cacheDir, spec.remote, async (mirror) => {
    await fetchMirror(git, mirror, spec.url, spec.remote);
    const { commit } = await resolveRef(git, mirror, spec.url, spec.ref);
    const { content } = await ensureCheckout(git, mirror, cacheDir, commit, spec.path);
    return { name: spec.name, git: spec.url, ref: spec.ref, path: spec.path, commit, content };
  });
}

function safeHash(dir: string): string | undefined {
  try {
    return layerContentHash(dir);
  } catch {
    return undefined;
  }
}
