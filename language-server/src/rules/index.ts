/**
 * Validation rules the language server adds on top of the engine's own checks. Each rule is a plug-in in its
 * own file with a stable diagnostic code; the model runs every registered rule after each merge.
 */
import type { Diagnostic, EffectiveEnvironment } from '@claude-env/engine';
import { commandNotOnPathRule } from './commandNotOnPath';
import { cwdMissingRule } from './cwdMissing';
import type { WorkspaceRule } from './rule';

export type { WorkspaceRule } from './rule';

/** The rules every workspace runs. */
export function defaultRules(): WorkspaceRule[] {
  return [commandNotOnPathRule(), cwdMissingRule()];
}

/** Runs every rule; a rule that throws is logged as absent rather than taking the server's diagnostics down. */
export function runWorkspaceRules(rules: readonly WorkspaceRule[], env: EffectiveEnvironment): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const rule of rules) {
    try {
      for (const diagnostic of rule.check(env)) found.push(diagnostic);
    } catch (error) {
      console.error(`claude-env: rule ${rule.code} failed: ${(error as Error).stack ?? String(error)}`);
    }
  }
  return found;
}
