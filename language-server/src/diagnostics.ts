/**
 * Computes and publishes diagnostics. Changes are collected and validated after a short quiet period; each run
 * re-merges every workspace the changed files belong to and republishes every file of those stacks whose
 * diagnostics changed, because a line in `local.yaml` can break a lock declared in the org's `base.yaml`.
 */
import { basename, dirname } from 'node:path';
import type { Connection, Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import type { Diagnostic, LayerKind } from '@claude-env/engine';
import { parseLayer } from '@claude-env/engine';
import { StackChangedNotification, type ProblemCounts, type StackChangedParams } from '@claude-env/protocol';
import { diagnosticKey, toLspDiagnostic } from './convert';
import { pathToUri, type OpenDocuments } from './documents';
import type { WorkspaceModel } from './workspaceModel';
import type { WorkspaceRegistry } from './workspaces';

export interface DiagnosticsDeps {
  connection: Connection;
  documents: OpenDocuments;
  registry: WorkspaceRegistry;
  delayMs: number;
  /** Called after stacks were recomputed: lenses of other open files may have changed. */
  onStacksChanged?: () => void;
}

export class DiagnosticsService {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  /** Last published diagnostics per file, serialised, to skip identical republishing of unopened files. */
  private readonly published = new Map<string, string>();
  /** The run under way; the next one starts after it so that publishes stay in order. */
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly deps: DiagnosticsDeps) {}

  /** Schedules validation of `files` after the quiet period (typing resets the timer). */
  schedule(files: readonly string[]): void {
    for (const file of files) this.pending.add(file);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.deps.delayMs);
  }

  /** Validates now (on open and save nobody is typing, so there is nothing to wait for). */
  validateNow(files: readonly string[]): Promise<void> {
    for (const file of files) this.pending.add(file);
    return this.flush();
  }

  /** Runs pending validation at once; requests call it so that they answer for the text as typed. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return this.running;
    const changed = [...this.pending];
    this.pending.clear();
    // A failed run is logged and must not stop the ones queued after it.
    this.running = this.running
      .then(() => this.validate(changed))
      .catch((error: unknown) =>
        this.deps.connection.console.error(`Validation failed: ${(error as Error).stack ?? String(error)}`),
      );
    return this.running;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  /** Every diagnostic of `file` in the context of every workspace using it, de-duplicated. */
  diagnosticsOf(file: string): Diagnostic[] {
    const models = this.deps.registry.modelsFor(file);
    if (models.length === 0) return this.standalone(file);
    const seen = new Set<string>();
    const found: Diagnostic[] = [];
    for (const model of models) {
      for (const diagnostic of model.diagnosticsFor(file)) {
        const key = diagnosticKey(diagnostic);
        if (!seen.has(key)) {
          seen.add(key);
          found.push(diagnostic);
        }
      }
    }
    return found;
  }

  private async validate(changed: string[]): Promise<void> {
    await this.deps.registry.ready();
    const touched = new Set<string>(changed);
    const refreshed = new Map<WorkspaceModel, string[]>();
    for (const file of changed) {
      for (const model of this.deps.registry.modelsFor(file)) {
        const files = refreshed.get(model) ?? [];
        files.push(file);
        refreshed.set(model, files);
      }
    }
    for (const [model, files] of refreshed) {
      try {
        for (const file of await model.refresh(new Set(files))) touched.add(file);
      } catch (error) {
        this.deps.connection.console.error(`Validating ${model.folder} failed: ${(error as Error).stack ?? error}`);
      }
    }
    for (const file of touched) this.publish(file, changed.includes(file));
    for (const [model, files] of refreshed) this.notifyStackChanged(model, files);
    if (refreshed.size > 0) this.deps.onStacksChanged?.();
  }

  private publish(file: string, force: boolean): void {
    const uri = pathToUri(file);
    if (!uri) return;
    let diagnostics: LspDiagnostic[];
    try {
      diagnostics = this.diagnosticsOf(file).map(toLspDiagnostic);
    } catch (error) {
      this.deps.connection.console.error(`Diagnostics of ${file} failed: ${(error as Error).stack ?? error}`);
      return;
    }
    const serialised = JSON.stringify(diagnostics);
    // The edited file is always republished so that the client sees its version acknowledged.
    if (!force && this.published.get(file) === serialised) return;
    if (diagnostics.length === 0 && !this.published.has(file) && !this.deps.documents.isOpen(file)) return;
    this.published.set(file, serialised);
    const version = this.deps.documents.getByPath(file)?.version;
    void this.deps.connection.sendDiagnostics({ uri, diagnostics, ...(version !== undefined ? { version } : {}) });
  }

  private notifyStackChanged(model: WorkspaceModel, changedFiles: string[]): void {
    const uri = pathToUri(model.folder);
    if (!uri) return;
    const params: StackChangedParams = {
      workspace: model.folder,
      uri,
      changedFiles,
      problems: countProblems(model.allDiagnostics()),
    };
    void this.deps.connection.sendNotification(StackChangedNotification.method, params);
  }

  /** A layer file outside every known workspace (an org file opened on its own) is checked by itself. */
  private standalone(file: string): Diagnostic[] {
    const text = this.deps.documents.getByPath(file)?.getText();
    if (text === undefined) return [];
    const kind = guessLayerKind(file);
    return parseLayer(file, text, kind, kind).diagnostics;
  }
}

/** The layer a file outside any workspace most likely is, from its name: org files are base or team. */
export function guessLayerKind(file: string): LayerKind {
  const name = basename(file).replace(/\.(ya?ml|json)$/i, '');
  if (basename(dirname(file)) === '.claude-env') return name === 'local' ? 'local' : 'project';
  if (basename(dirname(file)) === 'teams') return 'team';
  if (name === 'user') return 'user';
  return 'base';
}

export function countProblems(diagnostics: readonly Diagnostic[]): ProblemCounts {
  const counts: ProblemCounts = { errors: 0, warnings: 0, infos: 0, hints: 0 };
  for (const diagnostic of diagnostics) {
    if (diagnostic.severity === 'error') counts.errors++;
    else if (diagnostic.severity === 'warning') counts.warnings++;
    else if (diagnostic.severity === 'info') counts.infos++;
    else counts.hints++;
  }
  return counts;
}
