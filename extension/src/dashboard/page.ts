/**
 * The dashboard page's HTML, without the editor (a test loads it in a plain browser). Nothing but the bundled
 * script runs and nothing is fetched: `default-src 'none'`, the script and styles by nonce.
 */

/** Where the page's script comes from, and the nonce its script and styles carry. */
export interface PageSources {
  /** The webview's own origin (`cspSource`). */
  cspSource: string;
  scriptUri: string;
  nonce: string;
}

/** The dashboard's page: a strict Content Security Policy, the editor's theme colours, one nonce'd script. */
export function dashboardHtml({ cspSource, scriptUri, nonce }: PageSources): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
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
<script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}

/** Editor theme colours only, so the page follows light, dark and high-contrast themes. */
const PAGE_STYLE = `
body { color: var(--vscode-foreground); background: var(--vscode-editor-background);
  font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 20px 20px; }
h1 { font-size: 1.4em; font-weight: 600; } h2 { font-size: 1.1em; font-weight: 600; margin-top: 24px; }
h3 { font-size: 1em; font-weight: 600; } caption { text-align: left; padding: 4px 0; font-weight: 600; }
code { font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); }
details { margin-top: 12px; } summary { cursor: pointer; }
.controls { display: flex; gap: 8px 20px; align-items: center; flex-wrap: wrap; margin: 8px 0 16px; }
.switch { display: inline-flex; gap: 8px; align-items: center; white-space: nowrap; }
.switch vscode-single-select { width: 15em; }
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
td.number, th.number { text-align: right; white-space: nowrap; }
.note { color: var(--vscode-descriptionForeground); margin-top: 12px; }
.problem, td.errors { color: var(--vscode-errorForeground); }
:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
`;
