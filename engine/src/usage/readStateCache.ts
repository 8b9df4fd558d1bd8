import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../outputs/atomic';
import { hash53 } from './lineParser';
import { TranscriptIndex, type FileCursor, type MalformedLine } from './transcriptIndex';

const CACHE_VERSION = 1;

interface CacheFile {
  version: number;
  roots: string[];
  cursors: [string, FileCursor][];
  buckets: [string, number[]][];
  /** The seen message hashes as little-endian doubles, base64. */
  seen: string;
  projectPaths: [string, string][];
  malformedCount: number;
  malformed: MalformedLine[];
  duplicateLines: number;
}

/**
 * Where the read state of these transcript folders is kept between runs: under `$XDG_STATE_HOME/claude-env/usage`
 * (default `~/.local/state`), one file per set of folders, so pointing `CLAUDE_CONFIG_DIR` elsewhere starts a
 * separate index instead of mixing the two.
 */
export function readStatePath(roots: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'claude-env', 'usage', `index-${hash53(roots.join('\n')).toString(36)}.json`);
}

/** The index saved at `path` for these roots, or an empty one when there is none or it cannot be used. */
export function loadTranscriptIndex(roots: readonly string[], path: string): TranscriptIndex {
  const index = new TranscriptIndex(roots);
  let cache: CacheFile;
  try {
    cache = JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
  } catch {
    return index;
  }
  if (cache.version !== CACHE_VERSION || JSON.stringify(cache.roots) !== JSON.stringify(roots)) return index;
  try {
    index.cursors = new Map(cache.cursors);
    index.buckets = new Map(cache.buckets);
    index.projectPaths = new Map(cache.projectPaths);
    const bytes = Buffer.from(cache.seen, 'base64');
    const hashes = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    index.seen = new Set(hashes);
    index.malformedCount = cache.malformedCount;
    index.malformed = cache.malformed;
    index.duplicateLines = cache.duplicateLines;
  } catch {
    return new TranscriptIndex(roots);
  }
  return index;
}

/** Saves the index atomically: a reader sees the previous state or this one, never half of it. */
export async function saveTranscriptIndex(index: TranscriptIndex, path: string): Promise<void> {
  const hashes = Float64Array.from(index.seen);
  const cache: CacheFile = {
    version: CACHE_VERSION,
    roots: [...index.roots],
    cursors: [...index.cursors],
    buckets: [...index.buckets],
    seen: Buffer.from(hashes.buffer, hashes.byteOffset, hashes.byteLength).toString('base64'),
    projectPaths: [...index.projectPaths],
    malformedCount: index.malformedCount,
    malformed: index.malformed,
    duplicateLines: index.duplicateLines,
  };
  await writeFileAtomic(path, JSON.stringify(cache));
}
