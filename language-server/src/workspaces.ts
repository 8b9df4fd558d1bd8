/**
 * Which workspaces a file belongs to. A workspace is a folder holding `.claude-env/`; a base or team file from
 * the organisation's folder belongs to every workspace whose stack uses it, and the user layer to all of them.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { WorkspaceModel, type WorkspaceModelDeps } from './workspaceModel';

/** Folders never searched for workspaces: large and never holding a claude-env project of their own. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'dist', 'out', 'build', '.venv', 'target']);

export class WorkspaceRegistry {
  private readonly models = new Map<string, WorkspaceModel>();

  constructor(private readonly deps: WorkspaceModelDeps) {}

  /** Registers every workspace under the editor's folders (a few levels deep, skipping dependency folders). */
  scan(roots: readonly string[], depth = 3): void {
    for (const root of roots) this.scanFolder(root, depth);
  }

  /**
   * Waits until every known workspace has computed its stack: which workspaces use a file is only known from
   * their stacks, so a base file opened while the workspaces load would otherwise be checked on its own.
   */
  async ready(): Promise<void> {
    for (const model of this.models.values()) {
      try {
        await model.ready();
      } catch {
        // Reported by the diagnostics run that failed; the other workspaces still count.
      }
    }
  }

  all(): WorkspaceModel[] {
    return [...this.models.values()];
  }

  get(folder: string): WorkspaceModel | undefined {
    return this.models.get(folder);
  }

  /** The model of `folder`, created on first use. */
  ensure(folder: string): WorkspaceModel {
    let model = this.models.get(folder);
    if (!model) {
      model = new WorkspaceModel(folder, this.deps);
      this.models.set(folder, model);
    }
    return model;
  }

  /** The workspaces that use `file`: its own (found by walking up) plus every known stack that includes it. */
  modelsFor(file: string): WorkspaceModel[] {
    const owner = findWorkspaceFolder(file);
    const found = owner ? [this.ensure(owner)] : [];
    for (const model of this.models.values()) {
      if (!found.includes(model) && model.includes(file)) found.push(model);
    }
    return found;
  }

  /** The first workspace for a file or folder path (the folder itself when it is a workspace). */
  primaryFor(path: string): WorkspaceModel | undefined {
    if (existsSync(join(path, '.claude-env')) && isDirectory(path)) return this.ensure(path);
    return this.modelsFor(path)[0];
  }

  private scanFolder(folder: string, depth: number): void {
    if (existsSync(join(folder, '.claude-env'))) this.ensure(folder);
    if (depth <= 0) return;
    let entries: string[];
    try {
      entries = readdirSync(folder);
    } catch {
      return;
    }
    for (const entry of entries) {
      if (SKIPPED_FOLDERS.has(entry) || entry.startsWith('.')) continue;
      const child = join(folder, entry);
      if (isDirectory(child)) this.scanFolder(child, depth - 1);
    }
  }
}

/** The folder holding `.claude-env/` above `file`, if any. */
export function findWorkspaceFolder(file: string): string | undefined {
  let dir = dirname(file);
  if (basename(dir) === '.claude-env') return dirname(dir);
  for (;;) {
    if (existsSync(join(dir, '.claude-env')) && isDirectory(join(dir, '.claude-env'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
