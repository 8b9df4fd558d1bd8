import { DiagnosticCode, type DiagnosticCodeValue } from '../diagnosticCodes';
import { displayUrl, isSshUrl } from './spec';
import type { GitResult } from './runner';

/**
 * A git source that could not be fetched, resolved or verified, in words a person can act on. The workspace
 * operations turn it into a diagnostic at the project layer's `source`.
 */
export class SourceProblem extends Error {
  constructor(
    readonly code: DiagnosticCodeValue,
    message: string,
  ) {
    super(message);
    this.name = 'SourceProblem';
  }
}

/** What git said, as one line: its last `fatal:`/`error:` line, credentials in URLs masked. */
export function gitReason(result: GitResult): string {
  if (result.stopped === 'timeout') return 'git did not finish in time (no answer from the repository?)';
  if (result.stopped === 'spawn') return `git could not be started (${result.stderr}); is git installed and on PATH?`;
  if (result.stopped === 'output') return 'git printed more than claude-env reads';
  const lines = result.stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const fatal = [...lines].reverse().find((l) => /^(fatal|error):/.test(l));
  // Over SSH git says only "Could not read from remote repository"; what ssh said before it is the reason.
  const sshSaid = /Could not read from remote repository/i.test(fatal ?? '')
    ? lines.slice(0, lines.indexOf(fatal!)).at(-1)
    : undefined;
  const line = sshSaid ?? fatal ?? lines.at(-1) ?? `git exited with ${result.code}`;
  return line
    .replace(/^(fatal|error):\s*/, '')
    .replace(/[a-z][a-z0-9+.-]*:\/\/[^\s'"]+/gi, (url) => displayUrl(url))
    .replace(/[.]$/, '');
}

/** What git's message says went wrong in reaching a repository, for the cases a person fixes in a known way. */
type FetchFailure =
  'authentication' | 'notFound' | 'certificate' | 'hostKeyUnknown' | 'hostKeyChanged' | 'stalled' | 'other';

function failureOf(result: GitResult): FetchFailure {
  if (result.stopped === 'timeout') return 'stalled';
  const text = result.stderr;
  // OpenSSH without a terminal to ask on says only "Host key verification failed"; with strict checking it says
  // "No … host key is known for …"; a key that differs from the one in known_hosts comes with a warning box.
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for \S+ has changed/i.test(text)) return 'hostKeyChanged';
  if (/Host key verification failed|host key is known for .* you have requested strict checking/i.test(text))
    return 'hostKeyUnknown';
  if (
    /could not read (Username|Password) for|terminal prompts disabled|Authentication failed for/i.test(text) ||
    /returned error: 40[13]\b|Permission denied \((publickey|password)|HTTP Basic: Access denied/i.test(text)
  )
    return 'authentication';
  if (/repository '[^']*' not found|returned error: 404\b|does not appear to be a git repository/i.test(text))
    return 'notFound';
  if (/SSL certificate problem|server certificate verification failed/i.test(text)) return 'certificate';
  if (/Operation too slow|Operation timed out|Connection timed out/i.test(text)) return 'stalled';
  return 'other';
}

/**
 * The repository could not be reached or read: credentials, no such repository, no answer, network. One line that
 * names the URL (any password masked), what went wrong and what to do.
 */
export function fetchFailed(url: string, result: GitResult): SourceProblem {
  const shown = displayUrl(url);
  const check = `check with: git ls-remote ${shown}`;
  const ssh = isSshUrl(url) ? sshTarget(url) : undefined;
  const messages: Record<FetchFailure, () => string> = {
    authentication: () =>
      ssh
        ? `Authentication failed for ${shown}: the SSH server accepted none of the keys ssh offered, and claude-env ` +
          'never prompts (a key with a passphrase is used only from your agent). Add the key to your agent ' +
          '(ssh-add ~/.ssh/id_ed25519; ssh-add -l lists it) or name it for this host in ~/.ssh/config ' +
          `(IdentityFile), and register its public key with the server; then ${check}`
        : `Authentication failed for ${shown}: git has no credentials that the server accepts, and claude-env never ` +
          'prompts for them. Give them to git once with a credential helper (git config --global credential.helper ' +
          "store, or your system's: manager, osxkeychain, libsecret; or 'git credential approve'), or an SSH key " +
          `in your agent; then ${check}`,
    notFound: () =>
      `Repository not found: ${shown}: the server has no repository there (or hides a private one). Check the ` +
      `URL in the source; then ${check}`,
    certificate: () => {
      // OpenSSL builds say "SSL certificate problem: <why>"; GnuTLS builds (Debian) "server certificate verification failed".
      const why =
        /SSL certificate problem: ([^\n]+)/i.exec(result.stderr)?.[1]?.trim() ??
        /server certificate verification failed/i.exec(result.stderr)?.[0] ??
        'it could not be verified';
      return (
        `The TLS certificate of ${shown} is not trusted (${why.replace(/[.]$/, '')}). If your organisation has its ` +
        `own certificate authority, give it to git: git config --global http.sslCAInfo /path/to/ca.pem; then ${check}`
      );
    },
    hostKeyUnknown: () =>
      `The SSH host key of ${ssh?.host ?? shown} is not known (it is not in ~/.ssh/known_hosts), and claude-env ` +
      'never accepts a host key on its own. Connect once with ' +
      `${ssh?.connect ?? 'ssh'}, check that the fingerprint it shows is the one your organisation publishes and ` +
      `answer yes (or add their known_hosts line to ~/.ssh/known_hosts); then ${check}`,
    hostKeyChanged: () => {
      // ssh names the known_hosts file and entry itself: "remove with: ssh-keygen -f '…' -R '[host]:port'".
      const remove =
        /ssh-keygen -f \S+ -R \S+/.exec(result.stderr)?.[0] ?? `ssh-keygen -R ${ssh?.knownHostsName ?? 'HOST'}`;
      return (
        `The SSH host key of ${ssh?.host ?? shown} differs from the one in ~/.ssh/known_hosts: the server was ` +
        'replaced, or someone is in between. Ask your organisation whether its key changed; only then remove the ' +
        `old one with ${remove} and connect once with ${ssh?.connect ?? 'ssh'} to check and accept the new one; ` +
        `then ${check}`
      );
    },
    stalled: () => {
      const seconds = /the last (\d+) seconds/.exec(result.stderr)?.[1];
      const waited = result.stopped === 'timeout' ? 'in time' : seconds ? `for ${seconds} s` : 'in time';
      return (
        `No answer from ${shown}: the server sent nothing ${waited}, so git stopped. Check the network and any ` +
        `proxy (https_proxy); then ${check}`
      );
    },
    other: () =>
      `Could not fetch ${shown}: ${gitReason(result)}. Check that this machine reaches it and that your ` +
      `credentials (SSH key, credential helper) give access: git ls-remote ${shown}`,
  };
  return new SourceProblem(DiagnosticCode.sourceFetchFailed, messages[failureOf(result)]());
}

/** Where an SSH URL connects: the host as shown, how to connect to it by hand, its name in known_hosts. */
function sshTarget(url: string): { host: string; connect: string; knownHostsName: string } {
  const full = /^ssh:\/\/(?:([^@/]*)@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?/i.exec(url);
  const scp = /^(?:([^@]+)@)?([^:]+):/.exec(url);
  const [, user, host, port] = full ?? scp ?? [];
  const name = host ?? url;
  const destination = user ? `${user}@${name}` : name;
  return {
    host: port ? `${name} port ${port}` : name,
    connect: `ssh -T ${port ? `-p ${port} ` : ''}${destination}`,
    knownHostsName: port ? `'[${name}]:${port}'` : name,
  };
}

/** OS errors of the cache folder that a person can act on, in words; undefined for anything else (a bug). */
export function cacheProblem(error: unknown, cacheDir: string): SourceProblem | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'the disk quota is exceeded',
    ENOTDIR: 'a file is in the way of a folder it needs',
  };
  const reason = code ? reasons[code] : undefined;
  if (!reason) return undefined;
  return new SourceProblem(
    DiagnosticCode.sourceFetchFailed,
    `Cannot write the git cache ${cacheDir}: ${reason}. Set XDG_CACHE_HOME to a folder you can write, or fix its permissions.`,
  );
}
