/**
 * What the in-editor suite writes when it finishes, for the runner outside VS Code to read: the extension host's
 * stdout is not reliably visible to the runner (in the browser workbench it only reaches the page console).
 */

/** Environment variable naming the JSON file the suite writes its {@link SuiteReport} to. */
export const SUITE_REPORT_ENV = 'CLAUDE_ENV_SUITE_REPORT';

/** Environment variable telling the suite which Workspace Trust state the runner opened the folder in. */
export const SUITE_MODE_ENV = 'CLAUDE_ENV_SUITE_MODE';

/** `trusted`: the folder is trusted; `restricted`: opened in Restricted Mode. */
export type SuiteMode = 'trusted' | 'restricted';

export interface SuiteTestResult {
  /** Full title, suites joined with ' › '. */
  title: string;
  state: 'passed' | 'failed';
  durationMs: number;
  error?: string;
}

export interface SuiteReport {
  mode: SuiteMode;
  /** VS Code version the suite ran in (`vscode.version`). */
  vscodeVersion: string;
  /** How the host runs VS Code: `web` (browser workbench, Node extension host) or `desktop`. */
  uiKind: 'web' | 'desktop';
  passed: number;
  failed: number;
  tests: SuiteTestResult[];
  /** Measured by the extension in the extension host: `activate` alone, and `activate` until the server runs. */
  timings?: { activateMs: number; serverStartMs?: number };
}
