import { FileWriteError } from '../outputs/atomic';
import { FileProblem, UnsafePathError } from '../safePaths';
import type { Diagnostic } from '../types';

/**
 * Why a workspace operation could not run at all, as opposed to the outcomes its report names (drift, errors in
 * the stack, nothing to import): a file that cannot be read or written, or a folder without a project layer.
 * - `unreadable` / `unwritable`: `file` is the absolute path, `reason` the operating system's reason in words;
 * - `noProjectLayer`: `diagnostics` holds whatever else went wrong finding the stack (often the cause).
 */
export type WorkspaceErrorKind = 'unreadable' | 'unwritable' | 'noProjectLayer';

/**
 * The one error the workspace operations throw for a person's mistake or their machine's state. Its message is a
 * sentence to show as is (`cannot write .claude-env/project.yaml: permission denied`, paths relative to the
 * workspace); callers that want their own wording use the fields. Anything else thrown is a bug.
 */
export class WorkspaceError extends Error {
  constructor(
    readonly kind: WorkspaceErrorKind,
    message: string,
    /** Absolute path of the file concerned, when there is one. */
    readonly file?: string,
    /** Findings that explain the failure, e.g. a `source` folder that is missing. */
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'WorkspaceError';
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'it does not exist',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  EEXIST: 'a file is in the way of a folder it needs',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
};

/**
 * A file system error the way a person reads it: what failed, on which path, and the OS reason. Errors wrapped by
 * `writeFileAtomic` carry the system error as their `cause`, so that is where the code is looked up too.
 */
export function describeFsError(action: string, path: string, error: unknown): string {
  // The engine's own refusals (a link leading out, a device, a read-only folder) already say it in words.
  if (error instanceof FileWriteError) return `cannot ${action} ${path}: ${error.reason}`;
  if (error instanceof UnsafePathError && error.kind === 'notFolder')
    return `cannot ${action} ${path}: a file is in the way of a folder it needs`;
  if (error instanceof FileProblem) return `cannot ${action} ${path}: ${error.path} ${error.reason}`;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? (cause as NodeJS.ErrnoException | undefined)?.code;
  const reason = (code && REASONS[code]) ?? (error instanceof Error ? error.message : String(error));
  return `cannot ${action} ${path}: ${reason}`;
}
