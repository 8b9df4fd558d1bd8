import { DiagnosticCode } from '../diagnosticCodes';
import { findLiteralSecrets } from '../secrets/literal';
import type { Diagnostic, EffectiveEnvironment, EffectiveNode, Origin } from '../types';

/** One change of the effective environment between two stacks. */
export interface EnvironmentChange {
  /** Dotted path (`settings.model`, `mcpServers.github`). */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  /** The value before and after (as written: secret references stay references). */
  before?: unknown;
  after?: unknown;
  /** Where the new value comes from (for `removed`: where the old one came from). */
  origin: Origin;
}

/** A change of the org layers that does not take effect as the org wrote it, with both places. */
export interface UpdateConflict {
  kind: 'overridden' | 'newlyRefused';
  path?: string;
  /** The org layer's new write (or, for `newlyRefused`, the new lock or rule). */
  org?: Origin;
  message: string;
  /** For `overridden`: the higher layer's write that wins; for `newlyRefused`: the diagnostic at the refused line. */
  winner?: Origin;
  diagnostic?: Diagnostic;
}

const SECTIONS = ['settings', 'mcpServers'] as const;
const ORG_LAYERS = new Set(['base', 'team']);

/**
 * What changes in the effective environment from `before` to `after`: per leaf value (scalars and arrays); a map
 * that exists on one side only (a new server) is one change at the map.
 */
export function environmentChanges(before: EffectiveEnvironment, after: EffectiveEnvironment): EnvironmentChange[] {
  const changes: EnvironmentChange[] = [];
  for (const section of SECTIONS) compare(child(before.tree, section), child(after.tree, section), [section], changes);
  // Maps carry no value of their own in the tree: take the plain value for a map added or removed whole.
  for (const change of changes) {
    if (change.kind === 'added' && change.after == null) change.after = plainAt(after.value, change.path);
    if (change.kind === 'removed' && change.before == null) change.before = plainAt(before.value, change.path);
    // A credential written in clear in a layer is never repeated in a summary (references stay as written).
    const key = change.path.split('.').at(-1) ?? '';
    change.before = masked(change.before, key);
    change.after = masked(change.after, key);
    change.origin = { ...change.origin, value: masked(change.origin.value, key) };
  }
  return changes;
}

/** The text shown instead of a literal credential. */
export const HIDDEN_CREDENTIAL = '•••••• (literal credential hidden)';

function masked(value: unknown, key: string): unknown {
  if (typeof value === 'string') return findLiteralSecrets(value, key).length > 0 ? HIDDEN_CREDENTIAL : value;
  if (Array.isArray(value)) return value.map((item) => masked(item, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, masked(item, name)]));
  }
  return value;
}

function plainAt(root: unknown, dotted: string): unknown {
  let current = root;
  for (const key of dotted.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function child(node: EffectiveNode | undefined, key: string): EffectiveNode | undefined {
  const found = node?.children?.get(key);
  return found && !found.deleted ? found : undefined;
}

function compare(
  a: EffectiveNode | undefined,
  b: EffectiveNode | undefined,
  path: string[],
  out: EnvironmentChange[],
): void {
  if (!a && !b) return;
  const dotted = path.join('.');
  // A section (`settings`, `mcpServers`) that one side lacks is an empty map: changes are named per key inside it.
  if (path.length === 1 && (!a || !b)) {
    const present = (a ?? b)!;
    for (const key of present.children?.keys() ?? [])
      compare(a && child(a, key), b && child(b, key), [...path, key], out);
    return;
  }
  if (!a) return void out.push({ path: dotted, kind: 'added', after: b!.value, origin: b!.origin });
  if (!b) return void out.push({ path: dotted, kind: 'removed', before: a.value, origin: a.origin });
  if (a.children && b.children) {
    const keys = new Set([...a.children.keys(), ...b.children.keys()]);
    for (const key of keys) compare(child(a, key), child(b, key), [...path, key], out);
    return;
  }
  if (JSON.stringify(a.value) !== JSON.stringify(b.value)) {
    out.push({ path: dotted, kind: 'changed', before: a.value, after: b.value, origin: b.origin });
  }
}

/**
 * Org changes that would not take effect silently: a value the org layers changed that a project, user or local
 * layer overrides (both lines are named), and a policy finding (a new lock, deny rule or server list) that the new
 * org layers raise against a higher layer's line and the old ones did not.
 */
export function updateConflicts(before: EffectiveEnvironment, after: EffectiveEnvironment): UpdateConflict[] {
  const conflicts: UpdateConflict[] = [];
  for (const section of SECTIONS)
    overridden(child(before.tree, section), child(after.tree, section), [section], conflicts);
  const known = new Set(before.diagnostics.filter(isPolicy).map(key));
  for (const diagnostic of after.diagnostics.filter(isPolicy)) {
    if (known.has(key(diagnostic))) continue;
    conflicts.push({ kind: 'newlyRefused', message: diagnostic.message, diagnostic });
  }
  return conflicts;
}

function isPolicy(diagnostic: Diagnostic): boolean {
  return (
    diagnostic.severity === 'error' &&
    diagnostic.code.startsWith('policy.') &&
    diagnostic.code !== DiagnosticCode.policyNotHonoured
  );
}

function key(diagnostic: Diagnostic): string {
  const { line, character } = diagnostic.range.start;
  return `${diagnostic.code}|${diagnostic.file}|${line}|${character}`;
}

/** The highest org write among a node's winner and the writes it overrode. */
function orgWrite(node: EffectiveNode | undefined): Origin | undefined {
  if (!node) return undefined;
  if (ORG_LAYERS.has(node.origin.kind)) return node.origin;
  return node.overridden.find((origin) => ORG_LAYERS.has(origin.kind));
}

function overridden(
  a: EffectiveNode | undefined,
  b: EffectiveNode | undefined,
  path: string[],
  out: UpdateConflict[],
): void {
  if (!b) return;
  if (b.children) {
    for (const [name] of b.children) overridden(a?.children?.get(name), b.children.get(name), [...path, name], out);
    return;
  }
  if (ORG_LAYERS.has(b.origin.kind)) return; // the org's value wins: the change takes effect
  const now = orgWrite(b);
  if (!now) return;
  const was = orgWrite(a);
  if (was && JSON.stringify(was.value) === JSON.stringify(now.value)) return;
  const key = path.at(-1) ?? '';
  const shown = (value: unknown) => JSON.stringify(masked(value, key));
  out.push({
    kind: 'overridden',
    path: path.join('.'),
    org: { ...now, value: masked(now.value, key) },
    winner: { ...b.origin, value: masked(b.origin.value, key) },
    message:
      `The org layers now set ${path.join('.')} to ${shown(now.value)}` +
      `${was ? ` (was ${shown(was.value)})` : ''}, but the ${b.origin.label} layer overrides it with ${shown(b.value)}.`,
  });
}
