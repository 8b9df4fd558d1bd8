import { containsPosition } from './lineIndex';
import type { MapEntry, ParsedLayer, Position, SourceNode } from './types';

/** What sits at a position in a layer file. */
export interface Located {
  /** Key path from the file's root (array items as their index). */
  path: string[];
  /** The innermost node at the position (the entry's value when on a key). */
  node: SourceNode;
  /** True when the position is on a key rather than its value. */
  onKey: boolean;
  /** The entry whose key or value holds the position. */
  entry?: MapEntry;
}

/** The innermost key or value at `position`, or the root map when the position is between entries. */
export function locate(layer: ParsedLayer, position: Position): Located | undefined {
  if (!layer.root) return undefined;
  let located: Located = { path: [], node: layer.root, onKey: false };
  let node: SourceNode = layer.root;
  for (;;) {
    let next: { key: string; entry?: MapEntry; child: SourceNode; onKey: boolean } | undefined;
    if (node.type === 'map') {
      for (const entry of node.entries) {
        if (containsPosition(entry.keyRange, position)) {
          next = { key: entry.key, entry, child: entry.value, onKey: true };
          break;
        }
        if (containsPosition(entry.value.range, position)) {
          next = { key: entry.key, entry, child: entry.value, onKey: false };
          break;
        }
      }
    } else if (node.type === 'array') {
      const index = node.items.findIndex((item) => containsPosition(item.range, position));
      if (index >= 0) next = { key: String(index), child: node.items[index], onKey: false };
    }
    if (!next) return located;
    located = {
      path: [...located.path, next.key],
      node: next.child,
      onKey: next.onKey,
      entry: next.entry ?? located.entry,
    };
    if (next.onKey) return located;
    node = next.child;
  }
}
