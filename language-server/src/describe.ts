/**
 * Wording shared by hover, code lenses and the explain request, so that the editor and the sidebar tell the same
 * story about where a value came from.
 */
import type { EffectiveNode, Origin } from '@claude-env/engine';
import { escapeControl, mergeStrategyAt, originPlace, originText } from '@claude-env/engine';
import { pathToUri } from './documents';
import { inlineCode, markdownLink, markdownText } from './markdown';
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

/** A markdown link to the origin's line; the file's path and label are shown as written. */
export function linkToOrigin(origin: Origin, workspace?: string): string {
  const uri = pathToUri(origin.file);
  const label = formatLocation(origin, workspace);
  if (!uri) return markdownText(label);
  return markdownLink(label, `${uri}#L${origin.keyRange.start.line + 1}`);
}

/** Inline code that holds any value (backticks, control characters, line breaks). */
export function code(text: string): string {
  return inlineCode(text);
}

/** Plain-text explanation of an effective node: who set it, where, and what it replaced (credentials masked). */
export function explainNode(node: EffectiveNode, workspace?: string): string {
  const lines = [
    `${escapeControl(node.path.join('.'))} = ${escapeControl(formatValue(maskIfSecretLike(node.path, node.value)))}`,
    `  set by ${escapeControl(node.origin.label)} at ${escapeControl(formatLocation(node.origin, workspace))}`,
  ];
  for (const previous of node.overridden) {
    lines.push(
      `  overrides ${escapeControl(formatValue(maskIfSecretLike(node.path, previous.value)))} from ${escapeControl(previous.label)} ` +
        `at ${escapeControl(formatLocation(previous, workspace))}`,
    );
  }
  if (node.itemOrigins && node.itemOrigins.length > 0 && mergeStrategyAt(node.path) === 'union') {
    lines.push(`  items merged from ${escapeControl(summariseItemOrigins(node.itemOrigins))}`);
  }
  return lines.join('\n');
}

/** `base (3), team web (1)`: how many union-array items each layer contributed. */
export function summariseItemOrigins(origins: readonly Origin[]): string {
  const counts = new Map<string, number>();
  for (const origin of origins) counts.set(origin.label, (counts.get(origin.label) ?? 0) + 1);
  return [...counts].map(([label, count]) => `${label} (${count})`).join(', ');
}
