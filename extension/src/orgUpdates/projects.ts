/**
 * The projects the org update check looks at: every claude-env project in the window's folders, found with the
 * engine's bounded `findProjects` (a monorepo opened at its root has one project per package). Each is named by
 * its path relative to its folder, so the notification and the folder picker say which one.
 */
import * as vscode from 'vscode';
import { relative } from 'node:path';
import { findProjects } from '@claude-env/engine';

export interface ProjectFolder {
  /** Absolute path of the folder holding `.claude-env/`. */
  path: string;
  /** `services/api`; the workspace folder's name for the folder itself (with several folders, prefixed by it). */
  label: string;
  /** Whether it is a workspace folder itself, not a project below one. */
  isRoot: boolean;
}

/** Every project in the window's folders (bounded per folder; see `findProjects`), roots first. */
export async function workspaceProjects(): Promise<{ projects: ProjectFolder[]; truncated: string[] }> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const projects: ProjectFolder[] = [];
  const truncated: string[] = [];
  for (const folder of folders) {
    if (folder.uri.scheme !== 'file') continue;
    const root = folder.uri.fsPath;
    const found = await findProjects(root);
    if (found.truncated) truncated.push(root);
    for (const path of found.projects) {
      const inside = relative(root, path).split(/[/\\]/).join('/');
      const label = inside === '' ? folder.name : folders.length > 1 ? `${folder.name}/${inside}` : inside;
      projects.push({ path, label, isRoot: inside === '' });
    }
  }
  return { projects, truncated };
}
