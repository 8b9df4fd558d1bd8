/**
 * Bare repositories served over SSH on 127.0.0.1 by a real OpenSSH server, as `git@host:org/repo.git` hosts look
 * to git: `sshd` runs as root in the foreground with its own sshd_config, host key and authorized_keys in a
 * temporary folder (the machine's /etc/ssh and its ssh service are not used), and lets in one dedicated Unix user,
 * {@link SSH_GIT_USER}, whose login shell is `git-shell` (only git's upload and receive commands run). The person's
 * side is a temporary home with `~/.ssh/config`, `known_hosts` and keys, see {@link sshHome}, and optionally a
 * real `ssh-agent`. OpenSSH is installed on demand (scripts/ssh-setup.sh, apt-get; needs root, as the suite runs).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { freePort, git, gitTempFolder } from './gitRepos';
import { REPO_ROOT } from './paths';

/** The Unix user git connects as (the `git` of `git@github.com:…`). */
export const SSH_GIT_USER = 'claude-env-git';
const SSHD = '/usr/sbin/sshd';

/** Installs OpenSSH when sshd, ssh or ssh-agent is missing (a fresh CI machine), once. */
export function ensureOpenSsh(): void {
  const present = existsSync(SSHD) && spawnSync('sh', ['-c', 'command -v ssh && command -v ssh-agent']).status === 0;
  if (!present) execFileSync('bash', [join(REPO_ROOT, 'scripts', 'ssh-setup.sh')], { stdio: 'inherit' });
}

/** Creates the git user if missing: `git-shell` as login shell, no password (`*`, not locked: key logins work). */
export function ensureGitUser(): void {
  if (process.getuid?.() !== 0) throw new Error('the SSH suites run sshd and create a Unix user: run them as root');
  const shell = execFileSync('sh', ['-c', 'command -v git-shell'], { encoding: 'utf8' }).trim();
  const exists = () => spawnSync('id', ['-u', SSH_GIT_USER]).status === 0;
  if (exists()) return;
  const made = spawnSync('useradd', ['-m', '-s', shell, '-p', '*', SSH_GIT_USER], { encoding: 'utf8' });
  // A suite in another worker may have created it a moment ago.
  if (made.status !== 0 && !exists()) throw new Error(`useradd ${SSH_GIT_USER}: ${made.stderr}`);
}

/** A key pair made with ssh-keygen: `privateFile` (with its `.pub` beside it) and the public key line. */
export interface SshKey {
  privateFile: string;
  publicKey: string;
}

/** An ed25519 key pair in `folder`, protected by `passphrase` when given. */
export function sshKey(folder: string, name: string, passphrase = ''): SshKey {
  const privateFile = join(folder, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', name, '-f', privateFile], {
    stdio: 'pipe',
  });
  return { privateFile, publicKey: readFileSync(`${privateFile}.pub`, 'utf8').trim() };
}

export interface GitSshServer {
  port: number;
  /** The `known_hosts` line of the server's host key (`[127.0.0.1]:<port> ssh-ed25519 …`). */
  knownHostsLine: string;
  /** `ssh://claude-env-git@127.0.0.1:<port>/<base>/<name>`. */
  url(name: string): string;
  /** The absolute path of a repository on the server, for the scp-like form `alias:/path`. */
  path(name: string): string;
  /**
   * The path of a repository relative to the git user's home, as in `git@host:org/repo.git`: the home holds a link
   * to `base`, named after this server's port (removed by `stop`).
   */
  homePath(name: string): string;
  /** Lets this public key in. */
  authorize(publicKey: string): void;
  /** Lines sshd logged (`-e`): which key was accepted, why one was refused. */
  readonly log: string[];
  /** Resolves once the log satisfies `done` (checked at every new line): sshd logs a little after git has ended. */
  logged(done: (log: readonly string[]) => boolean): Promise<void>;
  /**
   * The process ids of this sshd and every process it started (connections, git-shell, git), from /proc. An ended
   * one whose parent ended first waits as a zombie (no command line, nothing running) for the machine's init.
   */
  processes(): number[];
  /** Stops sshd and every connection it serves; resolves when none of them is left. */
  stop(): Promise<void>;
}

/** Serves the bare repositories under `base` over SSH on a free loopback port (base is made readable to the user). */
export async function startGitSsh(base: string): Promise<GitSshServer> {
  ensureOpenSsh();
  ensureGitUser();
  // sshd checks its privilege separation folder; the package's service would create it.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  chmodSync(base, 0o755);
  const folder = gitTempFolder('claude-env-sshd-');
  chmodSync(folder, 0o755);
  const hostKey = sshKey(folder, 'host_ed25519');
  const authorizedKeys = join(folder, 'authorized_keys');
  writeFileSync(authorizedKeys, '', { mode: 0o644 });
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const config = join(folder, `sshd_config-${port}`);
    writeFileSync(config, sshdConfig(port, hostKey.privateFile, authorizedKeys));
    const log: string[] = [];
    const lines = new EventEmitter();
    const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    const ready = await new Promise<boolean>((resolve) => {
      let text = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        const complete = text.split('\n');
        text = complete.pop() ?? '';
        log.push(...complete);
        if (complete.length > 0) lines.emit('line');
        if (complete.some((line) => line.startsWith('Server listening on 127.0.0.1'))) resolve(true);
      });
      child.once('exit', () => resolve(false));
    });
    if (ready) {
      const [type, key] = hostKey.publicKey.split(' ');
      return server(child, {
        port,
        base,
        config,
        authorizedKeys,
        log,
        lines,
        knownHostsLine: `[127.0.0.1]:${port} ${type} ${key}`,
      });
    }
    if (attempt === 3) throw new Error(`sshd did not start:\n${log.join('\n')}`);
  }
}

function sshdConfig(port: number, hostKey: string, authorizedKeys: string): string {
  return [
    `ListenAddress 127.0.0.1:${port}`,
    `HostKey ${hostKey}`,
    'PidFile none',
    // Key logins only, for the one git user; no PAM, so nothing of the machine's login setup runs.
    'UsePAM no',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    `AuthorizedKeysFile ${authorizedKeys}`,
    // The folders are under /tmp (world-writable), which strict modes refuse.
    'StrictModes no',
    `AllowUsers ${SSH_GIT_USER}`,
    'PermitRootLogin no',
    'PermitTTY no',
    'AllowTcpForwarding no',
    'AllowAgentForwarding no',
    'X11Forwarding no',
    'PrintMotd no',
    'MaxStartups 64',
    'LogLevel VERBOSE',
    // git asks for protocol v2 in GIT_PROTOCOL; the repositories belong to root, which git checks unless told.
    'AcceptEnv GIT_PROTOCOL',
    'SetEnv GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=safe.directory GIT_CONFIG_VALUE_0=*',
    '',
  ].join('\n');
}

interface ServerFacts {
  port: number;
  base: string;
  config: string;
  authorizedKeys: string;
  log: string[];
  lines: EventEmitter;
  knownHostsLine: string;
}

function server(child: ChildProcess, facts: ServerFacts): GitSshServer {
  // sshd re-executes itself for every connection with the same arguments, so its config path finds them all.
  const processes = () => processesWith(facts.config);
  const homeLink = `served-${facts.port}`;
  const linkPath = join(gitUserHome(), homeLink);
  rmSync(linkPath, { force: true });
  symlinkSync(facts.base, linkPath);
  return {
    port: facts.port,
    knownHostsLine: facts.knownHostsLine,
    url: (name) => `ssh://${SSH_GIT_USER}@127.0.0.1:${facts.port}${join(facts.base, name)}`,
    path: (name) => join(facts.base, name),
    homePath: (name) => `${homeLink}/${name}`,
    authorize: (publicKey) => writeFileSync(facts.authorizedKeys, `${publicKey}\n`, { flag: 'a' }),
    log: facts.log,
    logged: (done) =>
      new Promise((resolve) => {
        if (done(facts.log)) return resolve();
        const check = () => {
          if (!done(facts.log)) return;
          facts.lines.off('line', check);
          resolve();
        };
        facts.lines.on('line', check);
      }),
    processes,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      // Connections still open outlive the listener: end them, and wait until /proc has none.
      for (let round = 0; processes().length > 0; round++) {
        for (const pid of processes()) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone already
          }
        }
        if (round > 200) throw new Error(`sshd processes left: ${processes().join(' ')}`);
        await new Promise((resolve) => setImmediate(resolve));
      }
      rmSync(linkPath, { force: true });
    },
  };
}

function gitUserHome(): string {
  return execFileSync('getent', ['passwd', SSH_GIT_USER], { encoding: 'utf8' }).trim().split(':')[5];
}

/** Processes whose command line holds `needle`, from /proc (the children of sshd are not children of this process). */
export function processesWith(needle: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(needle)) found.push(Number(name));
    } catch {
      // ended while listing
    }
  }
  return found;
}

/** What a person's ssh setup in {@link sshHome} holds. */
export interface SshHomeOptions {
  /** The `Host` alias for the server in ~/.ssh/config (default `org-git`); its settings apply to 127.0.0.1 too. */
  alias?: string;
  /** A key file for the alias (`IdentityFile`); without one ssh uses the agent's keys. */
  identity?: string;
  /** Whether known_hosts holds the server's host key (default true). */
  knownHost?: boolean;
}

/**
 * Writes a person's ssh setup into `home`: `~/.ssh/config` with a `Host` alias for the server (HostName, Port,
 * User, IdentityFile), `~/.ssh/known_hosts` with its host key, and `~/.gitconfig` naming that ssh config. OpenSSH
 * takes `~` from the password database, not from HOME, so a temporary home is pointed at with `core.sshCommand`
 * (`ssh -F`), and the paths in the config are absolute. Returns the alias.
 */
export function sshHome(home: string, server: GitSshServer, options: SshHomeOptions = {}): string {
  const alias = options.alias ?? 'org-git';
  const dotSsh = join(home, '.ssh');
  mkdirSync(dotSsh, { recursive: true, mode: 0o700 });
  const knownHosts = join(dotSsh, 'known_hosts');
  writeFileSync(knownHosts, options.knownHost === false ? '' : `${server.knownHostsLine}\n`);
  const config = join(dotSsh, 'config');
  const lines = [
    // The alias, and the server's address as the ssh:// URLs name it.
    `Host ${alias} 127.0.0.1`,
    '  HostName 127.0.0.1',
    `  Port ${server.port}`,
    `  User ${SSH_GIT_USER}`,
    ...(options.identity ? [`  IdentityFile ${options.identity}`, '  IdentitiesOnly yes'] : []),
    'Host *',
    `  UserKnownHostsFile ${knownHosts}`,
    '  GlobalKnownHostsFile /dev/null',
    '',
  ];
  writeFileSync(config, lines.join('\n'), { mode: 0o600 });
  git(home, 'config', '--file', join(home, '.gitconfig'), 'core.sshCommand', `ssh -F ${config}`);
  return alias;
}

/** A real `ssh-agent` in the foreground, on its own socket. */
export interface SshAgent {
  socket: string;
  /** Adds a key (without passphrase) to the agent. */
  add(privateFile: string): void;
  stop(): Promise<void>;
}

export async function startSshAgent(folder: string): Promise<SshAgent> {
  const socket = join(folder, 'agent.sock');
  const child = spawn('ssh-agent', ['-D', '-a', socket], { stdio: ['ignore', 'pipe', 'pipe'] });
  // In the foreground it prints the SSH_AUTH_SOCK line once it listens.
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`ssh-agent exited with ${code}`)));
  });
  child.stdout!.resume();
  return {
    socket,
    add: (privateFile) =>
      void execFileSync('ssh-add', ['-q', privateFile], {
        env: { ...process.env, SSH_AUTH_SOCK: socket },
        stdio: 'pipe',
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
