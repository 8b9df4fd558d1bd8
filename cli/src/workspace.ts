import {
  loadEnvironment,
  type Diagnostic,
  type EffectiveEnvironment,
  DiagnosticCode,
  type DiagnosticCodeValue,
} from '@claude-env/engine';
import { checkSecrets, defaultSecretProvider, type ResolveContext } from '@claude-env/engine';
import type { CliIo } from './command';
import { CliError } from './errors';
import { ExitCode } from './exitCodes';
import { formatDiagnostic } from './format/diagnostics';

/** Stack findings that mean there is nothing to show, diff or apply (as opposed to a stack with errors in it). */
const FATAL_STACK_CODES: ReadonlySet<DiagnosticCodeValue> = new Set([DiagnosticCode.stackNoProject]);

/**
 * Loads and merges the workspace's stack. Fails with exit 4 only when there is no stack at all; every other
 * problem stays a diagnostic for the command to print.
 */
export function loadWorkspace(cwd: string, io: CliIo): EffectiveEnvironment {
  const environment = loadEnvironment(cwd, { env: io.env });
  const fatal = environment.stack.diagnostics.find((diagnostic) => FATAL_STACK_CODES.has(diagnostic.code));
  if (fatal) {
    // Whatever else went wrong finding the stack (an unreadable file) is usually the reason: show it too.
    const causes = environment.stack.diagnostics
      .filter((diagnostic) => diagnostic !== fatal)
      .map((diagnostic) => formatDiagnostic(diagnostic, cwd, io.errColour).trimEnd());
    throw new CliError(fatal.message.replace(/\.$/, ''), ExitCode.notLoaded, causes);
  }
  return environment;
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
