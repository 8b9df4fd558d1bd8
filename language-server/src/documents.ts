/**
 * Open editor buffers, by absolute path, and the engine's view of them: a {@link FileReader} that prefers an
 * unsaved buffer over the file on disk, so every diagnostic and hover reflects what the person is typing.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileReader } from '@claude-env/engine';
import { nodeRealFs } from '@claude-env/engine';

/** Converts a `file://` URI to an absolute path; undefined for other schemes (untitled buffers, git diffs). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** Converts an absolute path to a `file://` URI; undefined for pseudo files such as `env:`. */
export function pathToUri(path: string): string | undefined {
  if (!path.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(path)) return undefined;
  return pathToFileURL(path).href;
}

/** The open documents, keyed by absolute path as the engine names files. */
export class OpenDocuments {
  private readonly byPath = new Map<string, TextDocument>();

  open(uri: string, languageId: string, version: number, text: string): TextDocument | undefined {
    const path = uriToPath(uri);
    if (!path) return undefined;
    const document = TextDocument.create(uri, languageId, version, text);
    this.byPath.set(path, document);
    return document;
  }

  /** Applies incremental or full changes; returns the updated document. */
  change(uri: string, version: number, changes: Parameters<typeof TextDocument.update>[1]): TextDocument | undefined {
    const path = uriToPath(uri);
    const current = path ? this.byPath.get(path) : undefined;
    if (!path || !current) return undefined;
    const updated = TextDocument.update(current, changes, version);
    this.byPath.set(path, updated);
    return updated;
  }

  close(uri: string): string | undefined {
    const path = uriToPath(uri);
    if (path) this.byPath.delete(path);
    return path;
  }

  getByUri(uri: string): TextDocument | undefined {
    const path = uriToPath(uri);
    return path ? this.byPath.get(path) : undefined;
  }

  getByPath(path: string): TextDocument | undefined {
    return this.byPath.get(path);
  }

  isOpen(path: string): boolean {
    return this.byPath.has(path);
  }

  paths(): string[] {
    return [...this.byPath.keys()];
  }

  /** A reader for the engine: open buffers first, then the disk. */
  reader(fallback: FileReader = nodeRealFs): FileReader {
    return {
      read: (path: string): string | undefined => {
        const document = this.byPath.get(path);
        return document ? document.getText() : fallback.read(path);
      },
    };
  }
}
