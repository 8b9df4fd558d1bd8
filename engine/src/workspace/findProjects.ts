/**
 * The claude-env projects inside an opened folder: the folder itself and its sub-folders that hold a
 * `.claude-env/` folder (a monorepo with one project per package). The folder may be an untrusted repository, so
 * the search is bounded in depth, in projects and in folders read; it never follows a symbolic link (a link to
 * `/` or to a sibling checkout is not searched, and a `.claude-env` that is a link does not count); and it skips
 * dependency, build and hidden folders, which never hold a project of their own.
 */
import { opendir } from 'node:fs/promises';
import { join } from 'node:path';

/** Folders never searched: large, and never holding a claude-env project of their own. */
export const SKIPPED_PROJECT_FOLDERS: ReadonlySet<string> = new Set([
  'node_modules',
  'bower_components',
  'vendor',
  'dist',
  'out',
  'build',
  'target',
  'venv',
  '__pycache__',
]);

/** Bounds of {@link findProjects}. */
export interface ProjectSearchLimits {
  /** Levels below the folder searched (0: the folder only). Default 3, as the language server scans. */
  maxDepth?: number;
  /** Projects returned at most. Default 50. */
  maxProjects?: number;
  /** Folders read at most (one `readdir` each). Default 2000. */
  maxFolders?: number;
}

/** What {@link findProjects} found. */
export interface FoundProjects {
  /** Absolute paths of the project folders, the folder itself first, then breadth first and by name. */
  projects: string[];
  /** Whether a limit stopped the search (the list may miss projects further down). */
  truncated: boolean;
}

/** The projects in `folder` (breadth first; nothing is read twice and nothing outside the folder is read). */
export async function findProjects(folder: string, limits: ProjectSearchLimits = {}): Promise<FoundProjects> {
  const maxDepth = limits.maxDepth ?? 3;
  const maxProjects = limits.maxProjects ?? 50;
  const maxFolders = limits.maxFolders ?? 2000;
  const projects: string[] = [];
  let truncated = false;
  let read = 0;
  let level = [folder];
  for (let depth = 0; level.length > 0 && depth <= maxDepth; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (read >= maxFolders) return { projects, truncated: true };
      read++;
      const children = await subFolders(dir);
      if (children.isProject) {
        if (projects.length >= maxProjects) return { projects, truncated: true };
        projects.push(dir);
      }
      if (depth === maxDepth) truncated ||= children.names.length > 0;
      else for (const name of children.names) next.push(join(dir, name));
    }
    level = next;
  }
  return { projects, truncated };
}

/** The folders to search below `dir` (sorted; links are never folders here) and whether it is a project. */
async function subFolders(dir: string): Promise<{ names: string[]; isProject: boolean }> {
  const names: string[] = [];
  let isProject = false;
  try {
    // Dirent types come from the directory listing: a symbolic link is a link, never the folder it points to.
    for await (const entry of await opendir(dir)) {
      if (!entry.isDirectory()) continue;
      if (entry.name === '.claude-env') isProject = true;
      else if (!entry.name.startsWith('.') && !SKIPPED_PROJECT_FOLDERS.has(entry.name)) names.push(entry.name);
    }
  } catch {
    // Unreadable or gone since its parent was listed: nothing to search there.
  }
  return { names: names.sort(), isProject };
}
