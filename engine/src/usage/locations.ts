import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The `projects` folders Claude Code writes transcripts to: each folder of `CLAUDE_CONFIG_DIR` (a comma-separated
 * list) when it is set, else `~/.config/claude` and `~/.claude` (newer releases use the first, older the second;
 * both are read when both exist). Only folders that exist are returned.
 */
export function transcriptRoots(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME || homedir();
  const configured = (env.CLAUDE_CONFIG_DIR ?? '')
    .split(',')
    .map((dir) => dir.trim())
    .filter((dir) => dir !== '');
  const candidates =
    configured.length > 0
      ? configured.map((dir) => resolve(dir))
      : [join(env.XDG_CONFIG_HOME || join(home, '.config'), 'claude'), join(home, '.claude')];
  const roots = candidates.map((dir) => join(dir, 'projects')).filter((dir) => isDirectory(dir));
  return [...new Set(roots)];
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** One transcript file and the project (its folder under `projects/`) it belongs to. */
export interface TranscriptFile {
  path: string;
  project: string;
}

/** Subagent files sit at `<project>/<session>/subagents/*.jsonl`; nothing Claude Code writes is deeper. */
const MAX_DEPTH = 4;

/**
 * Every `.jsonl` file under each project folder: the sessions (`<project>/<session>.jsonl`) and their subagent
 * sidechains (`<project>/<session>/subagents/*.jsonl`). Symbolic links are not followed, so a link cannot make the
 * walk leave the folder or loop.
 */
export function listTranscripts(roots: readonly string[]): TranscriptFile[] {
  const files: TranscriptFile[] = [];
  for (const root of roots) {
    for (const project of safeList(root)) {
      if (project.isDirectory()) walk(join(root, project.name), project.name, 1, files);
    }
  }
  return files;
}

function walk(folder: string, project: string, depth: number, out: TranscriptFile[]): void {
  for (const entry of safeList(folder)) {
    const path = join(folder, entry.name);
    if (entry.isFile() && entry.name.endsWith('.jsonl')) out.push({ path, project });
    else if (entry.isDirectory() && depth < MAX_DEPTH) walk(path, project, depth + 1, out);
  }
}

function safeList(folder: string) {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** The folder name Claude Code gives a project: its path with every character other than letters and digits as `-`. */
export function projectSlug(path: string): string {
  return path.replace(/[^A-Za-z0-9]/g, '-');
}
