/**
 * New commits of the org layers while a window is open: every `claudeEnv.orgLayers.checkInterval` minutes (in a
 * trusted workspace only) each folder's git source is checked with one `git ls-remote`, and new commits bring the
 * notification "The org layers have N new commits" with Review (a read-only document of the effective change),
 * Update (after a modal confirmation: move the lock, then the Apply command) and Later (quiet until the next commit).
 */
import * as vscode from 'vscode';
import { systemGit, type SourceStatus, type UpdateReport } from '@claude-env/engine';
import type { Ctx } from '../ctx';
import { readSettings } from '../settings';
import { OrgUpdateChecker, type CheckResult } from './checker';
import { reviewText } from './reviewText';

export const REVIEW_SCHEME = 'claude-env-org-update';

/** What tests and other extensions read of the check (`api.orgUpdates`). */
export interface OrgUpdatesApi {
  /** Checks every folder now, as the timer does (notifying on new commits); the results per folder. */
  checkNow(): Promise<CheckResult[]>;
  /** The last check's state of a folder's git source. */
  status(folder: string): SourceStatus | undefined;
  /** The notifications shown, in order. */
  notifications(): string[];
  /** The text of the last Review document opened. */
  lastReview(): string | undefined;
  /** Whether the timer runs (a trusted workspace and an interval other than 0). */
  timerRunning(): boolean;
}

/** Options of the Review and Update commands (tests pass them instead of answering the prompts). */
export interface OrgUpdateCommandOptions {
  folder?: string;
  /** Update: the person already agreed (skips the modal confirmation). */
  confirmed?: boolean;
}

function optionsOf(args: unknown[]): OrgUpdateCommandOptions {
  const first = args[0];
  return typeof first === 'object' && first !== null && !(first instanceof vscode.Uri)
    ? (first as OrgUpdateCommandOptions)
    : {};
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export class OrgUpdates implements vscode.Disposable, vscode.TextDocumentContentProvider {
  readonly checker = new OrgUpdateChecker({ git: systemGit({ env: process.env }), env: process.env });
  private readonly shown: string[] = [];
  private readonly reviews = new Map<string, string>();
  private review: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<CheckResult[]> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a check found something new for the Layers view. */
  readonly onDidChangeStatus = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly ctx: Ctx) {
    this.subscriptions = [
      vscode.workspace.registerTextDocumentContentProvider(REVIEW_SCHEME, this),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('claudeEnv.orgLayers.checkInterval')) this.schedule();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.schedule()),
    ];
    this.schedule();
  }

  readonly api: OrgUpdatesApi = {
    checkNow: () => this.checkAll(),
    status: (folder) => this.checker.status(folder),
    notifications: () => [...this.shown],
    lastReview: () => this.review,
    timerRunning: () => this.timer !== undefined,
  };

  /** (Re)starts the timer from the setting; none in Restricted Mode, where nothing is run. */
  private schedule(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    const minutes = readSettings().orgLayers.checkIntervalMinutes;
    if (minutes === 0 || !vscode.workspace.isTrusted) return;
    this.timer = setInterval(() => void this.checkAll(), minutes * 60_000);
    this.timer.unref();
    // The first check soon after the window opens, not a whole interval later.
    setTimeout(() => void this.checkAll(), 10_000).unref();
  }

  /** One check at a time: a slow repository never piles up git processes. */
  checkAll(): Promise<CheckResult[]> {
    this.running ??= this.runChecks().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runChecks(): Promise<CheckResult[]> {
    if (!vscode.workspace.isTrusted) return [];
    const results: CheckResult[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const result = await this.checker.check(folder.uri.fsPath);
      results.push(result);
      if (result.report.unreachable) {
        this.ctx.output.warn(
          `Org layers of ${folder.uri.fsPath}: ${result.report.diagnostics[0]?.message ?? 'unreachable'}`,
        );
      }
      if (result.newCommits) this.notify(result.workspace, result.newCommits.source);
    }
    if (results.some((result) => result.report.source)) this.changed.fire();
    return results;
  }

  private notify(folder: string, source: SourceStatus): void {
    const message = source.rewritten
      ? `The org layers' history was rewritten (${source.ref} is now ${source.tip?.slice(0, 12)})`
      : `The org layers have ${plural(source.behind, 'new commit')}`;
    this.shown.push(message);
    this.ctx.output.info(`${message}: ${source.url} ${source.ref} in ${folder}`);
    // Not awaited: the notification stays until answered. Closing it is Later: told once per new commit.
    void vscode.window.showInformationMessage(`Claude Env: ${message}`, 'Review', 'Update', 'Later').then((choice) => {
      if (choice === 'Review') void vscode.commands.executeCommand('claudeEnv.orgLayers.review', { folder });
      if (choice === 'Update') void vscode.commands.executeCommand('claudeEnv.orgLayers.update', { folder });
    });
  }

  /** Review: the effective change of an update, in a read-only document. */
  async openReview(...args: unknown[]): Promise<string | undefined> {
    const folder = await this.pickFolder(optionsOf(args));
    if (!folder) return undefined;
    const text = reviewText(await this.checker.review(folder));
    this.review = text;
    const uri = vscode.Uri.from({ scheme: REVIEW_SCHEME, path: '/org-layer-update.txt', query: folder });
    this.reviews.set(uri.toString(), text);
    this.changed.fire();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    return text;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.reviews.get(uri.toString()) ?? 'Claude Env: run Review Org Layer Update again.\n';
  }

  /** Update: after the person agrees, moves the lock and runs Apply. */
  async update(...args: unknown[]): Promise<UpdateReport | undefined> {
    const options = optionsOf(args);
    const folder = await this.pickFolder(options);
    if (!folder) return undefined;
    if (!options.confirmed) {
      const preview = await this.checker.review(folder);
      const source = preview.sources[0];
      if (!source || source.from === source.to) {
        void vscode.window.showInformationMessage('Claude Env: the org layers are up to date.');
        return preview;
      }
      const detail = reviewText(preview);
      const choice = await vscode.window.showWarningMessage(
        `Update the org layers to ${source.to.slice(0, 12)} and apply? This changes .claude-env/lock.yaml.`,
        { modal: true, detail },
        'Update',
      );
      if (choice !== 'Update') return undefined;
    }
    const report = await this.checker.update(folder);
    this.changed.fire();
    if (report.diagnostics.length > 0) {
      const message = report.diagnostics.map((d) => d.message).join(' ');
      this.ctx.output.error(`Org layer update of ${folder}: ${message}`);
      void vscode.window.showErrorMessage(`Claude Env: ${message}`);
      return report;
    }
    if (report.lockWritten) await vscode.commands.executeCommand('claudeEnv.apply', { folder });
    return report;
  }

  private async pickFolder(options: OrgUpdateCommandOptions): Promise<string | undefined> {
    if (options.folder) return options.folder;
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length <= 1) return folders[0]?.uri.fsPath;
    return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Repository folder' }))?.uri.fsPath;
  }

  dispose(): void {
    clearInterval(this.timer);
    this.changed.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
