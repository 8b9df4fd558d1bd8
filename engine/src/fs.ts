import { readFileSync } from 'node:fs';
import type { FileReader } from './types';

/** Reads layer files from disk. A missing file is `undefined`; any other failure throws with its code. */
export const nodeRealFs: FileReader = {
  read(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  },
};

/** A reader that prefers in-memory overlays (open editor buffers) over the disk. */
export function overlayReader(overlays: ReadonlyMap<string, string>, fallback: FileReader = nodeRealFs): FileReader {
  return {
    read(path: string): string | undefined {
      return overlays.has(path) ? overlays.get(path) : fallback.read(path);
    },
  };
}
