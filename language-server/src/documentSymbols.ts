/** The outline: one symbol per key, nested like the file, with scalar values as details. */
import { SymbolKind, type DocumentSymbol, type DocumentSymbolParams } from 'vscode-languageserver/node';
import type { MapEntry, SourceNode } from '@claude-env/engine';
import { formatValue } from './describe';
import { layerDocument, type FeatureContext } from './featureContext';
import { maskIfSecretLike } from './secretMask';

export async function documentSymbols(
  context: FeatureContext,
  params: DocumentSymbolParams,
): Promise<DocumentSymbol[]> {
  const target = await layerDocument(context, params.textDocument.uri);
  if (!target?.layer.root) return [];
  return target.layer.root.entries.map((entry) => symbolOf(entry, [entry.key]));
}

function symbolOf(entry: MapEntry, path: string[]): DocumentSymbol {
  const value = entry.value;
  const symbol: DocumentSymbol = {
    name: entry.key,
    kind: kindOf(value, path),
    range: { start: entry.keyRange.start, end: value.range.end },
    selectionRange: entry.keyRange,
  };
  if (value.type === 'map') symbol.children = value.entries.map((child) => symbolOf(child, [...path, child.key]));
  else if (value.type === 'array') symbol.detail = `${value.items.length} item${value.items.length === 1 ? '' : 's'}`;
  else symbol.detail = formatValue(maskIfSecretLike(path, value.value));
  return symbol;
}

function kindOf(node: SourceNode, path: readonly string[]): SymbolKind {
  // A server entry is the unit people look for in the outline.
  if (path.length === 2 && path[0] === 'mcpServers') return SymbolKind.Module;
  if (node.type === 'map') return SymbolKind.Object;
  if (node.type === 'array') return SymbolKind.Array;
  if (typeof node.value === 'number') return SymbolKind.Number;
  if (typeof node.value === 'boolean') return SymbolKind.Boolean;
  if (node.value === null) return SymbolKind.Null;
  return SymbolKind.String;
}
