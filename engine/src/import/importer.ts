import { getOwn, setOwn } from '../ownKeys';
import { isDeepStrictEqual } from 'node:util';
import { basename } from 'node:path';
import type { Node as JsonNode } from 'jsonc-parser';
import type { Diagnostic } from '../types';
import { importDiagnostic, nodeRange, nodeValue, parseJsonc, propertiesOf, type JsoncDocument } from './jsonc';
import { escapeLiteral, fromClaudeSyntax, fromVscodeSyntax, mapStrings, vscodeOnlyVariables } from './references';
import { DiagnosticCode } from '../diagnosticCodes';
import { checkImported } from './importCheck';
import { guessImportKind, ignoredKeys, KIND_OWNER, serverSection, type ImportKind } from './importKinds';

export { guessImportKind, type ImportKind } from './importKinds';

export interface ImportSource {
  /** Absolute path (used in diagnostics and to guess the kind). */
  file: string;
  text: string;
  /** Overrides the guess from the file name. */
  kind?: ImportKind;
}

/** A layer built from existing files, as a plain value ready to be written as YAML. */
export interface ImportedLayer {
  version: 1;
  settings?: Record<string, unknown>;
  mcpServers?: Record<string, unknown>;
  outputs?: { claudeSettings?: 'shared'; vscodeMcpJson?: boolean };
}

export interface ImportedFile {
  file: string;
  kind: ImportKind;
  settings: string[];
  servers: string[];
}

export interface ImportResult {
  layer: ImportedLayer;
  files: ImportedFile[];
  /** Syntax errors, wrong shapes, conflicts between files, variables that cannot be carried over. */
  diagnostics: Diagnostic[];
}

export interface ImportOptions {
  /**
   * Whether the layer also says which files `apply` writes, so that apply reproduces the imported files
   * (only meaningful for the project layer).
   */
  setOutputs: boolean;
}

/**
 * Turns Claude Code's and VS Code's own files into one layer. Nothing is dropped: every settings key and every
 * server field is carried over, variables become claude-env references. When two files disagree on a key the
 * later file wins (the order Claude Code applies its scopes in) and the disagreement is reported.
 */
export function importFiles(sources: ImportSource[], options: ImportOptions): ImportResult {
  const settings: Record<string, unknown> = {};
  const servers: Record<string, unknown> = {};
  const writtenBy = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const files: ImportedFile[] = [];

  for (const source of sources) {
    const doc = parseJsonc(source.file, source.text);
    diagnostics.push(...doc.diagnostics);
    if (doc.diagnostics.some((d) => d.severity === 'error')) continue;
    const kind = source.kind ?? guessImportKind(source.file, doc.root);
    const imported: ImportedFile = { file: source.file, kind, settings: [], servers: [] };
    files.push(imported);
    if (!doc.root) continue; // an empty file holds nothing to import
    if (doc.root.type !== 'object') {
      diagnostics.push(
        importDiagnostic(
          doc.file,
          nodeRange(doc, doc.root),
          'error',
          DiagnosticCode.importShape,
          'expected a JSON object',
        ),
      );
      continue;
    }
    const put = (
      section: Record<string, unknown>,
      prefix: string,
      key: string,
      value: unknown,
      keyNode: JsonNode,
    ): void => {
      const path = `${prefix}.${key}`;
      const earlier = writtenBy.get(path);
      if (earlier !== undefined && !isDeepStrictEqual(getOwn(section, key), value)) {
        diagnostics.push(
          importDiagnostic(
            doc.file,
            nodeRange(doc, keyNode),
            'warning',
            DiagnosticCode.importConflict,
            `${path} is also set differently in ${earlier}; this file's value is used`,
          ),
        );
      }
      setOwn(section, key, value);
      writtenBy.set(path, basename(doc.file));
    };

    if (kind === 'claudeSettings' || kind === 'claudeLocalSettings') {
      const contributed: Record<string, unknown> = {};
      for (const { key, keyNode, valueNode } of propertiesOf(doc.root)) {
        // `$schema` too: it points the person's editor at the settings schema, so it is written back.
        const value = mapStrings(nodeValue(valueNode), escapeLiteral);
        setOwn(contributed, key, value);
        put(settings, 'settings', key, value, keyNode);
        imported.settings.push(key);
      }
      diagnostics.push(...checkImported(doc, kind, { settings: contributed }));
      continue;
    }

    const sectionName = serverSection(kind);
    const contributed: Record<string, unknown> = {};
    const skipped = ignoredKeys(kind);
    for (const { key, keyNode, valueNode } of propertiesOf(doc.root)) {
      if (key === sectionName) {
        if (valueNode.type !== 'object') {
          diagnostics.push(
            importDiagnostic(
              doc.file,
              nodeRange(doc, valueNode),
              'error',
              DiagnosticCode.importShape,
              `"${key}" must be an object of servers by name`,
            ),
          );
          continue;
        }
        for (const server of propertiesOf(valueNode)) {
          const entry = importServer(doc, kind, server.key, server.valueNode, diagnostics);
          if (entry === undefined) continue;
          put(servers, 'mcpServers', server.key, entry, server.keyNode);
          setOwn(contributed, server.key, entry);
          imported.servers.push(server.key);
        }
      } else if (skipped.includes(key) || skipped.includes('*')) {
        // Inputs are VS Code's prompts for keys; in claude-env those keys are `${secret:id}` references.
        // Claude Code's state file holds much more than configuration; none of it belongs in a layer.
        continue;
      } else {
        diagnostics.push(
          importDiagnostic(
            doc.file,
            nodeRange(doc, keyNode),
            'warning',
            DiagnosticCode.importUnknownKey,
            `"${key}" is ${KIND_OWNER[kind]}'s own setting, not an MCP server, and is not imported`,
          ),
        );
      }
    }
    diagnostics.push(...checkImported(doc, kind, { mcpServers: contributed }));
  }

  const layer: ImportedLayer = { version: 1 };
  if (Object.keys(settings).length > 0) layer.settings = settings;
  if (Object.keys(servers).length > 0) layer.mcpServers = servers;
  if (options.setOutputs) {
    // Only files that contributed something decide where apply writes (an empty settings file says nothing).
    const outputs = outputsFor(files.filter((f) => f.settings.length > 0 || f.servers.length > 0).map((f) => f.kind));
    if (outputs) layer.outputs = outputs;
  }
  return { layer, files, diagnostics };
}

function importServer(
  doc: JsoncDocument,
  kind: ImportKind,
  name: string,
  node: JsonNode,
  diagnostics: Diagnostic[],
): unknown {
  if (node.type !== 'object') {
    diagnostics.push(
      importDiagnostic(
        doc.file,
        nodeRange(doc, node),
        'error',
        DiagnosticCode.importShape,
        `server "${name}" must be an object`,
      ),
    );
    return undefined;
  }
  const value = nodeValue(node);
  const dollarBefore =
    kind === 'vscodeMcpJson' || kind === 'cursorMcpJson'
      ? /\$\$\{(?:input|env):[^}]+\}/
      : /\$\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}/;
  for (const stringNode of kind === 'claudeDesktopJson' ? [] : stringNodes(node)) {
    const found = dollarBefore.exec(String(stringNode.value));
    if (!found) continue;
    // claude-env reads `$${` as an escaped, literal `${`, so a `$` glued to a variable has no faithful form.
    diagnostics.push(
      importDiagnostic(
        doc.file,
        nodeRange(doc, stringNode),
        'warning',
        DiagnosticCode.importDollarBeforeVariable,
        `server "${name}": the \`$\` right before \`${found[0].slice(1)}\` cannot be carried over (a ` +
          `layer reads \`$\${\` as a literal \`\${\`); the variable is kept as text. Move the \`$\` into ` +
          `the variable's value.`,
      ),
    );
  }
  // Claude Desktop expands no variables at all: every `${` there is text, which Claude Code would expand.
  if (kind === 'claudeDesktopJson') {
    for (const stringNode of stringNodes(node).filter((n) => String(n.value).includes('${'))) {
      diagnostics.push(
        importDiagnostic(
          doc.file,
          nodeRange(doc, stringNode),
          'warning',
          DiagnosticCode.importLiteralVariable,
          `server "${name}": Claude Desktop passes \`\${\` here as text, but Claude Code and VS Code expand it as a ` +
            'variable in the written files, and neither has a way to write a literal `${`. Check the value there.',
        ),
      );
    }
    return mapStrings(value, escapeLiteral);
  }
  if (kind !== 'vscodeMcpJson' && kind !== 'cursorMcpJson') return mapStrings(value, fromClaudeSyntax);
  for (const stringNode of stringNodes(node)) {
    for (const variable of vscodeOnlyVariables(String(stringNode.value))) {
      diagnostics.push(
        importDiagnostic(
          doc.file,
          nodeRange(doc, stringNode),
          'warning',
          DiagnosticCode.importVscodeVariable,
          `server "${name}" uses ${variable}, which only VS Code expands; it is kept as text, and Claude Code will not expand it`,
        ),
      );
    }
  }
  return mapStrings(value, fromVscodeSyntax);
}

/** The string values under a node (not the keys), so findings can point at the exact value. */
function stringNodes(node: JsonNode): JsonNode[] {
  if (node.type === 'string') return [node];
  if (node.type === 'property') return node.children?.[1] ? stringNodes(node.children[1]) : [];
  return (node.children ?? []).flatMap(stringNodes);
}

/**
 * Chooses the outputs so that `apply` writes back the same files that were imported. Settings imported from
 * the shared `.claude/settings.json` go back there; `settings.local.json` is already the default target.
 */
function outputsFor(kinds: ImportKind[]): ImportedLayer['outputs'] {
  const outputs: NonNullable<ImportedLayer['outputs']> = {};
  if (kinds.includes('claudeSettings')) outputs.claudeSettings = 'shared';
  if (kinds.includes('vscodeMcpJson')) outputs.vscodeMcpJson = true;
  return Object.keys(outputs).length > 0 ? outputs : undefined;
}
