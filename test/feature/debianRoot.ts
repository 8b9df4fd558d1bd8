/**
 * A real Debian root to install the dev container feature into, driven with chroot instead of a Docker engine.
 * The roots are built once by scripts/debian-root.sh and cached as tarballs under .cache/debian-root/.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/paths';

/** PATH of the official Debian images, which the container's environment starts from. */
export const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const HOST_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
/** Beside Debian's own bundle, which `update-ca-certificates` may rewrite. */
const TRUSTED_BUNDLE = 'etc/ssl/certs/host-ca-certificates.crt';

export type RootVariant = 'minbase' | 'node';

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertion messages. */
  output: string;
  seconds: number;
}

export interface RunOptions {
  /** Run as this user (via runuser inside the root) instead of root. */
  user?: string;
  /** Working folder inside the root. */
  cwd?: string;
  /** The full environment (nothing leaks in from the host). */
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Run in a network namespace of its own, with no way out: proves a step needs no network. */
  offline?: boolean;
}

/** Returns the cached tarball of a root, building it first when missing (needs root and Debian's mirror). */
export function rootTarball(variant: RootVariant): string {
  const built = spawnSync(join(REPO_ROOT, 'scripts', 'debian-root.sh'), [variant], {
    encoding: 'utf8',
    timeout: 15 * 60_000,
  });
  if (built.status !== 0) throw new Error(`scripts/debian-root.sh ${variant} failed:\n${built.stderr}`);
  return built.stdout.trim();
}

/**
 * The cached root unpacked once beside its tarball. It is only ever the read-only lower layer of an overlay,
 * because unpacking and deleting a few hundred megabytes for every test costs more than the tests themselves.
 */
function unpackedRoot(variant: RootVariant): string {
  const tarball = rootTarball(variant);
  const unpacked = tarball.replace(/\.tar$/, '.root');
  if (existsSync(unpacked)) return unpacked;
  // A folder of its own, renamed into place when complete, so that two test runs never share a half-unpacked root.
  const partial = mkdtempSync(`${unpacked}.partial-`);
  const result = spawnSync('tar', ['-C', partial, '--numeric-owner', '-xf', tarball], { encoding: 'utf8' });
  if (result.status !== 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new Error(`unpacking ${tarball} failed: ${result.stderr}`);
  }
  try {
    renameSync(partial, unpacked);
  } catch {
    rmSync(partial, { recursive: true, force: true }); // another run got there first
  }
  return unpacked;
}

/** Mounts, or undoes what was set up so far with `undo` and throws. */
function mount(args: string[], undo: () => void): void {
  const mounted = spawnSync('mount', args, { encoding: 'utf8' });
  if (mounted.status !== 0) {
    undo();
    throw new Error(`mount ${args.join(' ')} failed: ${mounted.stderr}`);
  }
}

function unmount(target: string): void {
  if (spawnSync('umount', [target]).status !== 0) {
    // Killed processes can hold a mount for a moment; detach it so the scratch folder can go now.
    spawnSync('umount', ['-l', target]);
  }
}

/**
 * The machine's own network setup: where egress goes through a TLS-inspecting proxy, the npm registry is only
 * reachable with the machine's trusted certificates, exactly as a dev container on this machine would need them.
 */
function trustHostCertificates(dir: string): Record<string, string> {
  if (!existsSync(HOST_CA_BUNDLE)) return {};
  mkdirSync(join(dir, 'etc', 'ssl', 'certs'), { recursive: true });
  copyFileSync(HOST_CA_BUNDLE, join(dir, TRUSTED_BUNDLE));
  return { NODE_EXTRA_CA_CERTS: `/${TRUSTED_BUNDLE}` };
}

/**
 * One disposable root: an overlay whose writes land in a scratch folder. Call `dispose` in an `after` hook;
 * every `run` unmounts the /proc it mounted itself.
 */
export class DebianRoot {
  private constructor(
    readonly dir: string,
    private readonly scratch: string,
    /** Added to every command's environment. */
    private readonly networkEnv: Record<string, string>,
  ) {}

  static create(variant: RootVariant): DebianRoot {
    const lower = unpackedRoot(variant);
    const scratch = mkdtempSync(join(tmpdir(), `claude-env-${variant}-`));
    // Writes go to memory: dpkg syncs every file it unpacks, which on a busy disk costs minutes.
    mount(['-t', 'tmpfs', '-o', 'size=4g,mode=0755', 'tmpfs', scratch], () =>
      rmSync(scratch, { recursive: true, force: true }),
    );
    for (const folder of ['upper', 'work', 'root']) mkdirSync(join(scratch, folder));
    const dir = join(scratch, 'root');
    const layers = `lowerdir=${lower},upperdir=${join(scratch, 'upper')},workdir=${join(scratch, 'work')}`;
    mount(['-t', 'overlay', 'overlay', '-o', layers, dir], () => {
      unmount(scratch);
      rmSync(scratch, { recursive: true, force: true });
    });
    copyFileSync('/etc/resolv.conf', join(dir, 'etc', 'resolv.conf'));
    return new DebianRoot(dir, scratch, trustHostCertificates(dir));
  }

  /** Absolute host path of a path inside the root. */
  path(inside: string): string {
    return join(this.dir, inside);
  }

  /** Runs a shell script inside the root with /proc mounted, as root or as `options.user`. */
  run(script: string, options: RunOptions = {}): RunResult {
    const env = { ...(options.env ?? { PATH: IMAGE_PATH, HOME: '/root' }), ...this.networkEnv };
    const envArgs = Object.entries(env).map(([name, value]) => `${name}=${value}`);
    const inner = options.cwd ? `cd '${options.cwd}' && ${script}` : script;
    const command = options.user
      ? ['runuser', '-u', options.user, '--', '/usr/bin/env', '-i', ...envArgs, '/bin/sh', '-c', inner]
      : ['/usr/bin/env', '-i', ...envArgs, '/bin/sh', '-c', inner];
    this.mountProc();
    const started = process.hrtime.bigint();
    try {
      const chroot = ['chroot', this.dir, ...command];
      const [program, ...args] = options.offline ? ['unshare', '--net', ...chroot] : chroot;
      const result = spawnSync(program!, args, {
        encoding: 'utf8',
        timeout: options.timeoutMs ?? 10 * 60_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const stdout = result.stdout ?? '';
      const stderr = result.stderr ?? '';
      return { status: result.status ?? -1, stdout, stderr, output: `${stdout}${stderr}`, seconds };
    } finally {
      this.unmountProc();
    }
  }

  /** Ids of the processes still running inside this root (none should outlive a lifecycle command). */
  processes(): number[] {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .filter((pid) => {
        try {
          return readlinkSync(`/proc/${pid}/root`) === this.dir;
        } catch {
          return false; // gone meanwhile, or not ours to inspect
        }
      })
      .map(Number);
  }

  /** Stops what still runs inside the root, unmounts what is mounted and deletes the root. */
  dispose(): void {
    for (const pid of this.processes()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already exited
      }
    }
    this.unmountProc();
    unmount(this.dir);
    unmount(this.scratch);
    rmSync(this.scratch, { recursive: true, force: true });
  }

  private mountProc(): void {
    const mounted = spawnSync('mount', ['-t', 'proc', 'proc', this.path('proc')], { encoding: 'utf8' });
    if (mounted.status !== 0) throw new Error(`mounting /proc in ${this.dir} failed: ${mounted.stderr}`);
  }

  private unmountProc(): void {
    if (spawnSync('mountpoint', ['-q', this.path('proc')]).status === 0) {
      // Lazy, because a server that outlived its check may still hold /proc open for a moment.
      spawnSync('umount', ['-l', this.path('proc')]);
    }
  }
}
