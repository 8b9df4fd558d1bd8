/**
 * What every feature handler needs, passed in rather than imported: the open buffers, the workspaces, and a way
 * to find the parsed layer and its workspace for a document.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ParsedLayer } from '@claude-env/engine';
import { parseLayer } from '@claude-env/engine';
import { guessLayerKind } from './diagnostics';
import { uriToPath, type OpenDocuments } from './documents';
import type { WorkspaceModel } from './workspaceModel';
import type { WorkspaceRegistry } from './workspaces';

export interface FeatureContext {
  documents: OpenDocuments;
  registry: WorkspaceRegistry;
  /** Validates pending edits now, so a request right after a keystroke answers for the current text. */
  flushPending(): Promise<void>;
}

/** A document resolved to its parsed layer and (when it belongs to one) the workspace whose stack uses it. */
export interface LayerDocument {
  document: TextDocument;
  file: string;
  layer: ParsedLayer;
  /** The workspace the answer is given for; undefined for a file outside every workspace. */
  model: WorkspaceModel | undefined;
}

/** Finds the layer for an open document; parses it on its own when no workspace uses it. */
export async function layerDocument(context: FeatureContext, uri: string): Promise<LayerDocument | undefined> {
  const document = context.documents.getByUri(uri);
  const file = uriToPath(uri);
  if (!document || !file) return undefined;
  await context.flushPending();
  await context.registry.ready();
  for (const model of context.registry.modelsFor(file)) {
    await model.ready();
    const layer = model.layerOf(file);
    if (layer && layer.text === stripBom(document.getText())) return { document, file, layer, model };
  }
  const kind = guessLayerKind(file);
  return { document, file, layer: parseLayer(file, document.getText(), kind, kind), model: undefined };
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
