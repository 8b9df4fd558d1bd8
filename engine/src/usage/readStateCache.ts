import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../outputs/atomic';
import { FIELD_COUNT, parseBucketKey } from './buckets';
import { hash53 } from './lineParser';
import { TranscriptIndex, type FileCursor, type MalformedLine } from './transcriptIndex';

const CACHE_VERSION = 2;

interface CacheFile {
  version: number;
  roots: string[];
  cursors: [string, FileCursor][];
  /** Bucket keys, and their figures one after the other as little-endian doubles, base64. */
  bucketKeys: string[];
  bucketValues: string;
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
    const values = doubles(cache.bucketValues);
    if (values.length !== cache.bucketKeys.length * FIELD_COUNT) return new TranscriptIndex(roots);
    index.buckets = new Map(
      cache.bucketKeys.map((key, i) => [
        key,
        { ...parseBucketKey(key), values: values.subarray(i * FIELD_COUNT, (i + 1) * FIELD_COUNT) },
      ]),
    );
    index.projectPaths = new Map(cache.projectPaths);
    index.seen = new Set(doubles(cache.seen));
    index.malformedCount = cache.malformedCount;
    index.malformed = cache.malformed;
    index.duplicateLines = cache.duplicateLines;
  } catch {
    return new TranscriptIndex(roots);
  }
  return index;
}

function doubles(base64: string): Float64Array {
  const bytes = Buffer.from(base64, 'base64');
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

function base64Of(values: Float64Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

/** Saves the index atomically: a reader sees the previous state or this one, never half of it. */
export async function saveTranscriptIndex(index: TranscriptIndex, path: string): Promise<void> {
  const values = new Float64Array(index.buckets.size * FIELD_COUNT);
  let at = 0;
  for (const bucket of index.buckets.values()) {
    values.set(bucket.values, at);
    at += FIELD_COUNT;
  }
  const cache: CacheFile = {
    version: CACHE_VERSION,
    roots: [...index.roots],
    cursors: [...index.cursors],
    bucketKeys: [...index.buckets.keys()],
    bucketValues: base64Of(values),
    seen: base64Of(Float64Array.from(index.seen)),
    projectPaths: [...index.projectPaths],
    malformedCount: index.malformedCount,
    malformed: index.malformed,
    duplicateLines: index.duplicateLines,
  };
  await writeFileAtomic(path, JSON.stringify(cache));
}
