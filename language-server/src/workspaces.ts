/**
 * Which workspaces a file belongs to. A workspace is a folder holding `.claude-env/`; a base or team file from
 * the organisation's folder belongs to every workspace whose stack uses it, and the user layer to all of them.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { findProjectsSync } from '@claude-env/engine';
import { WorkspaceModel, type WorkspaceModelDeps } from './workspaceModel';

export class WorkspaceRegistry {
  private readonly models = new Map<string, WorkspaceModel>();

  constructor(private readonly deps: WorkspaceModelDeps) {}

  /**
   * Registers every workspace under the editor's folders: the engine's bounded `findProjectsSync` (a few levels
   * deep, skipping dependency and hidden folders, never following a link out of the folder), as the editor's org
   * update check finds them.
   */
  scan(roots: readonly string[], depth = 3): void {
    for (const root of roots)
      for (const folder of findProjectsSync(root, { maxDepth: depth }).projects) this.ensure(folder);
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
