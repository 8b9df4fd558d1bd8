import { basename } from 'node:path';
import { findNodeAtLocation, type Node as JsonNode } from 'jsonc-parser';
import type { Diagnostic } from '../types';
import { DiagnosticCode } from '../diagnosticCodes';
import { schemaViolations } from '../schema';
import { importDiagnostic, nodeRange, type JsoncDocument } from './jsonc';
import { KIND_OWNER, serverSection, type ImportKind } from './importKinds';

/**
 * What one file contributed, checked against the layer schema before anything is written: `import` never writes a
 * layer that `validate` then refuses. A violation is what would make Claude Code refuse the file too (a wrong
 * type, an unknown transport), so it is reported at the value in the imported file.
 */
export function checkImported(
  doc: JsoncDocument,
  kind: ImportKind,
  contributed: { settings?: Record<string, unknown>; mcpServers?: Record<string, unknown> },
): Diagnostic[] {
  if (!doc.root) return [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const violation of schemaViolations({ version: 1, ...contributed })) {
    const segments = violation.pointer
      .split('/')
      .slice(1)
      .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
    const inFile = segments[0] === 'mcpServers' ? [serverSection(kind), ...segments.slice(1)] : segments.slice(1);
    const node = deepestNode(doc.root, inFile);
    const where = segments.slice(1).join('.') || 'the file';
    const key = `${node.offset}:${violation.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(
      importDiagnostic(
        doc.file,
        nodeRange(doc, node),
        'error',
        DiagnosticCode.importInvalid,
        `'${where}' ${violation.message}: ${KIND_OWNER[kind]} would not accept ${basename(doc.file)} either. ` +
          'Fix the value, then import again.',
      ),
    );
  }
  return diagnostics;
}

/** The node at `path`, or the nearest ancestor that exists (a missing property is reported on its parent). */
function deepestNode(root: JsonNode, path: string[]): JsonNode {
  for (let length = path.length; length > 0; length--) {
    const location = path.slice(0, length).map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
    const node = findNodeAtLocation(root, location);
    if (node) return node;
  }
  return root;
}
