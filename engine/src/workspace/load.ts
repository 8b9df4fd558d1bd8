import { loadEnvironment } from '../merge';
import type { EffectiveEnvironment } from '../types';
import { DiagnosticCode } from '../diagnosticCodes';
import { WorkspaceError } from './errors';

/** Where a workspace operation works and which environment variables it sees. */
export interface WorkspaceOptions {
  /** Absolute path of the repository folder (the one holding `.claude-env/`). */
  workspace: string;
  /** Variables the stack reads (`CLAUDE_ENV_*`, `HOME`, `XDG_CONFIG_HOME`); default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /**
   * A project layer that exists but cannot be read: `fail` (default) throws as when there is none; `report` keeps
   * it a diagnostic of the environment, for a caller whose job is to show findings (`validate`).
   */
  unreadableProject?: 'fail' | 'report';
}

/** Stack findings that mean there is nothing to show, diff or apply (as opposed to a stack with errors in it). */
const FATAL_STACK_CODES = new Set<string>([DiagnosticCode.stackNoProject]);

/**
 * Loads and merges the workspace's stack. Throws a `noProjectLayer` `WorkspaceError` only when there is no stack
 * at all; every other problem stays a diagnostic of the environment for the caller to show.
 */
export function loadWorkspace(options: WorkspaceOptions): EffectiveEnvironment {
  const environment = loadEnvironment(options.workspace, { env: options.env ?? process.env });
  const fatal = environment.stack.diagnostics.find((diagnostic) => FATAL_STACK_CODES.has(diagnostic.code));
  // A project layer that is there but cannot be read (a folder, no permission) leaves nothing to work on either.
  const projectMissing =
    options.unreadableProject !== 'report' && !environment.stack.layers.some((layer) => layer.kind === 'project');
  if (fatal || projectMissing) {
    // Whatever else went wrong finding the stack (an unreadable file) is usually the reason: keep it.
    const causes = environment.stack.diagnostics.filter((diagnostic) => diagnostic !== fatal);
    const message = fatal
      ? fatal.message.replace(/\.$/, '')
      : `The project layer of ${environment.stack.workspace} cannot be read`;
    throw new WorkspaceError('noProjectLayer', message, undefined, causes);
  }
  return environment;
}
