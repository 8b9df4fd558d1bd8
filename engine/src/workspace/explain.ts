import { resolveDottedPath, type PathMiss } from '../provenance';
import type { EffectiveEnvironment, EffectiveNode, Origin } from '../types';

/** Sections of the effective environment, offered when nothing closer to a missing path exists. */
const SECTIONS = ['settings', 'mcpServers', 'outputs'];

/** One item of a list unioned across layers, with the layer that contributed it. */
export interface ExplainedItem {
  value: unknown;
  origin: Origin;
}

/** The effective value at a dotted path and every layer that wrote it. */
export interface FoundExplanation {
  found: true;
  /** The dotted path as asked (trimmed). */
  path: string;
  /** The keys it resolved to (keys may contain dots, so this is not `path.split('.')`). */
  keys: string[];
  /** The winning write is a `$delete`. */
  deleted: boolean;
  /** The effective value; undefined when deleted. */
  value: unknown;
  winner: Origin;
  /** Writes the winner overrode, highest layer first. */
  overridden: Origin[];
  /** Layers merged into a map or list without winning it. */
  contributors: Origin[];
  /** For a list unioned across layers: each item with its origin. */
  items?: ExplainedItem[];
  /** The effective node itself, for callers that render its subtree. */
  node: EffectiveNode;
}

/** No value at the path. `nearby` lists what exists under its deepest existing prefix (or the sections). */
export interface MissingExplanation {
  found: false;
  path: string;
  nearby: string[];
  /** Where the path stops: the deepest value it reaches (a key path, not the root) and what that value lacks. */
  stop?: { keys: string[]; origin: Origin; missing: string; reason: PathMiss['reason']; value: unknown };
}

export type Explanation = FoundExplanation | MissingExplanation;

function live(node: EffectiveNode | undefined): node is EffectiveNode {
  return node !== undefined && node.deleted !== true;
}

/** Every dotted path of the effective environment that holds a value, parents before children. */
export function effectivePaths(environment: EffectiveEnvironment): string[] {
  const paths: string[] = [];
  const visit = (node: EffectiveNode): void => {
    if (!live(node)) return;
    if (node.path.length > 0) paths.push(node.path.join('.'));
    for (const child of node.children?.values() ?? []) visit(child);
  };
  visit(environment.tree);
  return paths;
}

/** What the deepest existing prefix of `wanted` holds, at most eight paths; else the sections. */
function nearbyPaths(paths: readonly string[], wanted: string): string[] {
  const segments = wanted.split('.');
  for (let length = segments.length - 1; length > 0; length--) {
    const prefix = segments.slice(0, length).join('.');
    const under = paths.filter((path) => path.startsWith(`${prefix}.`) && !path.slice(prefix.length + 1).includes('.'));
    if (under.length > 0) return under.slice(0, 8);
  }
  return SECTIONS.filter((path) => paths.includes(path));
}

/**
 * Explains one dotted path (`settings.model`, `mcpServers.context7.args`, `settings.permissions.deny.0`): the
 * winning value and every write, winner first. A path without a value is a `found: false` explanation, not an
 * error, so each caller words it its own way.
 */
export function explainSetting(environment: EffectiveEnvironment, dottedPath: string): Explanation {
  const path = dottedPath.trim();
  const resolved = path === '' ? undefined : resolveDottedPath(environment, path);
  if (!resolved || 'missing' in resolved || resolved.path.length === 0) {
    const missing: MissingExplanation = { found: false, path, nearby: nearbyPaths(effectivePaths(environment), path) };
    if (resolved && 'missing' in resolved && resolved.deepest.path.length > 0) {
      const { deepest, missing: rest, reason } = resolved;
      missing.stop = { keys: deepest.path, origin: deepest.origin, missing: rest, reason, value: deepest.value };
    }
    return missing;
  }
  const node = resolved;
  const explanation: FoundExplanation = {
    found: true,
    path,
    keys: node.path,
    deleted: node.deleted === true,
    value: node.deleted ? undefined : node.value,
    winner: node.origin,
    overridden: node.overridden,
    contributors: node.contributors ?? [],
    node,
  };
  if (node.itemOrigins)
    explanation.items = node.itemOrigins.map((origin, index) => ({ value: (node.value as unknown[])[index], origin }));
  return explanation;
}
