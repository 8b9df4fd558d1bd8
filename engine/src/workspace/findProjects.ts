/**
 * The claude-env projects inside an opened folder: the folder itself and its sub-folders that hold a
 * `.claude-env/` folder (a monorepo with one project per package). The folder may be an untrusted repository, so
 * the search is bounded in depth, in projects and in folders read; it never follows a symbolic link (a link to
 * `/` or to a sibling checkout is not searched, and a `.claude-env` that is a link does not count); and it skips
 * dependency, build and hidden folders, which never hold a project of their own.
 */
import { readdirSync, type Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
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
  const search = new ProjectSearch(folder, limits);
  for (let dir = search.next(); dir !== undefined; dir = search.next()) search.add(dir, await listing(dir));
  return search.result();
}

/**
 * {@link findProjects} without awaiting: for the language server, which registers the projects while it answers
 * `initialize`, before any request can ask which stack a file belongs to.
 */
export function findProjectsSync(folder: string, limits: ProjectSearchLimits = {}): FoundProjects {
  const search = new ProjectSearch(folder, limits);
  for (let dir = search.next(); dir !== undefined; dir = search.next()) search.add(dir, listingSync(dir));
  return search.result();
}

/** Directory entries; none for a folder that cannot be read or is gone since its parent was listed. */
async function listing(dir: string): Promise<Dirent[]> {
  return readdir(dir, { withFileTypes: true }).catch(() => []);
}

function listingSync(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** The breadth-first walk, one listing at a time, shared by both forms. */
class ProjectSearch {
  private readonly maxDepth: number;
  private readonly maxProjects: number;
  private readonly maxFolders: number;
  private readonly projects: string[] = [];
  private truncated = false;
  private read = 0;
  private level: string[];
  private nextLevel: string[] = [];
  private depth = 0;

  constructor(folder: string, limits: ProjectSearchLimits) {
    this.maxDepth = limits.maxDepth ?? 3;
    this.maxProjects = limits.maxProjects ?? 50;
    this.maxFolders = limits.maxFolders ?? 2000;
    this.level = [folder];
  }

  /** The next folder to list, or undefined when the walk is over. */
  next(): string | undefined {
    if (this.level.length === 0 && this.depth < this.maxDepth && this.nextLevel.length > 0) {
      this.level = this.nextLevel.reverse();
      this.nextLevel = [];
      this.depth++;
    }
    if (this.level.length === 0) return undefined;
    if (this.read >= this.maxFolders) return this.stop();
    this.read++;
    return this.level.pop();
  }

  /** Takes the listing of `dir`. Dirent types come from the listing: a symbolic link is never a folder here. */
  add(dir: string, entries: Dirent[]): void {
    const names: string[] = [];
    let isProject = false;
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      if (entry.name === '.claude-env') isProject = true;
      else if (!entry.name.startsWith('.') && !SKIPPED_PROJECT_FOLDERS.has(entry.name)) names.push(entry.name);
    }
    if (isProject) {
      if (this.projects.length >= this.maxProjects) {
        this.stop();
        return;
      }
      this.projects.push(dir);
    }
    if (this.depth === this.maxDepth) this.truncated ||= names.length > 0;
    else for (const name of names.sort()) this.nextLevel.push(join(dir, name));
  }

  private stop(): undefined {
    this.truncated = true;
    this.level = [];
    this.nextLevel = [];
    return undefined;
  }

  result(): FoundProjects {
    return { projects: this.projects, truncated: this.truncated };
  }
}
