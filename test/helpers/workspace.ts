import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Position } from '@claude-env/engine';

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

/** Zero-based position of the `occurrence`-th match of `needle` in `text`. */
export function positionOf(text: string, needle: string, occurrence = 0): Position {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`'${needle}' not found ${occurrence + 1} times`);
  }
  const before = text.slice(0, offset).split(/\r\n|\n/);
  return { line: before.length - 1, character: before[before.length - 1].length };
}
