import type { EffectiveEnvironment } from '../types';
import { hasOwn, setOwn } from '../ownKeys';
import { findReferences, type ValueReference } from './references';
import { resolveReference, type ResolveContext } from './resolve';
import { claudeVariableOf } from './variables';

/** The variables a process needs so that Claude Code's `${VAR}` in the written files find their values. */
export interface ClaudeCodeVariables {
  /** Variable name → resolved value, e.g. `MAGIC_API_KEY` → the secret. Keep in memory only. */
  variables: Record<string, string>;
  /** One message per secret or file reference that could not be resolved. */
  problems: string[];
}

/**
 * Resolves every `${secret:…}` and `${file:…}` that the written files turn into `${VAR}` (servers allowed by
 * policy, and settings), so that the CLI can start Claude Code with them in its environment. `${env:…}`
 * references are left out: they already name the variable Claude Code reads.
 */
export async function claudeCodeVariables(
  env: EffectiveEnvironment,
  ctx: ResolveContext,
): Promise<ClaudeCodeVariables> {
  const blocked = new Set(env.servers.filter((server) => server.blockedReason).map((server) => server.name));
  const references = new Map<string, ValueReference>();
  const collect = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const reference of findReferences(value))
        if (reference.kind !== 'env') references.set(reference.raw, reference);
    } else if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === 'object')
      Object.values(value as Record<string, unknown>).forEach(collect);
  };
  collect(env.value.settings);
  for (const [name, entry] of Object.entries(env.value.mcpServers ?? {})) {
    if (blocked.has(name)) continue;
    // Only what reaches the written files: supervision and cwd stay with claude-env.
    collect(
      Object.entries((entry ?? {}) as Record<string, unknown>)
        .filter(([key]) => key !== 'supervision' && key !== 'cwd')
        .map(([, value]) => value),
    );
  }
  const variables: Record<string, string> = {};
  const problems: string[] = [];
  for (const reference of references.values()) {
    const outcome = await resolveReference(reference, ctx);
    if (outcome.value === undefined) problems.push(outcome.message);
    else if (!hasOwn(variables, claudeVariableOf(reference)))
      setOwn(variables, claudeVariableOf(reference), outcome.value);
  }
  return { variables, problems };
}
