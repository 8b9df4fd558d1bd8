import { setOwn } from './ownKeys';
import type { MapNode, SourceNode } from './types';

export { setOwn } from './ownKeys';

/**
 * Merge directives: `{ $delete: true }` removes an inherited key, `{ $replace: <value> }` replaces an inherited
 * map or list wholesale instead of merging into it. Both are plain maps so they work in YAML and JSON alike.
 */
export type Directive = '$delete' | '$replace';

export function isDirective(node: MapNode): Directive | undefined {
  if (node.entries.length !== 1) return undefined;
  const key = node.entries[0].key;
  return key === '$delete' || key === '$replace' ? key : undefined;
}

const DELETED = Symbol('deleted');

/** The plain value a file describes, with directives applied to itself (what the schema validates). */
export function toPlainValue(node: SourceNode): unknown {
  const value = plain(node);
  return value === DELETED ? undefined : value;
}

function plain(node: SourceNode): unknown {
  switch (node.type) {
    case 'scalar':
      return node.value;
    case 'array':
      return node.items.map((item) => {
        const value = plain(item);
        return value === DELETED ? null : value;
      });
    case 'map': {
      const directive = isDirective(node);
      if (directive === '$delete') return DELETED;
      if (directive === '$replace') return plain(node.entries[0].value);
      const result: Record<string, unknown> = {};
      for (const entry of node.entries) {
        const value = plain(entry.value);
        if (value !== DELETED) setOwn(result, entry.key, value);
      }
      return result;
    }
  }
}

/** Plain value of a node without interpreting directives (for display of what a file wrote). */
export function literalValue(node: SourceNode): unknown {
  switch (node.type) {
    case 'scalar':
      return node.value;
    case 'array':
      return node.items.map(literalValue);
    case 'map': {
      const result: Record<string, unknown> = {};
      for (const entry of node.entries) setOwn(result, entry.key, literalValue(entry.value));
      return result;
    }
  }
}
