/**
 * Reloads the fleet when a layer changes on disk: the workspace's `.claude-env/` folder, and each other layer
 * file the stack read (org base and team files, the user layer). Running servers follow saved
 * files, not unsaved editor buffers, so file-system events are the trigger, debounced.
 */
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import * as vscode from 'vscode';
import type { EditorFleet } from './fleet';

const DEBOUNCE_MS = 200;

export class LayerWatcher implements vscode.Disposable {
  private readonly workspaceWatcher: vscode.FileSystemWatcher;
  private outside = new Map<string, vscode.FileSystemWatcher>();
  private timer: NodeJS.Timeout | undefined;
  private readonly onFleetChange = () => this.watchOutsideFiles();

  constructor(private readonly fleet: EditorFleet) {
    this.workspaceWatcher = this.watch(new vscode.RelativePattern(vscode.Uri.file(fleet.workspace), '.claude-env/**'));
    fleet.on('changed', this.onFleetChange);
  }

  /** Reloads soon; several events in a burst (save, rename, git checkout) become one reload. */
  schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.fleet.reload();
    }, DEBOUNCE_MS);
  }

  private watchOutsideFiles(): void {
    const own = join(this.fleet.workspace, '.claude-env');
    const wanted = new Set(this.fleet.layerFiles.filter((file) => !isInside(own, file)));
    for (const [file, watcher] of this.outside) {
      if (wanted.has(file)) continue;
      watcher.dispose();
      this.outside.delete(file);
    }
    for (const file of wanted) {
      if (!this.outside.has(file))
        this.outside.set(file, this.watch(new vscode.RelativePattern(vscode.Uri.file(dirname(file)), basename(file))));
    }
  }

  private watch(pattern: vscode.RelativePattern): vscode.FileSystemWatcher {
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    watcher.onDidChange(() => this.schedule());
    watcher.onDidCreate(() => this.schedule());
    watcher.onDidDelete(() => this.schedule());
    return watcher;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.fleet.off('changed', this.onFleetChange);
    this.workspaceWatcher.dispose();
    for (const watcher of this.outside.values()) watcher.dispose();
    this.outside.clear();
  }
}

function isInside(folder: string, file: string): boolean {
  const path = relative(folder, file);
  return path !== '' && !path.startsWith('..') && !isAbsolute(path);
}
