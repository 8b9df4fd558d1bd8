import { nodeAt } from './merge';
import { isDirective } from './directives';
import type { EffectiveEnvironment, EffectiveNode, MapEntry, ParsedLayer, SourceNode } from './types';

/** The effective node at a key path (`['settings', 'model']`), including deleted keys (marked `deleted`). */
export function effectiveNodeAt(env: EffectiveEnvironment, path: readonly string[]): EffectiveNode | undefined {
  return nodeAt(env.tree, path);
}

/**
 * The effective node for a dotted path such as `settings.permissions.deny` or `mcpServers.my.server.env`:
 * keys may contain dots, so at each level the longest key that matches wins.
 */
export function explainPath(env: EffectiveEnvironment, dotted: string): EffectiveNode | undefined {
  let node: EffectiveNode | undefined = env.tree;
  let rest = dotted.trim();
  while (node && rest !== '') {
    const keys: string[] = [...(node.children?.keys() ?? [])].sort((a, b) => b.length - a.length);
    const key: string | undefined = keys.find((k) => rest === k || rest.startsWith(k + '.'));
    if (key === undefined) {
      const index = /^(\d+)(?:\.|$)/.exec(rest);
      return index && Array.isArray(node.value) && node.itemOrigins ? itemNode(node, Number(index[1])) : undefined;
    }
    node = node.children!.get(key);
    rest = rest.slice(key.length + 1);
  }
  return node;
}

function itemNode(node: EffectiveNode, index: number): EffectiveNode | undefined {
  const origin = node.itemOrigins?.[index];
  if (!origin) return undefined;
  return { path: [...node.path, String(index)], value: (node.value as unknown[])[index], origin, overridden: [] };
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
