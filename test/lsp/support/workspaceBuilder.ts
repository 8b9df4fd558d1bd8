/**
 * Builds a throw-away organisation folder and workspace on disk: `files` maps relative paths to text (caret
 * markers allowed; their positions are returned per file).
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { withCarets, type Position } from '../../helpers/carets';

export interface BuiltTree {
  root: string;
  /** Absolute path of a relative fixture path. */
  path(relative: string): string;
  uri(relative: string): string;
  /** Text of a fixture file with its caret markers removed. */
  text(relative: string): string;
  /** Caret positions of a fixture file, in order. */
  carets(relative: string): Position[];
  remove(): void;
}

export function buildTree(files: Record<string, string>): BuiltTree {
  // realpath: on macOS the temp folder is a symlink and the server reports resolved paths.
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'claude-env-lsp-')));
  const texts = new Map<string, string>();
  const carets = new Map<string, Position[]>();
  for (const [relative, marked] of Object.entries(files)) {
    const { text, carets: positions } = withCarets(marked);
    texts.set(relative, text);
    carets.set(relative, positions);
    const target = join(root, relative);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return {
    root,
    path: (relative) => join(root, relative),
    uri: (relative) => pathToFileURL(join(root, relative)).href,
    text: (relative) => texts.get(relative) ?? '',
    carets: (relative) => carets.get(relative) ?? [],
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
