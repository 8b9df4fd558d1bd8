import type { Diagnostic, EffectiveEnvironment } from '@claude-env/engine';

/** A check over a workspace's merged environment; each rule lives in its own file and is registered in index.ts. */
export interface WorkspaceRule {
  /** The diagnostic code the rule emits. */
  readonly code: string;
  check(env: EffectiveEnvironment): Diagnostic[];
}
