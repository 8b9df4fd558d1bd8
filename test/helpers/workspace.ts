/**
 * Throw-away folders for tests: a tree of files (optionally with `|` caret markers), folders removed when the test
 * process exits, and the small file helpers the suites share.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { withCarets, type Position } from './carets';

/** A temporary folder holding `files` (paths relative to it), removed by `dispose`. */
export interface TempTree {
  root: string;
  path(relative: string): string;
  uri(relative: string): string;
  write(relative: string, text: string): string;
  dispose(): void;
}

export function tempTree(files: Record<string, string> = {}, prefix = 'claude-env-test-'): TempTree {
  // realpath: on macOS the temp folder is a symlink and the server and the CLI report resolved paths.
  const root = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const tree: TempTree = {
    root,
    path: (relative) => join(root, relative),
    uri: (relative) => pathToFileURL(join(root, relative)).href,
    write(relative, text) {
      const full = join(root, relative);
      writeFile(full, text);
      return full;
    },
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
  for (const [relative, text] of Object.entries(files)) tree.write(relative, text);
  return tree;
}

/** A tree whose fixture files may carry `|` caret markers: written without them, their positions kept per file. */
export interface MarkedTree extends TempTree {
  /** Text of a fixture file with its caret markers removed. */
  text(relative: string): string;
  /** Caret positions of a fixture file, in order. */
  carets(relative: string): Position[];
}

export function markedTree(files: Record<string, string>, prefix = 'claude-env-lsp-'): MarkedTree {
  const texts = new Map<string, string>();
  const carets = new Map<string, Position[]>();
  for (const [relative, marked] of Object.entries(files)) {
    const { text, carets: positions } = withCarets(marked);
    texts.set(relative, text);
    carets.set(relative, positions);
  }
  return {
    ...tempTree(Object.fromEntries(texts), prefix),
    text: (relative) => texts.get(relative) ?? '',
    carets: (relative) => carets.get(relative) ?? [],
  };
}

const temporaryFolders: string[] = [];

/** A fresh temporary folder, removed when the test process exits. */
export function tempFolder(prefix = 'claude-env-cli-'): string {
  // At exit rather than in a mocha `after`: that works the same in serial and parallel runs (where each worker
  // loads this module once for many files) and outside mocha.
  if (temporaryFolders.length === 0) process.once('exit', removeTemporaryFolders);
  const folder = mkdtempSync(join(tmpdir(), prefix));
  temporaryFolders.push(folder);
  return folder;
}

function removeTemporaryFolders(): void {
  for (const folder of temporaryFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
}

/** A workspace made of the given files (paths relative to it), removed when the test process exits. */
export function workspaceWith(files: Record<string, string>): string {
  const workspace = join(tempFolder(), 'workspace');
  mkdirSync(workspace, { recursive: true });
  for (const [path, text] of Object.entries(files)) writeFile(join(workspace, path), text);
  return workspace;
}

/** Writes `text` to `path`, creating the folders on the way. */
export function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

/** Every file under a folder (absolute paths), depth first. */
export function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = join(folder, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** Every file under a folder with its text, for "the secret appears nowhere" checks. */
export function allFiles(folder: string): { path: string; text: string }[] {
  return filesUnder(folder).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

/**
 * Resolves when `path` exists (at once if it does already), watching its folder; rejects after `timeoutMs`. For
 * processes that say they started only by writing a file.
 */
export function whenFileAppears(path: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const watcher = watch(dirname(path), () => {
      if (existsSync(path)) done();
    });
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`${path} did not appear within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      watcher.close();
      resolve();
    };
    if (existsSync(path)) done();
  });
}
