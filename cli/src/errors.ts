import { FileProblem, WorkspaceError } from '@claude-env/engine';
import { ExitCode, type ExitCodeValue } from './exitCodes';
import type { Palette } from './format/colour';
import { formatDiagnostic } from './format/diagnostics';

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

/**
 * The engine's `WorkspaceError` as the terminal shows it: every kind means there was nothing to work on (exit 4);
 * the findings that explain it become detail lines. Anything else is returned unchanged (a `CliError` or a bug).
 */
export function asCliError(error: unknown, cwd: string, colour: Palette): unknown {
  // A file or folder in the way (a link leading out, a folder where a file belongs): the person can fix it.
  if (error instanceof FileProblem) return new CliError(error.message, ExitCode.notLoaded);
  if (!(error instanceof WorkspaceError)) return error;
  const causes = error.diagnostics.map((diagnostic) => formatDiagnostic(diagnostic, cwd, colour).trimEnd());
  return new CliError(error.message, ExitCode.notLoaded, causes);
}

/** How a failed run ends: what goes to stderr, what a program that asked for `--json` reads on stdout, the code. */
export interface FailureReport {
  stderr: string;
  json: string;
  exitCode: number;
}

/**
 * The one place a failure becomes text: `claude-env: error: message`, its detail lines and a pointer to
 * `--help` for a `CliError`; `claude-env: internal error: …` and the stack (with `debug`) for anything else.
 */
export function formatFailure(error: unknown, colour: Palette, debug: boolean): FailureReport {
  const json = (exitCode: number, message: string, details: string[] = []): string =>
    `${JSON.stringify({ ok: false, error: { exitCode, message, details } }, null, 2)}\n`;
  if (error instanceof CliError) {
    let stderr = `claude-env: ${colour.red('error')}: ${error.message}\n`;
    for (const line of error.details) stderr += `  ${line}\n`;
    if (error instanceof UsageError)
      stderr += `Run \`claude-env ${error.command ? `${error.command} ` : ''}--help\` for usage.\n`;
    if (debug && error.stack) stderr += `${error.stack}\n`;
    return { stderr, json: json(error.exitCode, error.message, error.details), exitCode: error.exitCode };
  }
  // Anything else is a bug: say so plainly, and keep the trace for those who ask for it.
  const message = error instanceof Error ? error.message : String(error);
  const trace =
    debug && error instanceof Error && error.stack ? `${error.stack}\n` : 'Rerun with --debug for the stack trace.\n';
  return {
    stderr: `claude-env: internal error: ${message}\n${trace}`,
    json: json(ExitCode.internal, `internal error: ${message}`),
    exitCode: ExitCode.internal,
  };
}
