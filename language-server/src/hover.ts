/**
 * Hover on a key or value: the effective value, the layer and `file:line` that set it, what it overrode, and the
 * schema's description. Values are shown as written in the layers, so a secret appears only as its reference.
 */
import type { Hover, HoverParams } from 'vscode-languageserver/node';
import { MarkupKind } from 'vscode-languageserver/node';
import type { EffectiveNode, Origin } from '@claude-env/engine';
import { explainPath, locate } from '@claude-env/engine';
import { mergeStrategyAt, schemaAt } from '@claude-env/engine';
import { code, formatValue, linkToOrigin, summariseItemOrigins } from './describe';
import { bold, markdownText } from './markdown';
import { layerDocument, type FeatureContext } from './featureContext';
import { effectiveAt, isPolicyPath, lockedOrServerPath } from './paths';
import { maskIfSecretLike } from './secretMask';

export async function hover(context: FeatureContext, params: HoverParams): Promise<Hover | null> {
  const target = await layerDocument(context, params.textDocument.uri);
  if (!target) return null;
  const located = locate(target.layer, params.position);
  if (!located || located.path.length === 0) return null;
  const path = located.path;
  const sections: string[] = [`**${code(path.join('.'))}**`];

  const description = schemaAt(path)?.description;
  if (description) sections.push(description);

  if (target.model && isPolicyPath(path) && located.node.type === 'scalar' && typeof located.node.value === 'string') {
    // A lock or a server rule names a path elsewhere: say what it currently holds.
    const named = lockedOrServerPath(path, located.node.value);
    const node = named ? explainPath(target.model.env, named) : undefined;
    if (node)
      sections.push(
        `Applies to ${code(named as string)}: ` +
          `${code(formatValue(maskIfSecretLike(node.path, node.value)))}, set by ${bold(node.origin.label)} ` +
          `at ${linkToOrigin(node.origin, target.model.folder)}`,
      );
  }

  if (target.model) {
    const workspace = target.model.folder;
    const found = effectiveAt(target.model.env.tree, path, located.node);
    if (found) sections.push(describeEffective(found.node, found.item, target.file, path, workspace));
    else if (path[0] === 'settings' || path[0] === 'mcpServers') {
      sections.push('Not in the effective environment (removed by a higher layer, or refused by policy).');
    }
  }
  return {
    contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n') },
    range: located.onKey && located.entry ? located.entry.keyRange : located.node.range,
  };
}

function describeEffective(
  node: EffectiveNode,
  item: { index: number; origin: Origin } | undefined,
  file: string,
  path: readonly string[],
  workspace: string,
): string {
  const lines: string[] = [];
  if (item) {
    lines.push(`Item contributed by ${bold(item.origin.label)} at ${linkToOrigin(item.origin, workspace)}`);
    return lines.join('\n\n');
  }
  if (node.deleted) {
    lines.push(
      `Deleted by ${bold(node.origin.label)} at ${linkToOrigin(node.origin, workspace)}: no layer's value applies.`,
    );
    return lines.join('\n\n');
  }
  const isMap = node.children !== undefined;
  if (isMap) {
    // A map has no single author: every layer that wrote keys under it merged into it.
    const writers = [node.origin, ...(node.contributors ?? [])];
    const labels = [...new Set(writers.map((origin) => `${bold(origin.label)}`))];
    lines.push(`Merged from ${labels.join(', ')}`);
    return lines.join('\n\n');
  }
  lines.push(`Effective value: ${code(formatValue(maskIfSecretLike(path, node.value)))}`);
  lines.push(`Set by ${bold(node.origin.label)} at ${linkToOrigin(node.origin, workspace)}`);
  const unioned = Array.isArray(node.value) && mergeStrategyAt(path) === 'union';
  if (node.origin.file !== file && !unioned) {
    lines.push(`_The value in this file is overridden._`);
  }
  if (unioned && node.itemOrigins && node.itemOrigins.length > 0) {
    lines.push(`Items merged from ${markdownText(summariseItemOrigins(node.itemOrigins))}`);
  }
  for (const previous of node.overridden) {
    lines.push(
      `Overrides ${code(formatValue(maskIfSecretLike(path, previous.value)))} from ` +
        `${bold(previous.label)} at ${linkToOrigin(previous, workspace)}`,
    );
  }
  return lines.join('\n\n');
}
