/**
 * Wording shared by hover, code lenses and the explain request, so that the editor and the sidebar tell the same
 * story about where a value came from.
 */
import type { EffectiveNode, Origin } from '@claude-env/engine';
import { mergeStrategyAt, originPlace, originText } from '@claude-env/engine';
import { pathToUri } from './documents';
import { maskIfSecretLike } from './secretMask';

const MAX_VALUE_LENGTH = 120;

/** A value as one line of code: strings bare, everything else as JSON, long values cut. */
export function formatValue(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

/** `file:line` (one-based) relative to the workspace, or the variable's name for the environment layer. */
export function formatLocation(origin: Origin, workspace?: string): string {
  return originPlace(originText(origin, { folder: workspace }));
}

/** A markdown link to the origin's line. */
export function linkToOrigin(origin: Origin, workspace?: string): string {
  const uri = pathToUri(origin.file);
  const label = formatLocation(origin, workspace);
  if (!uri) return label;
  return `[${label}](${uri}#L${origin.keyRange.start.line + 1})`;
}

/** Inline code that survives backticks in the value. */
export function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text.replace(/\n/g, ' ')}${fence}`;
}

/** Plain-text explanation of an effective node: who set it, where, and what it replaced (credentials masked). */
export function explainNode(node: EffectiveNode, workspace?: string): string {
  const lines = [
    `${node.path.join('.')} = ${formatValue(maskIfSecretLike(node.path, node.value))}`,
    `  set by ${node.origin.label} at ${formatLocation(node.origin, workspace)}`,
  ];
  for (const previous of node.overridden) {
    lines.push(
      `  overrides ${formatValue(maskIfSecretLike(node.path, previous.value))} from ${previous.label} ` +
        `at ${formatLocation(previous, workspace)}`,
    );
  }
  if (node.itemOrigins && node.itemOrigins.length > 0 && mergeStrategyAt(node.path) === 'union') {
    lines.push(`  items merged from ${summariseItemOrigins(node.itemOrigins)}`);
  }
  return lines.join('\n');
}

/** `base (3), team web (1)`: how many union-array items each layer contributed. */
export function summariseItemOrigins(origins: readonly Origin[]): string {
  const counts = new Map<string, number>();
  for (const origin of origins) counts.set(origin.label, (counts.get(origin.label) ?? 0) + 1);
  return [...counts].map(([label, count]) => `${label} (${count})`).join(', ');
}
