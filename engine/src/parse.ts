import { isAlias, isMap, isScalar, isSeq, type Document, type Node as YamlNode } from 'yaml';
import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { LineIndex, ZERO_RANGE } from './lineIndex';
import {
  checkJsonLimits,
  composeYamlWithinLimits,
  MAX_LAYER_BYTES,
  MAX_NESTING_DEPTH,
  tooDeep,
  unrepresentableNumber,
} from './limits';
import { validateLayerSchema } from './schema';
import type { Diagnostic, LayerKind, MapEntry, ParsedLayer, Range, SourceNode } from './types';
import { DiagnosticCode, type DiagnosticCodeValue } from './diagnosticCodes';

export { MAX_LAYER_BYTES } from './limits';
/** Nodes that YAML aliases may expand to before the file is treated as an alias bomb. */
const ALIAS_EXPANSION_BUDGET = 10_000;

/**
 * Parses one layer file (YAML or JSON, chosen by extension) into a ranged tree and validates it against the
 * layer schema. Never throws on bad input: every problem becomes a diagnostic at the right range.
 */
export function parseLayer(file: string, rawText: string, kind: LayerKind, label: string): ParsedLayer {
  const format: 'yaml' | 'json' = /\.json$/i.test(file) ? 'json' : 'yaml';
  // Editors hide a byte-order mark and so do we: positions are counted after it.
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  const layer: ParsedLayer = { kind, label, file, format, text, root: undefined, diagnostics: [] };
  const report = (
    range: Range,
    code: DiagnosticCodeValue,
    message: string,
    severity: Diagnostic['severity'] = 'error',
  ) => layer.diagnostics.push({ file, range, severity, code, message });

  if (text.length > MAX_LAYER_BYTES) {
    report(
      ZERO_RANGE,
      DiagnosticCode.syntaxTooLarge,
      `This file is ${(text.length / 1048576).toFixed(1)} MB; layer files are limited to ${MAX_LAYER_BYTES / 1048576} MB.`,
    );
    return layer;
  }
  if (text.slice(0, 8192).includes('\u0000')) {
    report(ZERO_RANGE, DiagnosticCode.syntaxBinary, 'This is not a text file: layer files are YAML or JSON.');
    return layer;
  }
  const lines = new LineIndex(text);
  const root = format === 'json' ? parseJson(text, lines, report) : parseYaml(text, lines, report);
  if (root === undefined) return layer;
  if (root.type !== 'map') {
    report(
      root.range,
      DiagnosticCode.schemaType,
      'A layer file must be a map of keys such as `settings` and `mcpServers`.',
    );
    return layer;
  }
  layer.root = root;
  // A loop, not push(...): a file can hold tens of thousands of findings, more than a call takes arguments.
  for (const diagnostic of validateLayerSchema(file, root)) layer.diagnostics.push(diagnostic);
  return layer;
}

type Reporter = (range: Range, code: DiagnosticCodeValue, message: string, severity?: Diagnostic['severity']) => void;

function parseYaml(text: string, lines: LineIndex, report: Reporter): SourceNode | undefined {
  let doc: Document.Parsed;
  try {
    const composed = composeYamlWithinLimits(text, { uniqueKeys: false, strict: true, keepSourceTokens: false });
    if (composed.breach) {
      const { offset, code, message } = composed.breach;
      report(lines.rangeOf(offset, offset + 1), code, message);
      return undefined;
    }
    doc = composed.doc;
  } catch (error) {
    report(ZERO_RANGE, DiagnosticCode.syntaxInvalid, `The YAML parser failed: ${(error as Error).message}`);
    return undefined;
  }
  for (const error of doc.errors) {
    report(lines.rangeOf(error.pos[0], error.pos[1]), DiagnosticCode.syntaxInvalid, firstLine(error.message));
  }
  if (doc.errors.length > 0 || doc.contents === null) return undefined;
  let aliasBudget = ALIAS_EXPANSION_BUDGET;
  let aliasBombReported = false;
  let tooDeepReported = false;

  const build = (node: YamlNode | null | undefined, fallback: Range, viaAlias: boolean, depth: number): SourceNode => {
    // Aliases can nest an anchor inside itself level by level, so depth is checked on the expanded tree too.
    if (depth > MAX_NESTING_DEPTH) {
      if (!tooDeepReported) {
        tooDeepReported = true;
        report(fallback, DiagnosticCode.syntaxTooDeep, tooDeep(0).message);
      }
      return { type: 'scalar', value: null, range: fallback };
    }
    if (viaAlias && --aliasBudget < 0) {
      if (!aliasBombReported) {
        aliasBombReported = true;
        report(
          fallback,
          DiagnosticCode.syntaxAliasLimit,
          `YAML aliases expand to more than ${ALIAS_EXPANSION_BUDGET} nodes; expansion stopped here.`,
        );
      }
      return { type: 'scalar', value: null, range: fallback };
    }
    if (node === null || node === undefined) return { type: 'scalar', value: null, range: fallback };
    const range = node.range ? lines.rangeOf(node.range[0], node.range[1]) : fallback;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) {
        report(range, DiagnosticCode.syntaxInvalid, `Unknown alias *${node.source}.`);
        return { type: 'scalar', value: null, range };
      }
      const expanded = build(target as YamlNode, range, true, depth);
      return { ...expanded, range };
    }
    if (isScalar(node)) {
      const value = node.value;
      if (typeof value === 'number') return numberNode(value, range, report);
      if (value === null || typeof value === 'string' || typeof value === 'boolean') {
        return { type: 'scalar', value, range };
      }
      return { type: 'scalar', value: String(value), range };
    }
    if (isSeq(node)) {
      return {
        type: 'array',
        items: node.items.map((item) => build(item as YamlNode, range, viaAlias, depth + 1)),
        range,
      };
    }
    if (isMap(node)) {
      const entries: MapEntry[] = [];
      const merged: MapEntry[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        const keyRange = keyNode?.range ? lines.rangeOf(keyNode.range[0], keyNode.range[1]) : range;
        if (!isScalar(keyNode)) {
          report(keyRange, DiagnosticCode.syntaxComplexKey, 'Keys must be plain strings.');
          continue;
        }
        const key = String(keyNode.value);
        const valueFallback: Range = { start: keyRange.end, end: keyRange.end };
        const value = build(pair.value as YamlNode | null, valueFallback, viaAlias, depth + 1);
        if (key === '<<') {
          mergeKeyEntries(merged, value, keyRange, report);
          continue;
        }
        entries.push({ key, keyRange, value });
      }
      const own = checkDuplicates(entries, report);
      // Keys the map sets itself win over merged ones, wherever the `<<` stands.
      for (const entry of merged) if (!own.some((e) => e.key === entry.key)) own.push(entry);
      return { type: 'map', entries: own, range };
    }
    return { type: 'scalar', value: null, range };
  };
  return build(doc.contents as YamlNode, ZERO_RANGE, false, 0);
}

/** A number as a scalar node; one JSON cannot hold (`.inf`, `.nan`, `1e400`) is reported at its line. */
function numberNode(value: number, range: Range, report: Reporter): SourceNode {
  const problem = unrepresentableNumber(value);
  if (problem)
    report(range, DiagnosticCode.syntaxNumber, `${problem}; write a finite number, or quote it to keep it as text.`);
  return { type: 'scalar', value, range };
}

/** YAML merge keys (`<<: *defaults`): entries of the merged maps that the map does not set itself. */
function mergeKeyEntries(entries: MapEntry[], value: SourceNode, keyRange: Range, report: Reporter): void {
  const sources = value.type === 'array' ? value.items : [value];
  for (const source of sources) {
    if (source.type !== 'map') {
      report(keyRange, DiagnosticCode.syntaxInvalid, 'A merge key (<<) takes a map or a list of maps.');
      continue;
    }
    for (const entry of source.entries) if (!entries.some((e) => e.key === entry.key)) entries.push(entry);
  }
}

function checkDuplicates(entries: MapEntry[], report: Reporter): MapEntry[] {
  if (entries.length < 2) return entries;
  const seen = new Map<string, MapEntry>();
  const unique: MapEntry[] = [];
  for (const entry of entries) {
    const first = seen.get(entry.key);
    if (first) {
      report(
        entry.keyRange,
        DiagnosticCode.syntaxDuplicateKey,
        `Duplicate key '${entry.key}' (first defined on line ${first.keyRange.start.line + 1}); the later value is ignored.`,
      );
      continue;
    }
    seen.set(entry.key, entry);
    unique.push(entry);
  }
  return unique;
}

function parseJson(text: string, lines: LineIndex, report: Reporter): SourceNode | undefined {
  if (text.trim() === '') return undefined;
  // jsonc-parser's tree builder recurses once per level, so depth and size are checked by its scanner first.
  const breach = checkJsonLimits(text);
  if (breach) {
    report(lines.rangeOf(breach.offset, breach.offset + 1), breach.code, breach.message);
    return undefined;
  }
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  for (const error of errors) {
    report(
      lines.rangeOf(error.offset, error.offset + error.length),
      DiagnosticCode.syntaxInvalid,
      describeJsonError(printParseErrorCode(error.error)),
    );
  }
  if (errors.length > 0 || !tree) return undefined;
  const build = (node: JsonNode): SourceNode => {
    const range = lines.rangeOf(node.offset, node.offset + node.length);
    switch (node.type) {
      case 'object': {
        const entries: MapEntry[] = [];
        for (const property of node.children ?? []) {
          const [keyNode, valueNode] = property.children ?? [];
          if (!keyNode) continue;
          const keyRange = lines.rangeOf(keyNode.offset, keyNode.offset + keyNode.length);
          const value = valueNode ? build(valueNode) : { type: 'scalar' as const, value: null, range: keyRange };
          entries.push({ key: String(keyNode.value), keyRange, value });
        }
        return { type: 'map', entries: checkDuplicates(entries, report), range };
      }
      case 'array':
        return { type: 'array', items: (node.children ?? []).map(build), range };
      default:
        if (typeof node.value === 'number') return numberNode(node.value, range, report);
        return { type: 'scalar', value: node.value as string | number | boolean | null, range };
    }
  };
  return build(tree);
}

function describeJsonError(code: string): string {
  const readable = code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `Invalid JSON: ${readable}.`;
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
