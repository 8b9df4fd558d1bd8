import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DiagnosticCode } from '../diagnosticCodes';
import { fetchFailed, gitReason, SourceProblem } from './problems';
import type { GitRunner } from './runner';
import { displayUrl } from './spec';
import { mirrorDir } from './cache';

/** Where fetched refs live in a mirror: apart from anything git itself would call a branch. */
const HEADS = 'refs/claude-env/heads/';
const TAGS = 'refs/claude-env/tags/';

/** A ref resolved to a commit. */
export interface ResolvedRef {
  commit: string;
  kind: 'branch' | 'tag' | 'commit';
}

/** How long one process waits for another that fetches the same repository. */
const WAIT_MS = 180_000;

/**
 * Runs `work` holding the lock of one repository's mirror (`repos/<key>.git.lock`), so that two projects fetching
 * the same repository at once take turns; a lock left by a killed process is taken over after 10 s.
 */
export async function withMirrorLock<T>(
  cacheDir: string,
  remote: string,
  work: (mirror: string) => Promise<T>,
): Promise<T> {
  const mirror = mirrorDir(cacheDir, remote);
  mkdirSync(dirname(mirror), { recursive: true });
  // Loaded here, not at start: commands that only read the cache never take this lock.
  const { default: lockfile } = await import('proper-lockfile');
  const release = await lockfile.lock(mirror, {
    lockfilePath: `${mirror}.lock`,
    realpath: false,
    stale: 10_000,
    retries: { retries: Math.ceil(WAIT_MS / 250), minTimeout: 10, maxTimeout: 250, factor: 1.3, randomize: true },
    onCompromised: () => undefined,
  });
  try {
    return await work(mirror);
  } finally {
    await release().catch(() => undefined);
  }
}

/**
 * Brings the mirror up to date with the repository's branches and tags (one fetch; only new objects travel).
 * A new mirror is made in a temporary folder and renamed into place, so a half-made one is never seen.
 */
export async function fetchMirror(git: GitRunner, mirror: string, url: string, remote: string): Promise<void> {
  if (!existsSync(join(mirror, 'HEAD'))) {
    const temp = `${mirror}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const init = await git.run(['init', '--bare', '--quiet', temp]);
    if (init.code !== 0)
      throw new SourceProblem(DiagnosticCode.sourceFetchFailed, `Could not create ${mirror}: ${gitReason(init)}`);
    rmSync(join(temp, 'hooks'), { recursive: true, force: true });
    renameSync(temp, mirror);
  }
  const fetched = await git.run(
    [
      'fetch',
      '--quiet',
      '--no-tags',
      '--prune',
      '--force',
      '--no-recurse-submodules',
      '--no-write-fetch-head',
      // A shallow clone is a fine source (an image's `git clone --depth 1`, a CI checkout): without this, git
      // quietly refuses its refs and the ref would look missing.
      '--update-shallow',
      '--',
      remote,
      `+refs/heads/*:${HEADS}*`,
      `+refs/tags/*:${TAGS}*`,
    ],
    { gitDir: mirror },
  );
  if (fetched.code !== 0) throw fetchFailed(url, fetched);
}

/** The commit a ref names in the mirror: a tag first, then a branch (as git itself prefers), then a commit id. */
export async function resolveRef(git: GitRunner, mirror: string, url: string, ref: string): Promise<ResolvedRef> {
  for (const [prefix, kind] of [
    [TAGS, 'tag'],
    [HEADS, 'branch'],
  ] as const) {
    const commit = await revParse(git, mirror, `${prefix}${ref}^{commit}`);
    if (commit) return { commit, kind };
  }
  if (/^[0-9a-f]{7,40}$/.test(ref)) {
    const commit = await revParse(git, mirror, `${ref}^{commit}`);
    if (commit && (await reachableFromAnyRef(git, mirror, commit))) return { commit, kind: 'commit' };
    if (commit) {
      throw new SourceProblem(
        DiagnosticCode.sourceCommitUnreachable,
        `Commit ${ref} is not on any branch or tag of ${displayUrl(url)}; claude-env uses only commits the repository publishes.`,
      );
    }
  }
  throw new SourceProblem(
    DiagnosticCode.sourceRefNotFound,
    `${displayUrl(url)} has no branch, tag or commit '${ref}'.`,
  );
}

/** Whether `commit` is `tip` or one of its ancestors. */
export async function isAncestor(git: GitRunner, mirror: string, commit: string, tip: string): Promise<boolean> {
  if (commit === tip) return true;
  const result = await git.run(['merge-base', '--is-ancestor', commit, tip], { gitDir: mirror });
  return result.code === 0;
}

/** Commits in `tip` that `commit` does not have. */
export async function commitsBetween(git: GitRunner, mirror: string, commit: string, tip: string): Promise<number> {
  if (commit === tip) return 0;
  const result = await git.run(['rev-list', '--count', `${commit}..${tip}`], { gitDir: mirror });
  return result.code === 0 ? Number(result.stdout.toString('utf8').trim()) : 0;
}

/** Whether the mirror holds this commit. */
export async function hasCommit(git: GitRunner, mirror: string, commit: string): Promise<boolean> {
  if (!existsSync(join(mirror, 'HEAD'))) return false;
  return (await revParse(git, mirror, `${commit}^{commit}`)) === commit;
}

/**
 * The commit a branch or tag names on the remote now, by `git ls-remote` alone (no objects travel): what a periodic
 * check costs. Undefined for a commit ref, which never moves.
 */
export async function remoteTip(git: GitRunner, url: string, remote: string, ref: string): Promise<string | undefined> {
  const result = await git.run([
    'ls-remote',
    '--',
    remote,
    `refs/tags/${ref}`,
    `refs/tags/${ref}^{}`,
    `refs/heads/${ref}`,
  ]);
  if (result.code !== 0) throw fetchFailed(url, result);
  const refs = new Map<string, string>();
  for (const line of result.stdout.toString('utf8').split('\n')) {
    const [sha, name] = line.split('\t');
    if (sha && name) refs.set(name, sha);
  }
  const tip = refs.get(`refs/tags/${ref}^{}`) ?? refs.get(`refs/tags/${ref}`) ?? refs.get(`refs/heads/${ref}`);
  if (tip) return tip;
  if (/^[0-9a-f]{7,40}$/.test(ref)) return undefined;
  throw new SourceProblem(DiagnosticCode.sourceRefNotFound, `${displayUrl(url)} has no branch or tag '${ref}'.`);
}

async function revParse(git: GitRunner, mirror: string, revision: string): Promise<string | undefined> {
  const result = await git.run(['rev-parse', '--verify', '--quiet', '--end-of-options', revision], { gitDir: mirror });
  const sha = result.stdout.toString('utf8').trim();
  return result.code === 0 && /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
}

async function reachableFromAnyRef(git: GitRunner, mirror: string, commit: string): Promise<boolean> {
  const result = await git.run(
    ['for-each-ref', '--count=1', '--format=%(refname)', `--contains=${commit}`, 'refs/claude-env/'],
    {
      gitDir: mirror,
    },
  );
  return result.code === 0 && result.stdout.toString('utf8').trim() !== '';
}
