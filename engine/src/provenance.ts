import { nodeAt } from './merge';
import { isDirective } from './directives';
import type { EffectiveEnvironment, EffectiveNode, MapEntry, ParsedLayer, SourceNode } from './types';

/** The effective node at a key path (`['settings', 'model']`), including deleted keys (marked `deleted`). */
export function effectiveNodeAt(env: EffectiveEnvironment, path: readonly string[]): EffectiveNode | undefined {
  return nodeAt(env.tree, path);
}

/** Where a dotted path stops: the deepest node it reaches and the segment that node does not hold. */
export interface PathMiss {
  /** The deepest node the path reaches (the root when even its first key is missing). */
  deepest: EffectiveNode;
  /** The rest of the dotted path that nothing holds, starting with the missing key or index. */
  missing: string;
  /** Why: `noKey` (a map without that key), `noIndex` (a list index out of range), `leaf` (a scalar or list item). */
  reason: 'noKey' | 'noIndex' | 'leaf';
}

/**
 * Resolves a dotted path such as `settings.permissions.deny` or `mcpServers.my.server.env`: keys may contain
 * dots, so at each level the longest key that matches wins. Only keys the effective environment holds match (never
 * a JavaScript property such as `length` or `constructor`), and a list takes a plain decimal index within its
 * length as its last segment.
 */
export function resolveDottedPath(env: EffectiveEnvironment, dotted: string): EffectiveNode | PathMiss {
  let node: EffectiveNode = env.tree;
  let rest = dotted.trim();
  while (rest !== '') {
    if (!node.children) {
      if (!Array.isArray(node.value) || !node.itemOrigins) return { deepest: node, missing: rest, reason: 'leaf' };
      const index = /^(0|[1-9]\d*)(?:\.|$)/.exec(rest);
      const item = index ? itemNode(node, Number(index[1])) : undefined;
      if (!item) return { deepest: node, missing: rest, reason: index ? 'noIndex' : 'leaf' };
      // An item is a value, not a map: anything after its index is reported at the item.
      node = item;
      rest = rest.slice(index![1].length + 1);
      continue;
    }
    const keys: string[] = [...node.children.keys()].sort((a, b) => b.length - a.length);
    const key: string | undefined = keys.find((k) => rest === k || rest.startsWith(k + '.'));
    if (key === undefined) return { deepest: node, missing: rest, reason: 'noKey' };
    node = node.children.get(key)!;
    rest = rest.slice(key.length + 1);
  }
  return node;
}

/** The effective node for a dotted path (see `resolveDottedPath`), or undefined where the path holds nothing. */
export function explainPath(env: EffectiveEnvironment, dotted: string): EffectiveNode | undefined {
  const found = resolveDottedPath(env, dotted);
  return 'missing' in found ? undefined : found;
}

function itemNode(node: EffectiveNode, index: number): EffectiveNode | undefined {
  const values = node.value as unknown[];
  const origin = index < values.length ? node.itemOrigins?.[index] : undefined;
  if (!origin) return undefined;
  return { path: [...node.path, String(index)], value: values[index], origin, overridden: [] };
}

/** The entry a layer file writes at a key path (looking through `$replace`), if it writes one. */
export function nodeAtPath(
  layer: ParsedLayer,
  path: readonly string[],
): { entry: MapEntry; node: SourceNode } | undefined {
  let node: SourceNode | undefined = layer.root;
  let found: MapEntry | undefined;
  for (const segment of path) {
    if (node?.type === 'map' && isDirective(node) === '$replace') node = node.entries[0].value;
    if (node?.type !== 'map') return undefined;
    found = node.entries.find((e) => e.key === segment);
    if (!found) return undefined;
    node = found.value;
  }
  return found && node ? { entry: found, node } : undefined;
}
