/**
 * Real git repositories for the git source tests: an organisation's repository (a working copy that pushes to a
 * bare repository, the "remote"), a loopback `git daemon` serving bare repositories, and a throw-away cache folder.
 * No network beyond 127.0.0.1.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { systemGit, type GitRunner } from '@claude-env/engine';

const IDENTITY = ['-c', 'user.name=Org Admin', '-c', 'user.email=admin@example.test', '-c', 'commit.gpgsign=false'];

/**
 * The system git for `env`, as claude-env runs it, with the subcommand of every run appended to `ran` (a test
 * empties it with `ran.length = 0` before the step it counts).
 */
export function recordingGit(env: NodeJS.ProcessEnv): { git: GitRunner; ran: string[] } {
  const system = systemGit({ env });
  const ran: string[] = [];
  return { git: { run: (args, options) => (ran.push(args[0] ?? ''), system.run(args, options)) }, ran };
}

/** Runs git and returns its trimmed output; throws with git's message when it fails. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', [...IDENTITY, ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

const folders: string[] = [];

/** A temporary folder removed at exit; read-only folders inside it (cache checkouts) are made writable first. */
export function gitTempFolder(prefix = 'claude-env-git-'): string {
  if (folders.length === 0) process.once('exit', () => folders.splice(0).forEach(removeWritable));
  const folder = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  folders.push(folder);
  return folder;
}

function removeWritable(folder: string): void {
  const walk = (path: string) => {
    try {
      if (!lstatSync(path).isDirectory()) return;
      chmodSync(path, 0o755);
      readdirSync(path).forEach((name) => walk(join(path, name)));
    } catch {
      // gone already
    }
  };
  walk(folder);
  rmSync(folder, { recursive: true, force: true });
}

/** An organisation's layer repository: `work` is where the admin edits, `bare` the remote projects fetch from. */
export class OrgRepo {
  readonly work: string;
  readonly bare: string;

  constructor(
    readonly root: string,
    name = 'org',
  ) {
    this.work = join(root, `${name}-work`);
    this.bare = join(root, `${name}.git`);
    git(root, 'init', '--quiet', '--bare', '--initial-branch=main', this.bare);
    git(root, 'init', '--quiet', '--initial-branch=main', this.work);
    git(this.work, 'remote', 'add', 'origin', this.bare);
  }

  /** Writes (or, for `null`, deletes) files, commits them, pushes the branch and returns the commit. */
  commit(files: Record<string, string | null>, message = 'Change the org layers', branch = 'main'): string {
    for (const [path, text] of Object.entries(files)) {
      const full = join(this.work, path);
      if (text === null) rmSync(full, { force: true });
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, text);
      }
    }
    git(this.work, 'add', '--all');
    git(this.work, 'commit', '--quiet', '--allow-empty', '-m', message);
    git(this.work, 'push', '--quiet', '--force', 'origin', `HEAD:refs/heads/${branch}`);
    return this.head();
  }

  head(): string {
    return git(this.work, 'rev-parse', 'HEAD');
  }

  /** Tags the current commit (moving the tag if it exists) and pushes it. */
  tag(name: string): string {
    git(this.work, 'tag', '--force', name);
    git(this.work, 'push', '--quiet', '--force', 'origin', `refs/tags/${name}`);
    return this.head();
  }

  /** Rewrites history: the branch goes back to `commit` plus a new commit, force-pushed. */
  rewrite(commit: string, files: Record<string, string | null>, branch = 'main'): string {
    git(this.work, 'reset', '--quiet', '--hard', commit);
    const head = this.commit(files, 'Rewritten history', branch);
    // The old commits must be gone from the remote, as after a real force-push and gc.
    git(this.bare, 'reflog', 'expire', '--expire=now', '--all');
    git(this.bare, 'gc', '--quiet', '--prune=now');
    return head;
  }
}

/** A free TCP port on 127.0.0.1 (the kernel picks it; the daemon binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A `git daemon` on loopback serving the bare repositories under `base` (`git://127.0.0.1:<port>/<name>`). */
export interface GitDaemon {
  port: number;
  url(name: string): string;
  stop(): Promise<void>;
}

/**
 * Starts `git daemon` on 127.0.0.1 and resolves once it says it is ready. With `exportAll: false` only repositories
 * holding `git-daemon-export-ok` are served, which is how a private repository looks from outside.
 */
export async function startGitDaemon(base: string, options: { exportAll?: boolean } = {}): Promise<GitDaemon> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const args = ['daemon', '--verbose', '--reuseaddr', '--informative-errors', `--base-path=${base}`];
    args.push('--listen=127.0.0.1', `--port=${port}`);
    if (options.exportAll !== false) args.push('--export-all');
    args.push(base);
    const child = spawn('git', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const ready = await new Promise<boolean>((resolve) => {
      let text = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (text.includes('Ready to rumble')) resolve(true);
      });
      child.once('exit', () => resolve(false));
    });
    if (ready) return daemon(child, port);
    if (attempt === 3) throw new Error('git daemon did not start');
  }
}

function daemon(child: ChildProcess, port: number): GitDaemon {
  child.stderr!.resume();
  return {
    port,
    url: (name) => `git://127.0.0.1:${port}/${name}`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The usual org layer files under `claude-env/`: a base and a web team. */
export function orgLayers(model = 'claude-sonnet-4-5'): Record<string, string> {
  return {
    'claude-env/base.yaml': `version: 1\nsettings:\n  model: ${model}\n  permissions:\n    deny:\n      - Bash(curl:*)\n`,
    'claude-env/teams/web.yaml': 'version: 1\nsettings:\n  env:\n    TEAM: web\n',
  };
}
