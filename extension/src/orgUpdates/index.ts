/**
 * New commits of the org layers while a window is open: every `claudeEnv.orgLayers.checkInterval` minutes (in a
 * trusted workspace only) the git source of each project in the window's folders (nested ones too) is checked, one
 * `git ls-remote` per repository and ref, and new commits bring the notification "The org layers have N new
 * commits" with Review (a read-only document of the effective change), Update (after a modal confirmation: move the
 * lock, then the Apply command) and Later (quiet until the next commit, across window reloads).
 */
import * as vscode from 'vscode';
import { systemGit, type SourceStatus, type UpdateReport } from '@claude-env/engine';
import type { Ctx } from '../ctx';
import { readSettings } from '../settings';
import { isBehind, OrgUpdateChecker, type CheckResult } from './checker';
import { notificationGroups, type NotificationGroup } from './notificationGroups';
import { workspaceProjects, type ProjectFolder } from './projects';
import { reviewText } from './reviewText';

export const REVIEW_SCHEME = 'claude-env-org-update';

/** What tests and other extensions read of the check (`api.orgUpdates`). */
export interface OrgUpdatesApi {
  /** Checks every project now, as the timer does (notifying on new commits); the results per project. */
  checkNow(): Promise<CheckResult[]>;
  /** The last check's state of a project's git source (a workspace folder or a project below one). */
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
  /** Offer only these projects in the picker (the projects a notification was about). */
  among?: string[];
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

const isBehindNow = (result: CheckResult) => !result.report.unreachable && isBehind(result.report.source);

export class OrgUpdates implements vscode.Disposable, vscode.TextDocumentContentProvider {
  readonly checker: OrgUpdateChecker;
  private readonly shown: string[] = [];
  /** The projects found by the last round (the folder picker offers them). */
  private projects: ProjectFolder[] = [];
  private readonly reviews = new Map<string, string>();
  private review: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<CheckResult[]> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a check found something new for the Layers view. */
  readonly onDidChangeStatus = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly ctx: Ctx) {
    // Later is kept per workspace: the same folders opened again are not told the same commit again.
    const memory = ctx.extension.workspaceState;
    this.checker = new OrgUpdateChecker({ git: systemGit({ env: process.env }), env: process.env, memory });
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

  /** The command: a check now, and a word when it brought no notification (the person asked). */
  async checkFromCommand(): Promise<CheckResult[]> {
    const before = this.shown.length;
    const results = await this.checkAll();
    if (this.shown.length > before || !vscode.workspace.isTrusted) return results;
    const behind = results.filter((result) => isBehindNow(result));
    const unreachable = results.filter((result) => result.report.unreachable).length;
    const checked = results.filter((result) => result.report.source).length;
    let message: string;
    if (checked === 0) message = 'no project in this window draws its org layers from git.';
    else if (behind.length > 0)
      message =
        `no new org layer commits since the last notification; ${plural(behind.length, 'project')} behind ` +
        `(Update Org Layers and Apply takes them).`;
    else message = `the org layers are up to date (${plural(checked, 'project')} checked).`;
    if (unreachable > 0) message += ` ${unreachable} could not reach the repository: see the Claude Env output.`;
    void vscode.window.showInformationMessage(`Claude Env: ${message}`);
    return results;
  }

  private async runChecks(): Promise<CheckResult[]> {
    if (!vscode.workspace.isTrusted) return [];
    const found = await workspaceProjects();
    this.projects = found.projects;
    for (const folder of found.truncated)
      this.ctx.output.warn(
        `Org layers: ${folder} has more projects than are searched; only the first ones are checked.`,
      );
    const results = await this.checker.checkAll(found.projects.map((project) => project.path));
    for (const result of results) {
      if (result.failed) this.ctx.output.error(`Org layers of ${result.workspace}: the check failed: ${result.failed}`);
      if (result.report.unreachable) {
        this.ctx.output.warn(
          `Org layers of ${result.workspace}: ${result.report.diagnostics[0]?.message ?? 'unreachable'}`,
        );
      }
    }
    for (const group of notificationGroups(results, found.projects)) this.notify(group);
    if (results.some((result) => result.report.source)) this.changed.fire();
    return results;
  }

  private notify(group: NotificationGroup): void {
    const { source, message } = group;
    this.shown.push(message);
    const folders = group.projects.map((project) => project.path);
    this.ctx.output.info(`${message}: ${source.url} ${source.ref} in ${folders.join(', ')}`);
    const target: OrgUpdateCommandOptions = folders.length === 1 ? { folder: folders[0] } : { among: folders };
    // Not awaited: the notification stays until answered. Later, or closing it, needs nothing: the checker keeps
    // "told about this commit" in the workspace state, so it is not told again, in this window or the next.
    void vscode.window.showInformationMessage(`Claude Env: ${message}`, 'Review', 'Update', 'Later').then((choice) => {
      if (choice === 'Review') void vscode.commands.executeCommand('claudeEnv.orgLayers.review', target);
      if (choice === 'Update') void vscode.commands.executeCommand('claudeEnv.orgLayers.update', target);
    });
  }

  /** Review: the effective change of an update, in a read-only document. */
  async openReview(...args: unknown[]): Promise<string | undefined> {
    const folder = await this.pickFolder(optionsOf(args), 'review');
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
    const folder = await this.pickFolder(options, 'update');
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

  /** The project an action is for: given, the only one, or picked by its path in the window. */
  private async pickFolder(options: OrgUpdateCommandOptions, action: 'review' | 'update'): Promise<string | undefined> {
    if (options.folder) return options.folder;
    if (this.projects.length === 0) this.projects = (await workspaceProjects()).projects;
    const among = options.among;
    const candidates = among ? this.projects.filter((project) => among.includes(project.path)) : this.projects;
    if (candidates.length <= 1) return candidates[0]?.path ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const items = candidates.map((project) => ({
      label: project.label,
      description: this.describe(project.path),
      path: project.path,
    }));
    return (await vscode.window.showQuickPick(items, { placeHolder: `Project whose org layer update to ${action}` }))
      ?.path;
  }

  /** `main, 2 behind` of the last check, for the picker. */
  private describe(folder: string): string | undefined {
    const status = this.checker.status(folder);
    if (!status) return undefined;
    if (status.rewritten) return `${status.ref}, history rewritten`;
    return status.behind > 0 ? `${status.ref}, ${status.behind} behind` : `${status.ref}, up to date`;
  }

  dispose(): void {
    clearInterval(this.timer);
    this.changed.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
