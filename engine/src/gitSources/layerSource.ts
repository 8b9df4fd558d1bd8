import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { DiagnosticCode, type DiagnosticCodeValue } from '../diagnosticCodes';
import { UnsafePathError } from '../safePaths';
import type { Diagnostic, MapEntry, ParsedLayer, Range } from '../types';
import { checkoutDir, gitCacheDir, verifiedContentHash } from './cache';
import { lockMatches, readLockFile, type LockFile, type LockedSource } from './lockFile';
import { displayUrl, readGitSpec, type GitSourceSpec } from './spec';

/** How discovery finds git sources: the cache and, for `update`'s preview, a lock other than the one on disk. */
export interface GitSourceOptions {
  env?: Record<string, string | undefined>;
  /** The git cache folder (default `gitCacheDir(env)`). */
  cacheDir?: string;
  /** The lock to use instead of `.claude-env/lock.yaml` (what `update` would write). */
  lock?: LockFile;
}

/** A git source resolved offline: its locked commit's read-only checkout in the cache. */
export interface ResolvedGitSource {
  spec: GitSourceSpec;
  locked: LockedSource;
  /** The checkout folder (holding base.yaml and teams/). */
  dir: string;
  /** The texts of its layer files as they were hashed, by absolute path. */
  texts: ReadonlyMap<string, string>;
}

/**
 * Resolves a git source with no git and no network: the lock names the commit, the cache holds its files, and the
 * files must hash to the lock's `content`. Each way this fails is one diagnostic at the project layer's `source`
 * that says what to run.
 */
export function resolveGitLayerSource(
  project: ParsedLayer,
  entry: MapEntry,
  diagnostics: Diagnostic[],
  options: GitSourceOptions,
): ResolvedGitSource | undefined {
  const error = (range: Range, code: DiagnosticCodeValue, message: string) =>
    diagnostics.push({ file: project.file, range, severity: 'error', code, message });
  const projectDir = dirname(project.file);
  const { spec, problems } = readGitSpec(entry, projectDir);
  for (const problem of problems) error(problem.range, DiagnosticCode.stackGitSourceInvalid, problem.message);
  if (!spec) return undefined;
  const lock = options.lock ?? readLockFile(dirname(projectDir));
  diagnostics.push(...lock.problems);
  const where = `${displayUrl(spec.url)} (ref ${spec.ref})`;
  const written = (source: { git: string; ref: string; path: string }) =>
    `${displayUrl(source.git)} (ref ${source.ref}${source.path ? `, path ${source.path}` : ''})`;
  const locked = lock.sources.find((candidate) => candidate.name === spec.name);
  if (!locked) {
    if (lock.problems.length === 0) {
      error(
        spec.range,
        DiagnosticCode.stackGitNotLocked,
        `${where} is not pinned in .claude-env/lock.yaml yet: run 'claude-env fetch'.`,
      );
    }
    return undefined;
  }
  if (!lockMatches(locked, spec)) {
    error(
      spec.range,
      DiagnosticCode.stackGitNotLocked,
      `.claude-env/lock.yaml pins ${written(locked)}, not ${written({ ...spec, git: spec.url })}: run 'claude-env fetch' to pin it.`,
    );
    return undefined;
  }
  const dir = checkoutDir(options.cacheDir ?? gitCacheDir(options.env), locked.commit, locked.path);
  const short = locked.commit.slice(0, 12);
  if (!existsSync(dir)) {
    error(
      spec.range,
      DiagnosticCode.stackGitNotFetched,
      `Commit ${short} of ${where} is not in the cache (${dir}): run 'claude-env fetch'.`,
    );
    return undefined;
  }
  let content: string;
  const texts = new Map<string, string>();
  try {
    content = verifiedContentHash(dir, texts);
  } catch (problem) {
    const reason =
      problem instanceof UnsafePathError ? `${problem.path} ${problem.reason}` : (problem as Error).message;
    error(
      spec.range,
      DiagnosticCode.stackGitContentMismatch,
      `The cached files of ${where} cannot be read: ${reason}.`,
    );
    return undefined;
  }
  if (content !== locked.content) {
    error(
      spec.range,
      DiagnosticCode.stackGitContentMismatch,
      `The cached files of commit ${short} of ${where} do not match the lock's content hash (the cache in ${dir} was ` +
        "changed): run 'claude-env fetch' to restore them.",
    );
    return undefined;
  }
  return { spec, locked, dir, texts };
}
