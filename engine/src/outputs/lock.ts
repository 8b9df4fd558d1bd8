import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as nodeFs from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { assertInside, FileProblem } from '../safePaths';
import { STATE_FOLDER } from './state';

/** The lock folder of one workspace's applies, `.claude-env/apply.lock` (it exists only while an apply runs). */
export const APPLY_LOCK = `${STATE_FOLDER}/apply.lock`;

/** How long an apply waits for another one in the same workspace before giving up. */
const WAIT_MS = 60_000;

/** Another apply held the workspace for longer than claude-env waits. */
export class WorkspaceBusyError extends FileProblem {
  constructor(readonly lockPath: string) {
    super(
      lockPath,
      `another claude-env apply is running in this workspace (it holds ${lockPath}); try again when it has finished`,
    );
    this.name = 'WorkspaceBusyError';
  }
}

const held = new AsyncLocalStorage<Set<string>>();

/**
 * Runs `work` while holding the workspace's apply lock, so that two applies (two terminals, the editor and a
 * terminal) never interleave their plan, writes and `state.json`. The lock is `proper-lockfile`'s folder,
 * refreshed while held; a lock left by a killed run is taken over as soon as the process that made it is gone
 * (its pid is recorded inside), or after 10 s without a refresh. Re-entrant within one async call chain, so
 * `applyPlan` can take it itself and the CLI can hold it around plan and apply together.
 */
export async function withApplyLock<T>(workspace: string, work: () => Promise<T>): Promise<T> {
  const root = resolve(workspace);
  const current = held.getStore();
  if (current?.has(root)) return work();
  const lockPath = join(root, ...APPLY_LOCK.split('/'));
  // The lock lives in .claude-env/: that folder must really be the workspace's (not a link leading out).
  assertInside(root, lockPath);
  let release: () => Promise<void>;
  try {
    mkdirSync(join(root, STATE_FOLDER), { recursive: true });
    // Loaded here, by the commands that write, rather than by every command that only reads.
    const { default: lockfile } = await import('proper-lockfile');
    release = await lockfile.lock(root, {
      lockfilePath: lockPath,
      realpath: false,
      stale: 10_000,
      retries: { retries: Math.ceil(WAIT_MS / 250), minTimeout: 10, maxTimeout: 250, factor: 1.3, randomize: true },
      fs: lockFs(lockPath),
      // A lock that could not be refreshed (a suspended laptop) is not worth crashing the apply over.
      onCompromised: () => undefined,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOCKED') throw new WorkspaceBusyError(lockPath);
    // A workspace this user cannot write to (a bind mount of another account, a read-only file system): no other
    // apply can write there either, so nothing needs serialising, and each write then reports its own refusal.
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return work();
    throw error;
  }
  try {
    writeOwner(lockPath);
    return await held.run(new Set([...(current ?? []), root]), work);
  } finally {
    await release().catch(() => undefined);
  }
}

const OWNER = 'owner';

/** Records who holds the lock; a `.gitignore` of `*` keeps the folder out of `git status` while it exists. */
function writeOwner(lockPath: string): void {
  const { atime, mtime } = statSync(lockPath);
  try {
    writeFileSync(join(lockPath, OWNER), `${process.pid} ${hostname()}\n`);
    writeFileSync(join(lockPath, '.gitignore'), '*\n');
  } catch {
    // A full disk: the lock still holds, and a crash leaves it to the 10 s staleness rule instead.
  } finally {
    // proper-lockfile checks that the folder's mtime is still the one it set: adding entries must not change it.
    utimesSync(lockPath, atime, mtime);
  }
}

/** Whether the lock's recorded owner is a process of this machine that no longer runs. */
function ownerIsGone(lockPath: string): boolean {
  let text: string;
  try {
    text = readFileSync(join(lockPath, OWNER), 'utf8');
  } catch {
    return false; // just created, owner not written yet: the lock's age decides
  }
  const [pid, host] = text.trim().split(' ');
  if (host !== hostname() || !/^\d+$/.test(pid)) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * The file system proper-lockfile works through, changed in two places for this lock: a lock whose owner is gone
 * looks as old as the epoch (so it is stale at once), and removing the lock removes the files inside it first.
 */
function lockFs(lockPath: string): typeof nodeFs {
  return {
    ...nodeFs,
    stat: ((path: string, callback: (error: NodeJS.ErrnoException | null, stat?: nodeFs.Stats) => void) =>
      nodeFs.stat(path, (error, stat) => {
        if (error || path !== lockPath || !ownerIsGone(lockPath)) return callback(error, stat);
        stat.mtime = new Date(0);
        callback(null, stat);
      })) as typeof nodeFs.stat,
    rmdir: ((path: string, callback: (error: NodeJS.ErrnoException | null) => void) => {
      if (path === lockPath) {
        for (const name of [OWNER, '.gitignore']) rmSync(join(lockPath, name), { force: true });
      }
      nodeFs.rmdir(path, callback);
    }) as typeof nodeFs.rmdir,
  };
}
