/**
 * Exit codes of `claude-env`, documented in docs/cli.md. Scripts and CI branch on them, so they never change
 * meaning once published.
 */
export const ExitCode = {
  /** Success: no errors, nothing to change, the command did what it was asked. */
  ok: 0,
  /** Findings: validation errors, `diff` found changes, `explain` found no such path, apply blocked by errors. */
  findings: 1,
  /** Usage: unknown command or option, missing or extra argument. */
  usage: 2,
  /** `apply` refused to overwrite files edited by hand since the last apply (use `--force`). */
  driftRefused: 3,
  /** The workspace or its stack could not be loaded at all (missing folder, no layer, unreadable file). */
  notLoaded: 4,
  /** A git source could not be fetched or checked: no network, no access, no such repository or ref. */
  sourceUnavailable: 5,
  /** A bug in claude-env; rerun with `--debug` for the stack trace. */
  internal: 70,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
