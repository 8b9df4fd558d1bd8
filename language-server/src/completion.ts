/**
 * Completion from the layer schema (keys at the cursor's path, enum and boolean values, a snippet for a new
 * server), from the stack (server names in policy lists, team names, secret names already used) and for
 * `${` references (`env:`, `secret:`, `file:`).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type CompletionParams,
} from 'vscode-languageserver/node';
import type { SourceNode } from '@claude-env/engine';
import { childSchema, schemaAt, type SchemaNode } from '@claude-env/engine';
import { findReferences } from '@claude-env/engine';
import { cursorContext, type CursorContext } from './cursorContext';
import { layerDocument, type FeatureContext, type LayerDocument } from './featureContext';

/** Paths whose items are server names. */
const SERVER_NAME_LISTS = [
  'policy.servers.allowed',
  'policy.servers.denied',
  'settings.enabledMcpjsonServers',
  'settings.disabledMcpjsonServers',
];

export async function completion(context: FeatureContext, params: CompletionParams): Promise<CompletionList> {
  const target = await layerDocument(context, params.textDocument.uri);
  if (!target) return { isIncomplete: false, items: [] };
  const cursor = cursorContext(target.document.getText(), target.layer.format, params.position);
  const items =
    cursor.kind === 'key'
      ? keyItems(cursor, target)
      : cursor.kind === 'value'
        ? valueItems(cursor, target)
        : referenceItems(cursor, target);
  return { isIncomplete: false, items };
}

function keyItems(cursor: Extract<CursorContext, { kind: 'key' }>, target: LayerDocument): CompletionItem[] {
  const schema = schemaAt(cursor.path);
  if (!schema) return [];
  const json = target.layer.format === 'json';
  const present = presentKeys(target, cursor.path);
  const items: CompletionItem[] = [];
  for (const [key, property] of Object.entries(propertiesOf(schema))) {
    if (key === '$schema' || present.has(key)) continue;
    const child = childSchema(schema, key);
    items.push({
      label: key,
      kind: CompletionItemKind.Property,
      documentation: property.description ? { kind: MarkupKind.Markdown, value: property.description } : undefined,
      insertText: json ? `"${key}": ` : isContainer(child) ? `${key}:\n  ` : `${key}: `,
      // A map or list value goes on the next lines; the editor keeps the indentation of the line.
      command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
    });
  }
  if (cursor.path.length === 1 && cursor.path[0] === 'mcpServers' && !json) items.push(...serverSnippets());
  return items;
}

function serverSnippets(): CompletionItem[] {
  return [
    {
      label: 'new stdio server',
      kind: CompletionItemKind.Snippet,
      insertTextFormat: InsertTextFormat.Snippet,
      insertText:
        '${1:name}:\n  command: ${2:npx}\n  args: ["-y", "${3:package}"]\n  supervision:\n    autoStart: ${4|true,false|}',
      documentation: 'An MCP server started as a process (stdio).',
    },
    {
      label: 'new http server',
      kind: CompletionItemKind.Snippet,
      insertTextFormat: InsertTextFormat.Snippet,
      insertText:
        '${1:name}:\n  type: http\n  url: ${2:https://}\n  headers:\n    Authorization: Bearer \\${secret:${3:token-name}}',
      documentation: 'An MCP server reached over streamable HTTP, its token kept as a secret reference.',
    },
  ];
}

function valueItems(cursor: Extract<CursorContext, { kind: 'value' }>, target: LayerDocument): CompletionItem[] {
  const dotted = cursor.path.join('.');
  if (SERVER_NAME_LISTS.includes(dotted))
    return serverNames(target).map((name) => valueItem(name, CompletionItemKind.Module));
  if (dotted === 'teams') return teamNames(target).map((name) => valueItem(name, CompletionItemKind.File));
  let schema = schemaAt(cursor.path);
  if (cursor.inArray && schema?.items) schema = childSchema(schema, '0');
  if (!schema) return [];
  const values = new Set<unknown>();
  for (const alternative of [schema, ...(schema.oneOf ?? [])]) {
    for (const value of alternative.enum ?? []) values.add(value);
    if (alternative.const !== undefined) values.add(alternative.const);
    if (typesOf(alternative).includes('boolean')) {
      values.add(true);
      values.add(false);
    }
  }
  const items = [...values].map((value) =>
    valueItem(String(value), CompletionItemKind.EnumMember, schema?.description),
  );
  if (schema.default !== undefined && !values.has(schema.default)) {
    items.push({ ...valueItem(String(schema.default), CompletionItemKind.Value), detail: 'default' });
  }
  return items;
}

function valueItem(label: string, kind: CompletionItemKind, description?: string): CompletionItem {
  return { label, kind, ...(description ? { documentation: { kind: MarkupKind.Markdown, value: description } } : {}) };
}

function referenceItems(
  cursor: Extract<CursorContext, { kind: 'reference' }>,
  target: LayerDocument,
): CompletionItem[] {
  const colon = cursor.prefix.indexOf(':');
  if (colon < 0) {
    return [
      { label: 'env:', detail: 'an environment variable: ${env:NAME} or ${env:NAME:-default}' },
      { label: 'secret:', detail: 'a secret kept outside the files: ${secret:name}' },
      { label: 'file:', detail: "a file's content: ${file:path}" },
    ].map((item) => ({
      ...item,
      kind: CompletionItemKind.Keyword,
      command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
    }));
  }
  const scheme = cursor.prefix.slice(0, colon);
  if (scheme === 'secret') {
    return secretNames(target).map((name) => ({
      label: name,
      kind: CompletionItemKind.Variable,
      insertText: `${name}}`,
    }));
  }
  if (scheme === 'env') {
    // Names only: the values of the editor's environment are nobody's business in a completion list.
    return Object.keys(process.env)
      .sort()
      .map((name) => ({ label: name, kind: CompletionItemKind.Variable }));
  }
  return [];
}

/** Server names defined anywhere in the stack (or in this file when it stands alone). */
function serverNames(target: LayerDocument): string[] {
  const layers = target.model ? target.model.env.stack.layers : [target.layer];
  const names = new Set<string>();
  for (const layer of layers) {
    const servers = layer.root?.entries.find((entry) => entry.key === 'mcpServers')?.value;
    if (servers?.type === 'map') for (const entry of servers.entries) names.add(entry.key);
  }
  return [...names].sort();
}

/** `teams/<name>.yaml` files next to the base layer. */
function teamNames(target: LayerDocument): string[] {
  const base = target.model?.env.stack.layers.find((layer) => layer.kind === 'base');
  if (!base) return [];
  try {
    return readdirSync(join(base.file, '..', 'teams'))
      .filter((name) => /\.(ya?ml|json)$/i.test(name))
      .map((name) => name.replace(/\.(ya?ml|json)$/i, ''))
      .sort();
  } catch {
    return [];
  }
}

/** Names of secrets referenced anywhere in the stack, so one secret is not stored twice under two names. */
function secretNames(target: LayerDocument): string[] {
  const layers = target.model ? target.model.env.stack.layers : [target.layer];
  const names = new Set<string>();
  for (const layer of layers) {
    for (const reference of findReferences(layer.text)) if (reference.kind === 'secret') names.add(reference.name);
  }
  return [...names].sort();
}

/**
 * Keys the map at `path` already has in the last parse of this buffer, so completion does not offer them again.
 * A buffer that does not parse while being typed offers everything.
 */
function presentKeys(target: LayerDocument, path: readonly string[]): Set<string> {
  let node: SourceNode | undefined = target.layer.root;
  for (const segment of path) {
    if (node?.type === 'map') node = node.entries.find((entry) => entry.key === segment)?.value;
    else if (node?.type === 'array' && /^\d+$/.test(segment)) node = undefined;
    else node = undefined;
  }
  return new Set(node?.type === 'map' ? node.entries.map((entry) => entry.key) : []);
}

function propertiesOf(schema: SchemaNode): Record<string, SchemaNode> {
  const properties: Record<string, SchemaNode> = { ...(schema.properties ?? {}) };
  for (const alternative of schema.oneOf ?? []) Object.assign(properties, alternative.properties ?? {});
  return properties;
}

function typesOf(schema: SchemaNode): string[] {
  return schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
}

function isContainer(schema: SchemaNode | undefined): boolean {
  const types = schema ? typesOf(schema) : [];
  return types.includes('object') || types.includes('array');
}
