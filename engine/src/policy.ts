import { usageKeyNotHonoured } from './budgets';
import { describeOrigin } from './describe';
import { isDirective, literalValue } from './directives';
import { DiagnosticCode } from './diagnosticCodes';
import {
  POLICY_LAYERS,
  type Diagnostic,
  type EffectiveNode,
  type MapNode,
  type Origin,
  type ParsedLayer,
  type SourceNode,
} from './types';

/** A path locked by a base or team layer: higher layers may not change it. */
export interface Lock {
  path: string[];
  layerIndex: number;
  origin: Origin;
}

/** A write that replaced or deleted an existing value (used to find who removed a deny rule). */
export interface WriteRecord {
  path: string[];
  layerIndex: number;
  origin: Origin;
}

const DENY_PATH = ['settings', 'permissions', 'deny'];

function entryOf(node: SourceNode | undefined, key: string) {
  if (node?.type !== 'map') return undefined;
  const map = isDirective(node) === '$replace' ? node.entries[0].value : node;
  return map.type === 'map' ? map.entries.find((e) => e.key === key) : undefined;
}

function originOf(layer: ParsedLayer, node: SourceNode): Origin {
  return {
    kind: layer.kind,
    label: layer.label,
    file: layer.file,
    keyRange: node.range,
    range: node.range,
    value: literalValue(node),
  };
}

export function collectLocks(layers: readonly ParsedLayer[]): Lock[] {
  const locks: Lock[] = [];
  layers.forEach((layer, layerIndex) => {
    if (!POLICY_LAYERS.includes(layer.kind)) return;
    const locked = entryOf(entryOf(layer.root, 'policy')?.value, 'locked')?.value;
    if (locked?.type !== 'array') return;
    for (const item of locked.items) {
      if (item.type === 'scalar' && typeof item.value === 'string')
        locks.push({ path: item.value.split('.'), layerIndex, origin: originOf(layer, item) });
    }
  });
  return locks;
}

function isPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => segment === path[i]);
}

/** A lock on `path` or one of its ancestors, set by a lower layer. */
export function lockedAncestor(locks: readonly Lock[], path: string[], layerIndex: number): Lock | undefined {
  return locks.find((lock) => lock.layerIndex < layerIndex && isPrefix(lock.path, path));
}

/** A lock below `path` whose value a wholesale write at `path` would change. */
export function locksBelow(
  locks: readonly Lock[],
  path: string[],
  layerIndex: number,
  existing: EffectiveNode | undefined,
  node: SourceNode,
): Lock | undefined {
  return locks.find((lock) => {
    if (lock.layerIndex >= layerIndex || lock.path.length <= path.length || !isPrefix(path, lock.path)) return false;
    const before = valueBelow(existing, lock.path.slice(path.length));
    const after = plainBelow(node, lock.path.slice(path.length));
    return JSON.stringify(before) !== JSON.stringify(after);
  });
}

function valueBelow(node: EffectiveNode | undefined, rest: string[]): unknown {
  let current = node;
  for (const segment of rest) current = current?.children?.get(segment);
  if (!current || current.deleted) return undefined;
  return current.children ? '<map>' : current.value;
}

function plainBelow(node: SourceNode, rest: string[]): unknown {
  let current: SourceNode | undefined = node;
  for (const segment of rest) current = entryOf(current, segment)?.value;
  if (!current || (current.type === 'map' && isDirective(current) === '$delete')) return undefined;
  return current.type === 'map' ? '<map>' : literalValue(current);
}

/** `policy` outside base/team and `source`/`teams` outside the project are ignored, and said so. */
export function reportMisplacedSections(layer: ParsedLayer, out: Diagnostic[]): void {
  for (const entry of layer.root?.entries ?? []) {
    if (entry.key === 'policy' && !POLICY_LAYERS.includes(layer.kind)) {
      out.push({
        file: layer.file,
        range: entry.keyRange,
        severity: 'warning',
        code: DiagnosticCode.policyNotHonoured,
        message: `Policy is honoured only in base and team layers; this block in the ${layer.label} layer is ignored.`,
      });
    }
    const ignoredUsageKey = usageKeyNotHonoured(entry.key, layer);
    if (ignoredUsageKey) out.push({ file: layer.file, range: entry.keyRange, severity: 'warning', ...ignoredUsageKey });
    if ((entry.key === 'source' || entry.key === 'teams') && layer.kind !== 'project') {
      out.push({
        file: layer.file,
        range: entry.keyRange,
        severity: 'warning',
        code: DiagnosticCode.stackSourceIgnored,
        message: `'${entry.key}' is read only from the project layer; it is ignored in the ${layer.label} layer.`,
      });
    }
  }
}

/**
 * Deny rules only grow: a rule that a lower layer set and a higher `$replace`/`$delete` removed is put back,
 * and the removing line gets the error.
 */
export function restoreDenyRules(
  root: EffectiveNode,
  writes: readonly WriteRecord[],
  layers: readonly ParsedLayer[],
  out: Diagnostic[],
): void {
  const final = nodeAtPath(root, DENY_PATH);
  const present = new Set(
    Array.isArray(final?.value) && !final?.deleted ? (final.value as unknown[]).map((v) => JSON.stringify(v)) : [],
  );
  layers.forEach((layer, layerIndex) => {
    const deny = entryOf(entryOf(entryOf(layer.root, 'settings')?.value, 'permissions')?.value, 'deny')?.value;
    const items = deny?.type === 'map' && isDirective(deny) === '$replace' ? deny.entries[0].value : deny;
    if (items?.type !== 'array') return;
    for (const item of items.items) {
      const identity = JSON.stringify(literalValue(item));
      if (present.has(identity)) continue;
      const remover = writes.find((w) => w.layerIndex > layerIndex && isPrefix(w.path, DENY_PATH));
      if (!remover) continue;
      const rule = originOf(layer, item);
      out.push({
        file: remover.origin.file,
        range: remover.origin.keyRange,
        severity: 'error',
        code: DiagnosticCode.policyDenyRemoved,
        message:
          `This removes the deny rule ${identity} set by ${describeOrigin(rule)}; deny rules from lower ` +
          `layers cannot be removed, so it stays in effect.`,
        related: [{ file: rule.file, range: rule.range, message: 'deny rule set here' }],
      });
      appendDeny(root, rule);
      present.add(identity);
    }
  });
}

function appendDeny(root: EffectiveNode, rule: Origin): void {
  let node = root;
  for (const [depth, segment] of DENY_PATH.entries()) {
    const path = DENY_PATH.slice(0, depth + 1);
    let child = node.children!.get(segment);
    const isLeaf = depth === DENY_PATH.length - 1;
    if (!child || child.deleted || (isLeaf ? !Array.isArray(child.value) : !child.children)) {
      child = isLeaf
        ? {
            path,
            value: [],
            origin: rule,
            overridden: child ? [child.origin, ...child.overridden] : [],
            itemOrigins: [],
            contributors: [],
          }
        : {
            path,
            value: undefined,
            origin: rule,
            overridden: child ? [child.origin, ...child.overridden] : [],
            children: new Map(),
            contributors: [],
          };
      node.children!.set(segment, child);
    }
    node = child;
  }
  (node.value as unknown[]).push(rule.value);
  node.itemOrigins?.push(rule);
}

function nodeAtPath(root: EffectiveNode, path: readonly string[]): EffectiveNode | undefined {
  let node: EffectiveNode | undefined = root;
  for (const segment of path) node = node?.children?.get(segment);
  return node;
}

interface ServerRule {
  pattern: string;
  origin: Origin;
}

function globMatches(pattern: string, name: string): boolean {
  const regex = new RegExp(
    '^' +
      pattern
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*') +
      '$',
  );
  return regex.test(name);
}

/**
 * Server allow- and deny-lists. Each policy layer's `allowed` list narrows further (a team cannot widen the
 * org's list); `denied` lists add up. Returns the refused servers with the reason; each layer that defines a
 * refused server gets an error at that definition (a warning in base/team, whose authors set the policy).
 */
export function applyServerPolicy(
  layers: readonly ParsedLayer[],
  root: EffectiveNode,
  out: Diagnostic[],
): Map<string, string> {
  const allowLists: { layer: ParsedLayer; rules: ServerRule[]; key: Origin }[] = [];
  const denied: ServerRule[] = [];
  for (const layer of layers) {
    if (!POLICY_LAYERS.includes(layer.kind)) continue;
    const servers = entryOf(entryOf(layer.root, 'policy')?.value, 'servers')?.value;
    const rulesOf = (key: string) => {
      const list = entryOf(servers, key);
      if (list?.value.type !== 'array') return undefined;
      const rules = list.value.items.flatMap((item) =>
        item.type === 'scalar' && typeof item.value === 'string'
          ? [{ pattern: item.value, origin: originOf(layer, item) }]
          : [],
      );
      return { rules, key: { ...originOf(layer, list.value), keyRange: list.keyRange } };
    };
    const allowed = rulesOf('allowed');
    if (allowed) allowLists.push({ layer, ...allowed });
    denied.push(...(rulesOf('denied')?.rules ?? []));
  }
  const blocked = new Map<string, string>();
  const servers = root.children?.get('mcpServers');
  for (const [name, server] of servers?.children ?? []) {
    if (server.deleted) continue;
    const deniedBy = denied.find((rule) => globMatches(rule.pattern, name));
    const notAllowedBy = deniedBy
      ? undefined
      : allowLists.find((list) => !list.rules.some((rule) => globMatches(rule.pattern, name)));
    const culprit = deniedBy?.origin ?? notAllowedBy?.key;
    if (!culprit) continue;
    const reason = deniedBy
      ? `Server '${name}' is denied by ${describeOrigin(deniedBy.origin)}.`
      : `Server '${name}' is not in the allowed servers of ${describeOrigin(notAllowedBy!.key)}.`;
    blocked.set(name, reason);
    for (const definition of [server.origin, ...(server.contributors ?? [])]) {
      const byPolicyAuthor = POLICY_LAYERS.includes(definition.kind);
      out.push({
        file: definition.file,
        range: definition.keyRange,
        severity: byPolicyAuthor ? 'warning' : 'error',
        code: deniedBy ? DiagnosticCode.policyServerDenied : DiagnosticCode.policyServerNotAllowed,
        message: `${reason} It will not be written or started.`,
        related: [
          {
            file: culprit.file,
            range: culprit.keyRange,
            message: deniedBy ? 'denied here' : 'allowed servers listed here',
          },
        ],
      });
    }
  }
  return blocked;
}

export type { MapNode };
