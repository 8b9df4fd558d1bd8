/**
 * A lens above every value this file sets that a higher layer overrides: "overridden in local layer →
 * effective: …". It answers the question people could not answer before: "why is my value not used?".
 */
import type { CodeLens, CodeLensParams } from 'vscode-languageserver/node';
import type { EffectiveNode, MapNode } from '@claude-env/engine';
import { mergeStrategyAt } from '@claude-env/engine';
import { ClientCommands } from '@claude-env/protocol';
import { formatValue } from './describe';
import { lensTitle } from './markdown';
import { layerDocument, type FeatureContext } from './featureContext';
import { maskIfSecretLike } from './secretMask';

/** Lenses are for reading, not auditing: a generated file with thousands of overrides gets the first ones. */
const MAX_LENSES = 500;

export async function codeLens(context: FeatureContext, params: CodeLensParams): Promise<CodeLens[]> {
  const target = await layerDocument(context, params.textDocument.uri);
  if (!target?.model || !target.layer.root) return [];
  const lenses: CodeLens[] = [];
  const tree = target.model.env.tree;
  for (const top of target.layer.root.entries) {
    const effective = tree.children?.get(top.key);
    if (!effective || top.value.type !== 'map') continue;
    collect(top.value, effective, [top.key], target.file, params.textDocument.uri, lenses);
  }
  return lenses;
}

function collect(
  map: MapNode,
  effective: EffectiveNode,
  path: string[],
  file: string,
  uri: string,
  lenses: CodeLens[],
): void {
  for (const entry of map.entries) {
    if (lenses.length >= MAX_LENSES) return;
    const node = effective.children?.get(entry.key);
    if (!node) continue;
    const childPath = [...path, entry.key];
    if (entry.value.type === 'map' && node.children) {
      collect(entry.value, node, childPath, file, uri, lenses);
      continue;
    }
    // A union array keeps this file's items, so it is merged, not overridden.
    if (node.origin.file === file || (entry.value.type === 'array' && mergeStrategyAt(childPath) === 'union')) continue;
    if (!node.overridden.some((previous) => previous.file === file)) continue;
    const value = formatValue(maskIfSecretLike(childPath, node.value));
    const title = node.deleted
      ? `deleted in ${node.origin.label} layer`
      : `overridden in ${node.origin.label} layer → effective: ${value}`;
    lenses.push({
      range: entry.keyRange,
      command: {
        title: lensTitle(title),
        command: ClientCommands.explain,
        arguments: [uri, childPath.join('.')],
      },
    });
  }
}
