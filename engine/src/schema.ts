import type { ErrorObject } from 'ajv';
import layerSchema from '../../schemas/layer.schema.json';
import { layerValidator } from './layerValidator';
import { closestMatch } from './suggest';
import { isDirective, toPlainValue } from './directives';
import type { Diagnostic, MapEntry, MapNode, Range, SourceNode } from './types';
import { DiagnosticCode, type DiagnosticCodeValue } from './diagnosticCodes';

/** A JSON Schema node as the layer schema uses it (draft-07 subset plus our `x-` annotations). */
export interface SchemaNode {
  type?: string | string[];
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  oneOf?: SchemaNode[];
  required?: string[];
  $ref?: string;
  /** Array merge strategy across layers: `union` (de-duplicated, order-preserving) or `replace`. */
  'x-merge'?: 'union' | 'replace';
  /** `warn`: keys outside `properties` are kept but reported, so new Claude Code keys never break a team. */
  'x-unknown'?: 'warn';
  /** What a valid value looks like, for the message when a `oneOf` fails. */
  'x-expected'?: string;
}

export const LAYER_SCHEMA = layerSchema as unknown as SchemaNode & { definitions: Record<string, SchemaNode> };

const validator = layerValidator;

function resolveRef(schema: SchemaNode | undefined): SchemaNode | undefined {
  let current = schema;
  while (current?.$ref) {
    const name = current.$ref.replace('#/definitions/', '');
    current = LAYER_SCHEMA.definitions[name];
  }
  return current;
}

/** The child schema for one key or array index, following `$ref`, `additionalProperties`, `items` and `oneOf`. */
export function childSchema(schema: SchemaNode | undefined, segment: string): SchemaNode | undefined {
  const resolved = resolveRef(schema);
  if (!resolved) return undefined;
  if (resolved.properties?.[segment]) return resolveRef(resolved.properties[segment]);
  if (resolved.oneOf) {
    for (const alternative of resolved.oneOf) {
      const found = resolveRef(alternative)?.properties?.[segment];
      if (found) return resolveRef(found);
    }
  }
  if (typeof resolved.additionalProperties === 'object') return resolveRef(resolved.additionalProperties);
  if (resolved.items && /^\d+$/.test(segment)) return resolveRef(resolved.items);
  return undefined;
}

const schemaCache = new Map<string, SchemaNode | undefined>();
/** The schema that describes the value at `path` (keys from the file's root), or undefined where none does. */
export function schemaAt(path: readonly string[]): SchemaNode | undefined {
  const cacheKey = path.join('\u0000');
  if (schemaCache.has(cacheKey)) return schemaCache.get(cacheKey);
  let schema: SchemaNode | undefined = LAYER_SCHEMA;
  for (const segment of path) {
    schema = childSchema(schema, segment);
    if (!schema) break;
  }
  if (schemaCache.size < 10_000) schemaCache.set(cacheKey, schema);
  return schema;
}

/** How arrays at `path` merge across layers, as declared by the schema's `x-merge` (default: replace). */
export function mergeStrategyAt(path: readonly string[]): 'union' | 'replace' {
  return schemaAt(path)?.['x-merge'] ?? 'replace';
}

/** Validates one parsed layer against the layer schema; diagnostics carry the ranges a person would look at. */
export function validateLayerSchema(file: string, root: MapNode): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  checkDirectives(file, root, diagnostics);
  const validate = validator();
  if (!validate(toPlainValue(root))) mapErrors(file, root, validate.errors ?? [], diagnostics);
  warnUnknownKeys(file, root, LAYER_SCHEMA, [], diagnostics);
  return diagnostics;
}

/** Where a plain layer value breaks the schema (JSON pointers and ajv's words), for files that are not layers yet. */
export function schemaViolations(value: unknown): Array<{ pointer: string; message: string }> {
  const validate = validator();
  if (validate(value)) return [];
  return (validate.errors ?? [])
    .filter((error) => error.keyword !== 'oneOf' && error.keyword !== 'if')
    .map((error) => ({ pointer: error.instancePath, message: error.message ?? 'is invalid' }));
}

interface Resolved {
  node: SourceNode | undefined;
  /** The key of the entry that holds `node` (undefined at the root). */
  keyRange: Range | undefined;
}

function resolvePointer(root: MapNode, pointer: string): Resolved {
  const segments =
    pointer === ''
      ? []
      : pointer
          .slice(1)
          .split('/')
          .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: SourceNode | undefined = root;
  let keyRange: Range | undefined;
  for (const segment of segments) {
    node = unwrapReplace(node);
    if (node?.type === 'map') {
      const entry: MapEntry | undefined = node.entries.find((e) => e.key === segment);
      keyRange = entry?.keyRange;
      node = entry?.value;
    } else if (node?.type === 'array') {
      node = node.items[Number(segment)];
      keyRange = node?.range;
    } else {
      return { node: undefined, keyRange };
    }
  }
  return { node: unwrapReplace(node), keyRange };
}

function unwrapReplace(node: SourceNode | undefined): SourceNode | undefined {
  if (node?.type === 'map' && isDirective(node) === '$replace') return node.entries[0].value;
  return node;
}

function pathLabel(pointer: string): string {
  return pointer === '' ? 'the file' : `'${pointer.slice(1).split('/').join('.')}'`;
}

function mapErrors(file: string, root: MapNode, errors: ErrorObject[], out: Diagnostic[]): void {
  // A failed `oneOf` explains itself better than each alternative's complaint, so it silences errors at and below it.
  const oneOfPaths = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath);
  const silenced = (e: ErrorObject) =>
    e.keyword !== 'oneOf' && oneOfPaths.some((p) => e.instancePath === p || e.instancePath.startsWith(p + '/'));
  const seen = new Set<string>();
  for (const error of errors) {
    if (silenced(error) || error.keyword === 'if' || error.keyword === 'propertyNames') continue;
    const diagnostic = diagnosticFor(file, root, error);
    const identity = `${diagnostic.code}:${diagnostic.range.start.line}:${diagnostic.range.start.character}:${diagnostic.message}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    out.push(diagnostic);
  }
}

function diagnosticFor(file: string, root: MapNode, error: ErrorObject): Diagnostic {
  const { node, keyRange } = resolvePointer(root, error.instancePath);
  const valueRange = node?.range ?? keyRange ?? root.range;
  const at = (
    range: Range,
    code: DiagnosticCodeValue,
    message: string,
    data?: Record<string, unknown>,
  ): Diagnostic => ({
    file,
    range,
    severity: 'error',
    code,
    message,
    ...(data ? { data } : {}),
  });
  const where = pathLabel(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  if (propertyName !== undefined && node?.type === 'map') {
    const entry = node.entries.find((e) => e.key === propertyName);
    return at(
      entry?.keyRange ?? valueRange,
      DiagnosticCode.schemaInvalidName,
      `'${propertyName}' is not a valid name: a name cannot be empty.`,
    );
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const entry = node?.type === 'map' ? node.entries.find((e) => e.key === key) : undefined;
      const known = Object.keys(schemaAtPointer(error.instancePath)?.properties ?? {});
      const suggestion = closestMatch(key, known);
      const hint = suggestion
        ? ` Did you mean '${suggestion}'?`
        : known.length
          ? ` Expected one of: ${known.join(', ')}.`
          : '';
      return at(
        entry?.keyRange ?? valueRange,
        DiagnosticCode.schemaUnknownKey,
        `Unknown key '${key}' in ${where}.${hint}`,
        suggestion ? { suggestion } : undefined,
      );
    }
    case 'required': {
      const missing = String(params.missingProperty);
      const range = keyRange ?? firstKeyRange(root);
      return at(
        range,
        DiagnosticCode.schemaMissingProperty,
        `${where === 'the file' ? 'The file' : where} is missing the required property '${missing}'.`,
        { missingProperty: missing },
      );
    }
    case 'type':
      return at(
        valueRange,
        DiagnosticCode.schemaType,
        `${where} must be ${article(String(params.type))}, not ${describeValue(node)}.`,
      );
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const suggestion = closestMatch(String(scalarOf(node)), allowed);
      return at(
        valueRange,
        DiagnosticCode.schemaEnum,
        `'${scalarOf(node)}' is not a valid value for ${where}. Expected one of: ` +
          `${allowed.join(', ')}.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`,
        suggestion ? { suggestion } : undefined,
      );
    }
    case 'const':
      return at(valueRange, DiagnosticCode.schemaConst, `${where} must be ${JSON.stringify(params.allowedValue)}.`);
    case 'oneOf': {
      const schema = error.parentSchema as SchemaNode | undefined;
      const expected = schema?.['x-expected']
        ? `expected ${schema['x-expected']}.`
        : (schema?.description ?? 'no alternative of the schema matches.');
      return at(valueRange, DiagnosticCode.schemaInvalid, `Invalid ${where}: ${expected}`);
    }
    case 'pattern':
      return at(valueRange, DiagnosticCode.schemaFormat, `${where} has an unexpected format${describeFor(error)}.`);
    case 'minimum':
      return at(valueRange, DiagnosticCode.schemaMinimum, `${where} ${error.message ?? 'is too small'}.`);
    case 'minLength':
      return at(valueRange, DiagnosticCode.schemaMinLength, `${where} ${error.message ?? 'is too short'}.`);
    default:
      // A keyword the layer schema does not use yet; give it its own code in DiagnosticCode when it starts to.
      return at(valueRange, DiagnosticCode.schemaInvalid, `${where} ${error.message ?? 'is invalid'}.`);
  }
}

function describeFor(error: ErrorObject): string {
  const description = (error.parentSchema as SchemaNode | undefined)?.description;
  return description ? `: ${description}` : '';
}

function schemaAtPointer(pointer: string): SchemaNode | undefined {
  return resolveRef(schemaAt(pointer === '' ? [] : pointer.slice(1).split('/')));
}

function firstKeyRange(root: MapNode): Range {
  const first = root.entries[0]?.keyRange ?? root.range;
  return { start: first.start, end: first.start };
}

function scalarOf(node: SourceNode | undefined): unknown {
  return node?.type === 'scalar' ? node.value : undefined;
}

function describeValue(node: SourceNode | undefined): string {
  if (!node) return 'missing';
  if (node.type === 'map') return 'a map';
  if (node.type === 'array') return 'a list';
  if (node.value === null) return 'empty';
  return `${article(typeof node.value)} (${JSON.stringify(node.value).slice(0, 40)})`;
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: 'a map',
    array: 'a list',
    string: 'a string',
    integer: 'an integer',
    number: 'a number',
    boolean: 'true or false',
    null: 'empty',
  };
  return type
    .split(',')
    .map((t) => names[t] ?? t)
    .join(' or ');
}

/**
 * Keys people write as comments in JSON (`$comment`, `_comment`, `//`) and `$schema`: plain data everywhere, kept
 * as written in the output and not reported as unknown.
 */
export const COMMENT_KEYS: ReadonlySet<string> = new Set(['$schema', '$comment', '_comment', '//']);

function checkDirectives(file: string, node: SourceNode, out: Diagnostic[]): void {
  if (node.type === 'array') {
    for (const item of node.items) checkDirectives(file, item, out);
    return;
  }
  if (node.type !== 'map') return;
  for (const entry of node.entries) {
    if (entry.key.startsWith('$') && !COMMENT_KEYS.has(entry.key)) {
      if (entry.key !== '$delete' && entry.key !== '$replace') {
        // Claude Code ignores keys it does not know, so such a key is data to pass on, not a reason to fail.
        const suggestion = closestMatch(entry.key, ['$delete', '$replace']);
        out.push({
          file,
          range: entry.keyRange,
          severity: 'warning',
          code: DiagnosticCode.directiveUnknown,
          message:
            `'${entry.key}' is not a directive ('$delete: true', '$replace: <value>'); it is kept as a plain key.` +
            `${suggestion ? ` Did you mean '${suggestion}'?` : ''}`,
          ...(suggestion ? { data: { suggestion } } : {}),
        });
      } else if (node.entries.length !== 1) {
        out.push({
          file,
          range: entry.keyRange,
          severity: 'error',
          code: DiagnosticCode.directiveInvalid,
          message: `'${entry.key}' must be the only key of its map.`,
        });
      } else if (entry.key === '$delete' && !(entry.value.type === 'scalar' && entry.value.value === true)) {
        out.push({
          file,
          range: entry.value.range,
          severity: 'error',
          code: DiagnosticCode.directiveInvalid,
          message: `'$delete' takes the value true.`,
        });
      }
    }
    checkDirectives(file, entry.value, out);
  }
}

function warnUnknownKeys(
  file: string,
  node: SourceNode,
  schema: SchemaNode | undefined,
  path: string[],
  out: Diagnostic[],
): void {
  const resolved = resolveRef(schema);
  if (!resolved) return;
  const inner = unwrapReplace(node);
  if (!inner) return;
  if (inner.type === 'array') {
    inner.items.forEach((item, i) => warnUnknownKeys(file, item, resolved.items, [...path, String(i)], out));
    return;
  }
  if (inner.type !== 'map' || isDirective(inner)) return;
  const known = resolved.properties ?? {};
  for (const entry of inner.entries) {
    const child = childSchema(resolved, entry.key);
    const reported = entry.key.startsWith('$') || COMMENT_KEYS.has(entry.key);
    if (resolved['x-unknown'] === 'warn' && !reported && !Object.hasOwn(known, entry.key)) {
      const suggestion = closestMatch(entry.key, Object.keys(known));
      const what = path[0] === 'settings' ? 'Claude Code setting' : 'key';
      out.push({
        file,
        range: entry.keyRange,
        severity: 'warning',
        code: DiagnosticCode.schemaUnknownSetting,
        message:
          `Unknown ${what} '${entry.key}' in '${path.join('.')}': it is kept as ` +
          `written.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`,
        ...(suggestion ? { data: { suggestion } } : {}),
      });
    }
    warnUnknownKeys(file, entry.value, child, [...path, entry.key], out);
  }
}
