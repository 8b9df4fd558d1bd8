import { readRegularFile } from './safePaths';
import type { FileReader } from './types';

/**
 * Reads layer files from disk through `readRegularFile`: regular files only (a FIFO, terminal or device is refused
 * without blocking), at most `MAX_FILE_BYTES`. A missing file is `undefined`; any other failure throws with its code.
 */
export const nodeRealFs: FileReader = {
  read(path: string): string | undefined {
    return readRegularFile(path);
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
