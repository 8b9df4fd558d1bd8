import { DiagnosticCode, type DiagnosticCodeValue } from './diagnosticCodes';
import { isScalar, isMap, isSeq } from 'yaml';
import { ZERO_RANGE } from './lineIndex';
import { composeYamlWithinLimits, unrepresentableNumber } from './limits';
import { childSchema, LAYER_SCHEMA, validateLayerSchema, type SchemaNode } from './schema';
import type { Diagnostic, MapEntry, MapNode, ParsedLayer, SourceNode } from './types';

/**
 * The environment layer: `CLAUDE_ENV_SETTINGS__MODEL=opus` sets `settings.model`. Segments are separated by
 * `__` and matched case-insensitively (and `_` to `-`) against the schema's keys and the names lower layers
 * use, because environment variable names are upper-case. Values are read as YAML, so `true`, `30` and
 * `[a, b]` keep their types.
 */
const PATTERN = /^CLAUDE_ENV_(SETTINGS|MCPSERVERS|OUTPUTS)(__[A-Za-z0-9_-]+)*$/;

export function environmentLayers(
  env: Record<string, string | undefined>,
  lower: readonly ParsedLayer[],
): ParsedLayer[] {
  const layers: ParsedLayer[] = [];
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (value === undefined || !PATTERN.test(name)) continue;
    const segments = name.slice('CLAUDE_ENV_'.length).split('__');
    const path = mapSegments(segments, lower);
    const file = `env:${name}`;
    const diagnostics: Diagnostic[] = [];
    const root = nest(path, scalarFromText(value, file, diagnostics));
    const layer: ParsedLayer = {
      kind: 'env',
      label: 'environment',
      file,
      format: 'yaml',
      text: value,
      root,
      diagnostics,
    };
    for (const diagnostic of validateLayerSchema(file, root)) layer.diagnostics.push(diagnostic);
    layers.push(layer);
  }
  return layers;
}

function mapSegments(segments: string[], lower: readonly ParsedLayer[]): string[] {
  const path: string[] = [];
  let schema: SchemaNode | undefined = LAYER_SCHEMA;
  for (const segment of segments) {
    const known = [...Object.keys(schema?.properties ?? {}), ...keysUsedAt(path, lower)];
    const normal = (s: string) => s.toLowerCase().replace(/-/g, '_');
    const match = known.find((k) => normal(k) === normal(segment));
    const key = match ?? (path.length === 0 ? segment.toLowerCase() : segment);
    path.push(key);
    schema = childSchema(schema, key);
  }
  return path;
}

function keysUsedAt(path: string[], layers: readonly ParsedLayer[]): string[] {
  const keys: string[] = [];
  for (const layer of layers) {
    let node: SourceNode | undefined = layer.root;
    for (const segment of path)
      node = node?.type === 'map' ? node.entries.find((e) => e.key === segment)?.value : undefined;
    if (node?.type === 'map') keys.push(...node.entries.map((e) => e.key));
  }
  return keys;
}

function nest(path: string[], leaf: SourceNode): MapNode {
  let node: SourceNode = leaf;
  for (let i = path.length - 1; i >= 0; i--) {
    const entry: MapEntry = { key: path[i], keyRange: ZERO_RANGE, value: node };
    node = { type: 'map', entries: [entry], range: ZERO_RANGE };
  }
  return node as MapNode;
}

/**
 * The value of one variable read as YAML, within the same depth and size limits as a layer file (a variable
 * can hold 128 KB, enough for a list nested 60,000 deep). A value that breaks a limit, or holds a number JSON
 * cannot, is reported; one that is not YAML is kept as a string.
 */
function scalarFromText(text: string, file: string, out: Diagnostic[]): SourceNode {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: text.length } };
  const report = (code: DiagnosticCodeValue, message: string) =>
    out.push({ file, range, severity: 'error', code, message });
  const composed = composeYamlWithinLimits(text, { strict: true });
  if (composed.breach) {
    report(composed.breach.code, composed.breach.message);
    return { type: 'scalar', value: null, range };
  }
  const doc = composed.doc;
  if (doc.errors.length > 0) return { type: 'scalar', value: text, range };
  const toNode = (value: unknown): SourceNode => {
    if (isScalar(value)) {
      const v = value.value;
      const problem = typeof v === 'number' ? unrepresentableNumber(v) : undefined;
      if (problem)
        report(DiagnosticCode.syntaxNumber, `${problem}; set a finite number, or quote it to keep it as text.`);
      return {
        type: 'scalar',
        value: v === null || ['string', 'number', 'boolean'].includes(typeof v) ? (v as string) : String(v),
        range,
      };
    }
    if (isSeq(value)) return { type: 'array', items: value.items.map(toNode), range };
    if (isMap(value)) {
      return {
        type: 'map',
        range,
        entries: value.items.map((pair) => ({
          key: String(isScalar(pair.key) ? pair.key.value : pair.key),
          keyRange: range,
          value: toNode(pair.value),
        })),
      };
    }
    return { type: 'scalar', value: text, range };
  };
  return toNode(doc.contents);
}
