import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temporary folder holding `files` (paths relative to it), removed by `dispose`. */
export interface TempTree {
  root: string;
  path(relative: string): string;
  write(relative: string, text: string): string;
  dispose(): void;
}

export function tempTree(files: Record<string, string> = {}): TempTree {
  const root = mkdtempSync(join(tmpdir(), 'claude-env-test-'));
  const tree: TempTree = {
    root,
    path: (relative) => join(root, relative),
    write(relative, text) {
      const full = join(root, relative);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
      return full;
    },
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
  for (const [relative, text] of Object.entries(files)) tree.write(relative, text);
  return tree;
}
