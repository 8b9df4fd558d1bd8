/**
 * Commands that write files: Initialize, Import Existing Configuration and Apply. Each calls the engine's
 * workspace operation that `claude-env init`, `import` and `apply` call, so the editor and the terminal write
 * the same files, and turns its typed report into a prompt or a message.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import {
  applyWorkspace,
  DEFAULT_IMPORT_FILES,
  importConfiguration,
  initWorkspace,
  loadWorkspace,
} from '@claude-env/engine';
import { WorkspaceError } from '@claude-env/engine';
import type { ApplyReport, DriftDecision, ImportReport, InitReport, PlannedTarget } from '@claude-env/engine';
import { gatewayLaunchFrom } from '@claude-env/mcp';
import type { Ctx } from '../ctx';
import { readSettings } from '../settings';
import { applyTold, importTold, initTold, type Told } from './fileReports';

/** Arguments tests and other extensions may pass instead of answering prompts. */
export interface FileCommandOptions {
  /** Absolute path of the repository folder; default: the only workspace folder, else a pick. */
  folder?: string;
  /** Init: import the existing Claude Code / VS Code files instead of writing the template. */
  fromExisting?: boolean;
  /** Import: the layer to write. */
  to?: 'project' | 'local';
  /** Apply: what to do with files edited by hand since the last apply (default: the `claudeEnv.apply.onDrift` setting). */
  onDrift?: 'ask' | 'keep' | 'replace';
}

/** What a file command did: the engine's report, and what the person was told. */
export interface FileCommandResult<Report = InitReport | ImportReport | ApplyReport> {
  folder: string;
  ok: boolean;
  /** Undefined when the operation could not run at all (a file that cannot be read or written, no project layer). */
  report?: Report;
  /** The lines shown (the first few in the notification, all of them in the output channel). */
  lines: string[];
}

/** The files Initialize offers to import, those `claude-env import` reads by default. */
const EXISTING_FILES = DEFAULT_IMPORT_FILES.project;

function optionsOf(args: unknown[]): FileCommandOptions {
  const first = args[0];
  return typeof first === 'object' && first !== null && !(first instanceof vscode.Uri)
    ? (first as FileCommandOptions)
    : {};
}

async function pickFolder(options: FileCommandOptions): Promise<string | undefined> {
  if (options.folder) return options.folder;
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 1) return folders[0]?.uri.fsPath;
  if (folders.length === 0) {
    void vscode.window.showInformationMessage('Claude Env: open a folder first.');
    return undefined;
  }
  return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Repository folder' }))?.uri.fsPath;
}

/** Logs what happened and tells the person; returns the result for callers. */
function tell<Report>(ctx: Ctx, title: string, folder: string, told: Told, report?: Report): FileCommandResult<Report> {
  const logged = `${title} in ${folder}\n${told.lines.join('\n')}`;
  if (told.ok) ctx.output.info(logged);
  else ctx.output.warn(logged);
  const text = told.lines.slice(0, 6).join(' · ');
  const show = told.ok ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
  // Not awaited: the message stays until dismissed, and callers must not hang on it.
  void show(`Claude Env: ${title}: ${text || (told.ok ? 'done' : 'failed')}`, 'Open Output').then((choice) => {
    if (choice) ctx.output.show();
  });
  return { folder, ok: told.ok, report, lines: told.lines };
}

/**
 * Runs an engine operation; a `WorkspaceError` (a file that cannot be read or written, no project layer) is told
 * as the sentence it carries. Anything else is a bug and propagates.
 */
async function attempt<Report>(
  ctx: Ctx,
  title: string,
  folder: string,
  operation: () => Promise<Report>,
  told: (report: Report) => Told,
): Promise<FileCommandResult<Report>> {
  try {
    const report = await operation();
    return tell(ctx, title, folder, told(report), report);
  } catch (error) {
    if (!(error instanceof WorkspaceError)) throw error;
    const causes = error.diagnostics.map((diagnostic) => diagnostic.message);
    return tell<Report>(ctx, title, folder, { ok: false, lines: [error.message, ...causes] });
  }
}

async function openIfExists(path: string): Promise<void> {
  if (existsSync(path)) await vscode.window.showTextDocument(vscode.Uri.file(path), { preview: false });
}

export function initialize(ctx: Ctx) {
  return async (...args: unknown[]): Promise<FileCommandResult<InitReport> | undefined> => {
    const options = optionsOf(args);
    const folder = await pickFolder(options);
    if (!folder) return undefined;
    let fromExisting = options.fromExisting;
    if (fromExisting === undefined && EXISTING_FILES.some((file) => existsSync(join(folder, file)))) {
      const choice = await vscode.window.showQuickPick(
        [
          {
            label: 'Import existing configuration',
            detail: `From ${EXISTING_FILES.filter((file) => existsSync(join(folder, file))).join(', ')}`,
            fromExisting: true,
          },
          {
            label: 'Start from the reference servers',
            detail: 'Context7, Sequential Thinking, Playwright and Magic',
            fromExisting: false,
          },
        ],
        { placeHolder: 'How should .claude-env/project.yaml start?' },
      );
      if (!choice) return undefined;
      fromExisting = choice.fromExisting;
    }
    const result = await attempt(
      ctx,
      'Initialize',
      folder,
      () => initWorkspace({ workspace: folder, fromExisting, env: process.env }),
      initTold,
    );
    if (result.ok && result.report) await openIfExists(result.report.projectLayer);
    return result;
  };
}

export function importExisting(ctx: Ctx) {
  return async (...args: unknown[]): Promise<FileCommandResult<ImportReport> | undefined> => {
    const options = optionsOf(args);
    const folder = await pickFolder(options);
    if (!folder) return undefined;
    const to = options.to ?? 'project';
    const result = await attempt(
      ctx,
      'Import',
      folder,
      () => importConfiguration({ workspace: folder, to, env: process.env }),
      importTold,
    );
    if (result.ok && result.report?.target) await openIfExists(result.report.target);
    return result;
  };
}

/** Asks before replacing files edited by hand; the engine backs each one up before replacing it. */
async function confirmReplace(drifted: readonly PlannedTarget[]): Promise<DriftDecision> {
  const paths = drifted.map((target) => target.path);
  const choice = await vscode.window.showWarningMessage(
    `${paths.length} file${paths.length === 1 ? ' was' : 's were'} edited by hand since the last apply.`,
    { modal: true, detail: `${paths.join('\n')}\n\nReplace saves each one in .claude-env/backups/ first.` },
    'Replace',
  );
  return choice === 'Replace' ? 'replace' : 'keep';
}

export function apply(ctx: Ctx) {
  return async (...args: unknown[]): Promise<FileCommandResult<ApplyReport> | undefined> => {
    const options = optionsOf(args);
    const folder = await pickFolder(options);
    if (!folder) return undefined;
    // Unsaved layer edits would not be applied; saving first is what a person expects from "Apply".
    await vscode.workspace.saveAll(false);
    const onDrift = options.onDrift ?? readSettings(vscode.Uri.file(folder)).applyOnDrift;
    return attempt(
      ctx,
      'Apply',
      folder,
      // The person decides on the plan that is then carried out: a file changed after the prompt is refused.
      () =>
        applyWorkspace(loadWorkspace({ workspace: folder, env: process.env }), {
          // `outputs.mcpVia: gateway` entries start the shim bundled beside this extension, by absolute path.
          gateway: gatewayLaunchFrom(__dirname),
          onDrift: onDrift === 'ask' ? confirmReplace : onDrift,
        }),
      applyTold,
    );
  };
}
