/**
 * This month's Claude Code cost in the status bar (this project's when its transcripts have any, else all
 * projects'), and a notification when the project's budget reaches 80 % and 100 %, once per month and threshold.
 */
import * as vscode from 'vscode';
import type { DashboardData } from '../../webview/messages';
import type { UsageTracker } from './usageTracker';

export const SHOW_DASHBOARD_COMMAND = 'claudeEnv.showDashboard';
const THRESHOLDS = [1, 0.8];

function dollars(value: number): string {
  return `$${value.toFixed(2)}`;
}

export class UsageStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly subscription: vscode.Disposable;
  /** Notifications shown, for tests and the API. */
  readonly notified: string[] = [];

  constructor(
    tracker: UsageTracker,
    private readonly state: vscode.Memento,
    private readonly enabled: () => boolean,
  ) {
    this.item = vscode.window.createStatusBarItem('claudeEnv.usage', vscode.StatusBarAlignment.Left, 9);
    this.item.name = 'Claude Code usage';
    this.item.command = SHOW_DASHBOARD_COMMAND;
    this.subscription = tracker.onDidUpdate((data) => void this.show(data));
  }

  async show(data: DashboardData): Promise<void> {
    const scope = data.project ?? data.all;
    const unknown = scope.month.unknownPriceTokens > 0 ? ' + ?' : '';
    this.item.text = `$(graph) ${dollars(scope.month.costUSD)}${unknown}`;
    const whose = data.project ? data.projectName : 'all projects';
    const budget = data.budget
      ? `\nBudget: ${dollars(data.budget.spentUSD)} of ${dollars(data.budget.budgetUSD)}, ` +
        `forecast ${dollars(data.budget.forecastUSD)} by ${data.budget.monthEnd}`
      : '';
    this.item.tooltip = `Claude Code in ${scope.month.month}, ${whose}: ${dollars(scope.month.costUSD)}${unknown}${budget}`;
    if (this.enabled()) this.item.show();
    else this.item.hide();
    await this.notify(data);
  }

  private async notify(data: DashboardData): Promise<void> {
    const budget = data.budget;
    if (!budget || budget.budgetUSD <= 0) return;
    const reached = THRESHOLDS.find((threshold) => budget.fraction >= threshold);
    if (reached === undefined) return;
    const key = `claudeEnv.usage.notified.${budget.month}`;
    if (this.state.get<number>(key, 0) >= reached) return;
    const message =
      reached >= 1
        ? `Claude Code has used ${dollars(budget.spentUSD)} in ${budget.month}, over this project’s budget of ` +
          `${dollars(budget.budgetUSD)}.`
        : `Claude Code has used ${Math.floor(budget.fraction * 100)} % of this project’s ${dollars(budget.budgetUSD)} ` +
          `budget for ${budget.month} (forecast ${dollars(budget.forecastUSD)} by ${budget.monthEnd}).`;
    // Recorded before anything is awaited, so a second refresh right after cannot notify twice.
    this.notified.push(message);
    void this.state.update(key, reached);
    const choice = await vscode.window.showWarningMessage(message, 'Open Dashboard');
    if (choice === 'Open Dashboard') await vscode.commands.executeCommand(SHOW_DASHBOARD_COMMAND);
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
