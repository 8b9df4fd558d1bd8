import { DiagnosticCode, type DiagnosticCodeValue } from '../diagnosticCodes';
import { displayUrl } from './spec';
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
  const line =
    [...lines].reverse().find((l) => /^(fatal|error):/.test(l)) ?? lines.at(-1) ?? `git exited with ${result.code}`;
  return line
    .replace(/^(fatal|error):\s*/, '')
    .replace(/[a-z][a-z0-9+.-]*:\/\/[^\s'"]+/gi, (url) => displayUrl(url))
    .replace(/[.]$/, '');
}

/** The repository could not be reached or read: network, credentials, no such repository. */
export function fetchFailed(url: string, result: GitResult): SourceProblem {
  return new SourceProblem(
    DiagnosticCode.sourceFetchFailed,
    `Could not fetch ${displayUrl(url)}: ${gitReason(result)}. Check that this machine reaches it and that your ` +
      `credentials (SSH key, credential helper) give access: git ls-remote ${displayUrl(url)}`,
  );
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
