/** Finding the effective node for a path written in one layer file. */
import type { EffectiveNode, Origin, SourceNode } from '../engine';

/** The effective node at `path`, or for an array item the array plus the item's own origin. */
export interface EffectiveMatch {
  node: EffectiveNode;
  item?: { index: number; origin: Origin };
}

/**
 * Walks the provenance tree along `path`. Array indexes in a layer file do not match the merged array's (a
 * union puts lower layers' items first), so an item is matched by value instead.
 */
export function effectiveAt(tree: EffectiveNode, path: readonly string[], itemNode?: SourceNode): EffectiveMatch | undefined {
  let node = tree;
  for (let i = 0; i < path.length; i++) {
    const child = node.children?.get(path[i]);
    if (child) {
      node = child;
      continue;
    }
    if (Array.isArray(node.value) && /^\d+$/.test(path[i])) {
      if (!itemNode || itemNode.type !== 'scalar' || !node.itemOrigins) return { node };
      const index = node.value.findIndex((value) => value === itemNode.value);
      const origin = index >= 0 ? node.itemOrigins[index] : undefined;
      return origin ? { node, item: { index, origin } } : { node };
    }
    return undefined;
  }
  return { node };
}

/** Splits `settings.permissions.allow` into segments; brackets are not used in our dotted paths. */
export function splitDottedPath(dotted: string): string[] {
  return dotted.split('.').filter((segment) => segment.length > 0);
}
