import type { Diagnostic, DiagnosticCodeValue, EffectiveEnvironment } from '@claude-env/engine';

/** A check over a workspace's merged environment; each rule lives in its own file and is registered in index.ts. */
export interface WorkspaceRule {
  /** The diagnostic code the rule emits. */
  readonly code: DiagnosticCodeValue;
  check(env: EffectiveEnvironment): Diagnostic[];
}
