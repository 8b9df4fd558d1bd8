import { createHash } from 'node:crypto';
import { lstatSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readRegularFileBytes } from '../safePaths';

/** Layer file endings, as discovery looks for them (kept here to avoid an import cycle with discovery). */
const LAYER_ENDINGS = ['.yaml', '.yml', '.json'];

/**
 * The folder of git sources shared by every project of this user: `$XDG_CACHE_HOME/claude-env/git`, falling back to
 * `~/.cache/claude-env/git`. It holds `repos/` (one bare mirror per URL, for fetching) and `checkouts/` (one
 * read-only folder per commit and sub-folder, which is what commands read).
 */
export function gitCacheDir(env: Record<string, string | undefined> = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && xdg.trim() !== '' ? xdg : join(env.HOME || homedir(), '.cache'), 'claude-env', 'git');
}

/** The bare mirror of one repository URL (as given to git). */
export function mirrorDir(cacheDir: string, remote: string): string {
  return join(cacheDir, 'repos', `${createHash('sha256').update(remote).digest('hex').slice(0, 24)}.git`);
}

/**
 * The checkout of one commit's sub-folder: `checkouts/<commit>` for the whole repository,
 * `checkouts/<commit>-<hash of the sub-folder>` otherwise. The commit names the content, so two projects (or two
 * URLs of one repository) share it.
 */
export function checkoutDir(cacheDir: string, commit: string, subFolder: string): string {
  const suffix = subFolder === '' ? '' : `-${createHash('sha256').update(subFolder).digest('hex').slice(0, 12)}`;
  return join(cacheDir, 'checkouts', `${commit}${suffix}`);
}

/**
 * `sha256:<hex>` of the layer files of a source folder: `base.*` and `teams/*` with a layer ending, in name order,
 * each as its relative path, its length and its bytes. Every team is included, not only the selected ones, so that a
 * `--team` choice reads verified files too. Files are read with the engine's safe reads inside `folder`: a symbolic
 * link leading out of the checkout throws `UnsafePathError` here. With `texts`, each file's text is kept there.
 */
export function layerContentHash(folder: string, texts?: Map<string, string>): string {
  const hash = createHash('sha256');
  for (const relative of layerFilesOf(folder)) {
    const path = join(folder, relative);
    const bytes = readRegularFileBytes(path, { within: folder });
    if (bytes === undefined) continue;
    // The verified bytes, for a caller that reads the layers next: what is hashed is what is parsed.
    texts?.set(path, bytes.toString('utf8'));
    hash.update(`${relative}\u0000${bytes.length}\u0000`);
    hash.update(bytes);
  }
  return `sha256:${hash.digest('hex')}`;
}

/** Relative paths of the layer files of a source folder, sorted. */
function layerFilesOf(folder: string): string[] {
  const names = (dir: string): string[] => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  const layer = (name: string) => LAYER_ENDINGS.some((ending) => name.endsWith(ending));
  const files = names(folder).filter((name) => layer(name) && /^base\./.test(name));
  files.push(
    ...names(join(folder, 'teams'))
      .filter(layer)
      .map((name) => `teams/${name}`),
  );
  return files.sort();
}

/** Hashes verified in this process, by folder, with the identity of every layer file when it was hashed. */
const verified = new Map<string, { identity: string; content: string }>();

/**
 * `layerContentHash`, computed again only when a layer file may have changed since this process last hashed the
 * folder: the same files with the same inode, size, modification and change times. The change time cannot be set
 * back by anyone but root, so an edit of the cache is always seen. Without a cached result the texts are kept in
 * `texts`, as with `layerContentHash`.
 */
export function verifiedContentHash(folder: string, texts: Map<string, string>): string {
  const identity = layerFilesIdentity(folder);
  const cached = verified.get(folder);
  if (identity !== undefined && cached?.identity === identity) return cached.content;
  const content = layerContentHash(folder, texts);
  if (identity !== undefined) verified.set(folder, { identity, content });
  return content;
}

function layerFilesIdentity(folder: string): string | undefined {
  try {
    return layerFilesOf(folder)
      .map((relative) => {
        const stat = lstatSync(join(folder, relative));
        return `${relative}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.mode}`;
      })
      .join('|');
  } catch {
    return undefined;
  }
}
