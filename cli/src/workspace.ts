import { loadWorkspace as loadEngineWorkspace, type Diagnostic, type EffectiveEnvironment } from '@claude-env/engine';
import { checkSecrets, defaultSecretProvider, type ResolveContext } from '@claude-env/engine';
import type { CliIo } from './command';

/**
 * Loads and merges the workspace's stack with the command's environment variables. Fails (exit 4, through the
 * engine's `WorkspaceError`) only when there is no stack at all; every other problem stays a diagnostic.
 */
export function loadWorkspace(
  cwd: string,
  io: CliIo,
  unreadableProject: 'fail' | 'report' = 'fail',
): EffectiveEnvironment {
  return loadEngineWorkspace({ workspace: cwd, env: io.env, unreadableProject });
}

/** Where secrets come from in a terminal: `CLAUDE_ENV_SECRET_*` variables, then the secrets file. */
export function secretContext(cwd: string, io: CliIo): ResolveContext {
  return { workspace: cwd, secrets: defaultSecretProvider(io.env), environment: io.env };
}

/** Secret findings (unresolved, malformed, literal credentials), de-duplicated against what the stack reported. */
export async function secretDiagnostics(
  environment: EffectiveEnvironment,
  cwd: string,
  io: CliIo,
): Promise<Diagnostic[]> {
  return checkSecrets(environment, secretContext(cwd, io));
}

/** Files that make up the stack, for "in N files" summaries (the environment layer's variables excluded). */
export function stackFiles(environment: EffectiveEnvironment): string[] {
  return environment.stack.layers.map((layer) => layer.file).filter((file) => !file.startsWith('env:'));
}
