/**
 * The Claude Env Dashboard: one webview panel per window. Its page loads only the bundled script from the
 * extension's dist/webview folder under a Content Security Policy that allows nothing else (no network, no
 * inline script, styles by nonce); the figures come in as messages: the usage summary and the MCP servers'
 * history, read when the panel opens or shows again and on Refresh, and while it is visible again after the
 * daemon's fleet changes (at most every 15 s, ./liveRefresh.ts).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { DashboardData, DashboardMessage, ServersData, WebviewRequest } from '../../webview/messages';
import { LiveRefresh, type FollowChanges } from './liveRefresh';
import { dashboardHtml } from './page';
import type { ServerHistory } from './serverHistory';
import type { UsageTracker } from './usageTracker';

export const DASHBOARD_VIEW_TYPE = 'claudeEnv.dashboard';

export class DashboardPanel implements vscode.Disposable {
  private static current: DashboardPanel | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  /** Reveals the dashboard, creating it on first use, and reads the transcripts and the server history again. */
  static async show(
    extensionUri: vscode.Uri,
    tracker: UsageTracker,
    history: ServerHistory,
    followChanges: FollowChanges,
  ): Promise<DashboardPanel> {
    if (DashboardPanel.current) {
      DashboardPanel.current.panel.reveal();
    } else {
      const panel = vscode.window.createWebviewPanel(
        DASHBOARD_VIEW_TYPE,
        'Claude Env Dashboard',
        vscode.ViewColumn.Active,
        {
          enableScripts: true,
          localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
          retainContextWhenHidden: false,
        },
      );
      DashboardPanel.current = new DashboardPanel(panel, extensionUri, tracker, history, followChanges);
    }
    const shown = DashboardPanel.current;
    if (tracker.latest) await shown.post(tracker.latest);
    if (history.latest) await shown.post(history.latest);
    await shown.refresh();
    return shown;
  }

  static get open(): DashboardPanel | undefined {
    return DashboardPanel.current;
  }

  /** The last figures sent to the page (for tests): the usage summary, and the servers' history. */
  lastPosted: DashboardData | undefined;
  lastPostedServers: ServersData | undefined;
  private readonly postedServers = new vscode.EventEmitter<ServersData>();
  /** Fires when the servers' history was posted to the page (after Refresh, or a change of the fleet). */
  readonly onDidPostServers = this.postedServers.event;
  /** When the history is read again on its own; for tests. */
  readonly live: LiveRefresh;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly tracker: UsageTracker,
    private readonly history: ServerHistory,
    followChanges: FollowChanges,
  ) {
    panel.webview.html = pageHtml(panel.webview, extensionUri);
    this.live = new LiveRefresh(() => this.history.refresh(), followChanges);
    this.live.setVisible(panel.visible);
    let wasVisible = panel.visible;
    this.subscriptions.push(
      this.postedServers,
      { dispose: () => this.live.dispose() },
      tracker.onDidUpdate((data) => void this.post(data)),
      history.onDidUpdate((data) => void this.post(data)),
      panel.webview.onDidReceiveMessage((message: WebviewRequest) => {
        if (message.type === 'refresh') void this.refresh();
        if (message.type === 'ready') {
          if (tracker.latest) void this.post(tracker.latest);
          if (history.latest) void this.post(history.latest);
        }
      }),
      // Read again whenever a person comes back to the panel; while it is hidden nothing is followed or read.
      panel.onDidChangeViewState(() => {
        this.live.setVisible(panel.visible);
        if (panel.visible && !wasVisible) void this.live.readNow();
        wasVisible = panel.visible;
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.live.refollow()),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Reads the transcripts and the server history again (the daemon flushes first); each posts when read. */
  async refresh(): Promise<void> {
    await Promise.all([this.tracker.refresh(), this.live.readNow()]);
  }

  private async post(data: DashboardMessage): Promise<void> {
    if (data.type === 'servers') this.lastPostedServers = data;
    else this.lastPosted = data;
    await this.panel.webview.postMessage(data);
    if (data.type === 'servers') this.postedServers.fire(data);
  }

  dispose(): void {
    if (DashboardPanel.current === this) DashboardPanel.current = undefined;
    for (const subscription of this.subscriptions) subscription.dispose();
    this.subscriptions.length = 0;
  }
}

function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'dashboard.js'));
  return dashboardHtml({
    cspSource: webview.cspSource,
    scriptUri: script.toString(),
    nonce: randomBytes(16).toString('base64'),
  });
}
