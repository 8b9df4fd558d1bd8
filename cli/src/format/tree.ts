import { setOwn, type EffectiveEnvironment, type EffectiveNode } from '@claude-env/engine';
import type { Palette } from './colour';
import { formatScalar, inlineArray, originToJson, plainLines, provenanceNote } from './origin';

export interface TreeOptions {
  cwd: string;
  explain: boolean;
  colour: Palette;
}

interface Line {
  text: string;
  note?: string;
}

/** Sections of the effective environment, in the order a reader expects them. */
const SECTIONS = ['settings', 'mcpServers', 'outputs'];

function live(node: EffectiveNode | undefined): node is EffectiveNode {
  return node !== undefined && node.deleted !== true;
}

function isMapNode(node: EffectiveNode): boolean {
  return node.children !== undefined;
}

/**
 * The effective environment as an indented, YAML-like tree. With `explain`, every leaf (and every item of a
 * unioned list) carries a note saying which layer and line set it and what it overrode.
 */
export function renderTree(environment: EffectiveEnvironment, options: TreeOptions): string {
  const lines: Line[] = [];
  const blocked = new Map(
    environment.servers.filter((s) => s.blockedReason).map((s) => [s.name, s.blockedReason as string]),
  );
  const children = environment.tree.children ?? new Map<string, EffectiveNode>();
  for (const section of SECTIONS) {
    const node = children.get(section);
    if (live(node)) renderNode(section, node, 0, lines, options, blocked);
    // An empty environment still says so, rather than printing nothing.
    else if (section !== 'outputs') lines.push({ text: `${section}: {}` });
  }
  return layout(lines, options.colour);
}

function renderNode(
  key: string,
  node: EffectiveNode,
  depth: number,
  lines: Line[],
  options: TreeOptions,
  blocked: Map<string, string>,
): void {
  const indent = '  '.repeat(depth);
  const label = formatKey(key);
  const note = options.explain ? provenanceNote(node.origin, node.overridden, options.cwd) : undefined;
  if (isMapNode(node)) {
    const entries = [...(node.children ?? new Map<string, EffectiveNode>()).entries()].filter(([, child]) =>
      live(child),
    );
    const blockedReason = node.path.length === 2 && node.path[0] === 'mcpServers' ? blocked.get(key) : undefined;
    const suffix = blockedReason ? `  # blocked: ${blockedReason}` : '';
    if (entries.length === 0) {
      lines.push({ text: `${indent}${label}: {}${suffix}`, note });
      return;
    }
    lines.push({ text: `${indent}${label}:${suffix}`, note: blockedReason ? note : undefined });
    for (const [childKey, child] of entries) renderNode(childKey, child, depth + 1, lines, options, blocked);
    return;
  }
  if (Array.isArray(node.value)) {
    renderArray(label, node, indent, lines, options, note);
    return;
  }
  if (node.value !== null && typeof node.value === 'object') {
    // A map stored as one value (e.g. a `$replace`d map): one note for the whole of it.
    lines.push({ text: `${indent}${label}:`, note });
    for (const text of plainLines(node.value, `${indent}  `)) lines.push({ text });
    return;
  }
  lines.push({ text: `${indent}${label}: ${formatScalar(node.value)}`, note });
}

function renderArray(
  label: string,
  node: EffectiveNode,
  indent: string,
  lines: Line[],
  options: TreeOptions,
  note: string | undefined,
): void {
  const items = node.value as unknown[];
  if (items.length === 0) {
    lines.push({ text: `${indent}${label}: []`, note });
    return;
  }
  // A list unioned from several files has an origin per item: each item gets its own line and note.
  const fromOneFile = (node.itemOrigins ?? []).every((origin) => origin.file === node.origin.file);
  if (node.itemOrigins && node.itemOrigins.length === items.length && !fromOneFile) {
    lines.push({ text: `${indent}${label}:` });
    items.forEach((item, index) => {
      const origin = node.itemOrigins?.[index];
      const [first = '', ...rest] = plainLines([item], `${indent}  `);
      lines.push({
        text: first,
        note: options.explain && origin ? provenanceNote(origin, [], options.cwd) : undefined,
      });
      for (const text of rest) lines.push({ text });
    });
    return;
  }
  const inline = inlineArray(items);
  if (inline !== undefined) {
    lines.push({ text: `${indent}${label}: ${inline}`, note });
    return;
  }
  lines.push({ text: `${indent}${label}:`, note });
  for (const text of plainLines(items, `${indent}  `)) lines.push({ text });
}

function formatKey(key: string): string {
  return /^[A-Za-z0-9_.@/-]+$/.test(key) ? key : JSON.stringify(key);
}

/** Lines with notes aligned in one column (capped, so a long value does not push every note off screen). */
function layout(lines: Line[], colour: Palette): string {
  const noted = lines.filter((line) => line.note !== undefined);
  const column = Math.min(56, Math.max(0, ...noted.map((line) => line.text.length)));
  return lines
    .map((line) => (line.note === undefined ? line.text : `${line.text.padEnd(column)}  ${colour.dim(line.note)}`))
    .map((line) => `${line}\n`)
    .join('');
}

/** One node and everything under it, as `show` prints it (used by `explain` for maps). */
export function renderSubtree(key: string, node: EffectiveNode, options: TreeOptions): string {
  const lines: Line[] = [];
  renderNode(key, node, 0, lines, options, new Map());
  return layout(lines, options.colour);
}

/** Flat provenance for `show --json --explain`: one entry per effective leaf, keyed by dotted path. */
export function provenanceToJson(environment: EffectiveEnvironment, cwd: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const visit = (node: EffectiveNode): void => {
    if (!live(node)) return;
    if (node.children) {
      for (const child of node.children.values()) visit(child);
      if (node.path.length > 0 && node.children.size > 0) return;
    }
    if (node.path.length === 0) return;
    const entry: Record<string, unknown> = {
      value: node.value,
      origin: originToJson(node.origin, cwd),
      overridden: node.overridden.map((origin) => originToJson(origin, cwd)),
    };
    if (node.itemOrigins)
      entry.items = node.itemOrigins.map((origin, index) => ({
        value: (node.value as unknown[])[index],
        origin: originToJson(origin, cwd),
      }));
    setOwn(result, node.path.join('.'), entry);
  };
  visit(environment.tree);
  return result;
}
