import { Document, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Node as YamlNode } from 'yaml';
import type { ImportedLayer } from './importer';

const TO_STRING = { lineWidth: 0, indentSeq: true, flowCollectionPadding: false } as const;

/** Writes an imported layer as YAML, the way a person would: `args` on one line, a blank line between sections. */
export function layerToYaml(layer: ImportedLayer, header: string[]): string {
  const doc = new Document(layer);
  doc.commentBefore = header.map((line) => ` ${line}`).join('\n');
  tidy(doc);
  return doc.toString(TO_STRING);
}

export interface MergedLayerText {
  text: string;
  /** Dotted paths whose previous value was replaced. */
  replaced: string[];
  /** Set when the existing file is not YAML we can edit; nothing was merged. */
  error?: string;
}

/**
 * Adds imported keys to an existing layer file without touching anything else in it (comments, order, other
 * keys). A settings key or server that already exists is replaced as a whole and reported.
 */
export function mergeIntoLayerText(existing: string, layer: ImportedLayer): MergedLayerText {
  const doc = parseDocument(existing);
  if (doc.errors.length > 0) {
    return { text: existing, replaced: [], error: doc.errors[0]?.message ?? 'invalid YAML' };
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    return { text: existing, replaced: [], error: 'the file is not a map of keys' };
  }
  // An empty file becomes a layer with just the format version, then gets the imported keys.
  if (doc.contents === null) (doc as Document).contents = doc.createNode({ version: 1 });
  const replaced: string[] = [];
  const sections: [string, Record<string, unknown> | undefined][] = [
    ['settings', layer.settings],
    ['mcpServers', layer.mcpServers],
    ['outputs', layer.outputs],
  ];
  for (const [section, values] of sections) {
    if (!values) continue;
    const current = doc.get(section);
    if (current !== undefined && current !== null && !isMap(current)) {
      return { text: existing, replaced: [], error: `"${section}" in the existing file is not a map` };
    }
    for (const [key, value] of Object.entries(values)) {
      if (doc.hasIn([section, key])) replaced.push(`${section}.${key}`);
      doc.setIn([section, key], doc.createNode(value));
    }
  }
  tidy(doc);
  return { text: doc.toString(TO_STRING), replaced };
}

function tidy(doc: Document): void {
  visit(doc, {
    Pair(_key, pair) {
      // Arguments read best as one line, like a command line.
      if (
        isScalar(pair.key) &&
        pair.key.value === 'args' &&
        isSeq(pair.value) &&
        pair.value.items.every((item) => isScalar(item))
      ) {
        pair.value.flow = true;
      }
    },
  });
  if (isMap(doc.contents)) {
    doc.contents.items.forEach((pair, index) => {
      if (index > 0 && isPair(pair) && isScalar(pair.key) && isMap(pair.value as YamlNode)) {
        pair.key.spaceBefore = true;
      }
    });
  }
}
