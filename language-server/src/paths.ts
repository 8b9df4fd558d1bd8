/** Finding the effective node for a path written in one layer file. */
import type { EffectiveNode, MapNode, Origin, Position, SourceNode } from '@claude-env/engine';

/** The effective node at `path`, or for an array item the array plus the item's own origin. */
export interface EffectiveMatch {
  node: EffectiveNode;
  item?: { index: number; origin: Origin };
}

/**
 * Walks the provenance tree along `path`. Array indexes in a layer file do not match the merged array's (a
 * union puts lower layers' items first), so an item is matched by value instead.
 */
export function effectiveAt(
  tree: EffectiveNode,
  path: readonly string[],
  itemNode?: SourceNode,
): EffectiveMatch | undefined {
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

/** An item of `policy.locked` or of `policy.servers.allowed`/`denied`. */
export function isPolicyPath(path: readonly string[]): boolean {
  return (
    path[0] === 'policy' &&
    ((path[1] === 'locked' && path.length === 3) || (path[1] === 'servers' && path.length === 4))
  );
}

/** The dotted path a `policy.locked` item names, or the server entry a `policy.servers.*` item names. */
export function lockedOrServerPath(path: readonly string[], value: string): string | undefined {
  if (path[1] === 'locked') return value;
  if (path[1] === 'servers' && !value.includes('*')) return `mcpServers.${value}`;
  return undefined;
}

/** Splits `settings.permissions.allow` into segments; brackets are not used in our dotted paths. */
export function splitDottedPath(dotted: string): string[] {
  return dotted.split('.').filter((segment) => segment.length > 0);
}

/**
 * The map a diagnostic about a missing property points at. Its range starts where the map starts, which is
 * also where its first key starts, so the innermost node there is the wrong answer: take the outermost map
 * along the way that starts exactly at `start`, else the innermost map that contains it.
 */
export function mapStartingAt(root: MapNode, start: Position): MapNode {
  let node: SourceNode = root;
  let containing: MapNode = root;
  for (;;) {
    if (node.type === 'map') {
      if (samePosition(node.range.start, start)) return node;
      containing = node;
    }
    const children: SourceNode[] =
      node.type === 'map' ? node.entries.map((entry) => entry.value) : node.type === 'array' ? node.items : [];
    const next = children.find((child) => contains(child, start));
    if (!next) return containing;
    node = next;
  }
}

function samePosition(a: Position, b: Position): boolean {
  return a.line === b.line && a.character === b.character;
}

function contains(node: SourceNode, position: Position): boolean {
  const { start, end } = node.range;
  if (position.line < start.line || position.line > end.line) return false;
  if (position.line === start.line && position.character < start.character) return false;
  return !(position.line === end.line && position.character > end.character);
}
