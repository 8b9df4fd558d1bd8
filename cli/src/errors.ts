import { FileProblem, FileWriteError, UnsafePathError } from '@claude-env/engine';
import { ExitCode, type ExitCodeValue } from './exitCodes';

/**
 * An error meant for the person at the terminal: its message is printed as is, without a stack trace, and the
 * process exits with `exitCode`.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    /** Extra lines printed after the message, e.g. close matches or the backups that would be written. */
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Wrong command line: the message is followed by a pointer to `--help`. */
export class UsageError extends CliError {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message, ExitCode.usage);
    this.name = 'UsageError';
  }
}

/** Describes a file system error the way a person reads it: what failed, on which path, and the OS reason. */
export function describeFsError(action: string, path: string, error: unknown): string {
  // The engine's own refusals (a link leading out, a device, a read-only folder) already say it in words.
  if (error instanceof FileWriteError) return `cannot ${action} ${path}: ${error.reason}`;
  // (A file where a folder belongs keeps the sentence it always had.)
  if (error instanceof UnsafePathError && error.kind === 'notFolder')
    return `cannot ${action} ${path}: a file is in the way of a folder it needs`;
  if (error instanceof FileProblem) return `cannot ${action} ${path}: ${error.path} ${error.reason}`;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, string> = {
    ENOENT: 'it does not exist',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'it is a folder',
    ENOTDIR: 'a part of the path is not a folder',
    EEXIST: 'a file is in the way of a folder it needs',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
  };
  const reason = (code && reasons[code]) ?? (error instanceof Error ? error.message : String(error));
  return `cannot ${action} ${path}: ${reason}`;
}
