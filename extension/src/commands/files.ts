/**
 * Commands that write files: Initialize, Import Existing Configuration and Apply. Each runs the claude-env CLI
 * command of the same name in-process (see cliRunner.ts), so the editor and the terminal behave identically.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ExitCode } from '../../../cli/src/exitCodes';
import { runClaudeEnv, type CliRun } from '../cliRunner';
import type { Ctx } from '../ctx';
import { readSettings } from '../settings';

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

/** What a file command did. */
export interface FileCommandResult {
  folder: string;
  /** Each CLI run, in order (Apply runs twice when drifted files are replaced). */
  runs: CliRun[];
  ok: boolean;
}

const EXISTING_FILES = ['.claude/settings.json', '.mcp.json', '.vscode/mcp.json'];

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

/** Logs a run and tells the person how it went; returns true for exit code 0. */
function report(ctx: Ctx, title: string, run: CliRun): boolean {
  ctx.output.info(`${title} (exit ${run.exitCode})\n${run.stdout}${run.stderr}`);
  const text = (run.exitCode === 0 ? run.stdout || run.stderr : run.stderr || run.stdout)
    .trim()
    .split('\n')
    .slice(0, 6)
    .join(' · ');
  const show = run.exitCode === 0 ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
  void show(
    `Claude Env: ${title}: ${text || (run.exitCode === 0 ? 'done' : `failed (exit ${run.exitCode})`)}`,
    'Open Output',
  ).then((choice) => {
    if (choice) ctx.output.show();
  });
  return run.exitCode === 0;
}

async function openIfExists(path: string): Promise<void> {
  if (existsSync(path)) await vscode.window.showTextDocument(vscode.Uri.file(path), { preview: false });
}

export function initialize(ctx: Ctx) {
  return async (...args: unknown[]): Promise<FileCommandResult | undefined> => {
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
    const run = await runClaudeEnv(['init', ...(fromExisting ? ['--from-existing'] : [])], folder);
    const ok = report(ctx, 'Initialize', run);
    if (ok) await openIfExists(join(folder, '.claude-env', 'project.yaml'));
    return { folder, runs: [run], ok };
  };
}

export function importExisting(ctx: Ctx) {
  return async (...args: unknown[]): Promise<FileCommandResult | undefined> => {
    const options = optionsOf(args);
    const folder = await pickFolder(options);
    if (!folder) return undefined;
    const to = options.to ?? 'project';
    const run = await runClaudeEnv(['import', '--to', to], folder);
    const ok = report(ctx, 'Import', run);
    if (ok) await openIfExists(join(folder, '.claude-env', to === 'local' ? 'local.yaml' : 'project.yaml'));
    return { folder, runs: [run], ok };
  };
}

interface ApplyJson {
  ok: boolean;
  drifted?: boolean;
  blocked?: boolean;
  targets: { path: string; action: string; outcome: string; reason?: string }[];
}

function parseApply(run: CliRun): ApplyJson | undefined {
  try {
    return JSON.parse(run.stdout) as ApplyJson;
  } catch {
    return undefined;
  }
}

/** Asks before replacing files edited by hand; their current content is backed up by the CLI first. */
async function confirmReplace(drifted: string[]): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(
    `${drifted.length} file${drifted.length === 1 ? ' was' : 's were'} edited by hand since the last apply.`,
    { modal: true, detail: `${drifted.join('\n')}\n\nReplace saves each one in .claude-env/backups/ first.` },
    'Replace',
  );
  return choice === 'Replace';
}

export function apply(ctx: Ctx) {
  return async (...args: unknown[]): Promise<FileCommandResult | undefined> => {
    const options = optionsOf(args);
    const folder = await pickFolder(options);
    if (!folder) return undefined;
    // Unsaved layer edits would not be applied; saving first is what a person expects from "Apply".
    await vscode.workspace.saveAll(false);
    const first = await runClaudeEnv(['apply', '--json'], folder);
    const runs = [first];
    const parsed = parseApply(first);
    if (first.exitCode === ExitCode.driftRefused && parsed?.drifted) {
      const drifted = parsed.targets.filter((target) => target.outcome === 'refused').map((target) => target.path);
      const onDrift = options.onDrift ?? readSettings(vscode.Uri.file(folder)).applyOnDrift;
      const replace = onDrift === 'replace' || (onDrift === 'ask' && (await confirmReplace(drifted)));
      if (!replace) {
        report(ctx, 'Apply', {
          ...first,
          stderr: `kept ${drifted.length} file(s) edited by hand; nothing written: ${drifted.join(', ')}\n`,
        });
        return { folder, runs, ok: false };
      }
      runs.push(await runClaudeEnv(['apply', '--json', '--force'], folder));
    }
    const last = runs[runs.length - 1] as CliRun;
    const result = parseApply(last);
    const summary = result?.blocked
      ? 'errors in the layers block apply; nothing written (see the Problems panel)'
      : result
        ? result.targets.map((target) => `${target.outcome} ${target.path}`).join('\n') || 'nothing to write'
        : last.stdout;
    const ok = report(ctx, 'Apply', { ...last, stdout: `${summary}\n` });
    return { folder, runs, ok };
  };
}
