/**
 * The Claude Env Dashboard: one webview panel per window. Its page loads only the bundled script from the
 * extension's dist/webview folder under a Content Security Policy that allows nothing else (no network, no
 * inline script, styles by nonce); the figures come in as messages.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { DashboardData, WebviewRequest } from '../../webview/messages';
import type { UsageTracker } from './usageTracker';

export const DASHBOARD_VIEW_TYPE = 'claudeEnv.dashboard';

export class DashboardPanel implements vscode.Disposable {
  private static current: DashboardPanel | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  /** Reveals the dashboard, creating it on first use, and reads the transcripts again. */
  static async show(extensionUri: vscode.Uri, tracker: UsageTracker): Promise<DashboardPanel> {
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
      DashboardPanel.current = new DashboardPanel(panel, extensionUri, tracker);
    }
    const shown = DashboardPanel.current;
    if (tracker.latest) await shown.post(tracker.latest);
    await tracker.refresh();
    return shown;
  }

  static get open(): DashboardPanel | undefined {
    return DashboardPanel.current;
  }

  /** The last figures sent to the page (for tests). */
  lastPosted: DashboardData | undefined;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    tracker: UsageTracker,
  ) {
    panel.webview.html = pageHtml(panel.webview, extensionUri);
    this.subscriptions.push(
      tracker.onDidUpdate((data) => void this.post(data)),
      panel.webview.onDidReceiveMessage((message: WebviewRequest) => {
        if (message.type === 'refresh') void tracker.refresh();
        if (message.type === 'ready' && tracker.latest) void this.post(tracker.latest);
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private async post(data: DashboardData): Promise<void> {
    this.lastPosted = data;
    await this.panel.webview.postMessage(data);
  }

  dispose(): void {
    if (DashboardPanel.current === this) DashboardPanel.current = undefined;
    for (const subscription of this.subscriptions) subscription.dispose();
    this.subscriptions.length = 0;
  }
}

function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'dashboard.js'));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Claude Env Dashboard</title>
<style nonce="${nonce}">${PAGE_STYLE}</style>
</head>
<body>
<main id="dashboard" data-nonce="${nonce}" aria-live="polite"><p>Reading Claude Code's transcripts…</p></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

/** Editor theme colours only, so the page follows light, dark and high-contrast themes. */
const PAGE_STYLE = `
body { color: var(--vscode-foreground); background: var(--vscode-editor-background);
  font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 20px 20px; }
h1 { font-size: 1.4em; font-weight: 600; } h2 { font-size: 1.1em; font-weight: 600; margin-top: 24px; }
.controls { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; margin: 8px 0 16px; }
.summary { display: flex; gap: 32px; flex-wrap: wrap; }
.figure { font-size: 1.6em; font-weight: 600; }
.label { color: var(--vscode-descriptionForeground); }
.meter { height: 8px; background: var(--vscode-editorWidget-background);
  border: 1px solid var(--vscode-widget-border, transparent); width: 320px; max-width: 100%; margin-top: 6px; }
.meter > div { height: 100%; background: var(--vscode-charts-blue); }
.meter.over > div { background: var(--vscode-charts-red); }
.chart { position: relative; height: 320px; max-width: 960px; }
table { border-collapse: collapse; min-width: 480px; }
th, td { text-align: left; padding: 4px 12px 4px 0;
  border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-editorWidget-border)); }
td.number, th.number { text-align: right; }
.note { color: var(--vscode-descriptionForeground); margin-top: 12px; }
:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
`;
