/**
 * Runs the in-editor suite in a real VS Code: the VS Code server from the code-server npm package, opened in
 * headless Debian Chromium with the extension-development payload. The extension runs in the ordinary Node
 * extension host with the real `vscode` API. Everything it starts is torn down on success and on failure.
 *
 *   node --import tsx test/vscode/runWeb.ts [trusted|restricted]...
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  ensureVsCodeWeb,
  startVsCodeServer,
  type VsCodeServer,
  type VsCodeWebToolchain,
} from '../../scripts/vscode-server';
import { buildExtensionAndSuite } from './buildSuite';
import type { SuiteMode, SuiteReport } from './suiteReport';
import { prepareWorkspace } from './workspace';

export const repoRoot = resolve(__dirname, '..', '..');

/** Options of {@link runWebSuite}. */
export interface WebSuiteOptions {
  mode: SuiteMode;
  /** Logs and screenshots go here (under the git-ignored test-results/). */
  resultsDir: string;
  /** Upper bound for the whole in-editor suite, from page load to exit code. */
  timeoutMs?: number;
}

/** A finished suite run whose editor is still open, so a caller can drive the UI before closing it. */
export interface WebSuiteRun {
  mode: SuiteMode;
  /** Exit code the workbench reported for the tests module (0: every test passed). */
  exitCode: number;
  /** What the suite wrote; undefined when it crashed before writing. */
  report: SuiteReport | undefined;
  /** Page load to exit code, in milliseconds. */
  suiteMs: number;
  /** Setup check + build + server start + browser start, in milliseconds. */
  startupMs: number;
  /** The temp copy of examples/workspace the editor has open. */
  workspace: string;
  /** What the VS Code server (and so the extension host) got on top of this environment: isolated folders. */
  env: Record<string, string>;
  resultsDir: string;
  /** The page the suite ran in; its extension host has exited, so the extension's views are empty there. */
  page: Page;
  /**
   * Opens the same folder in a new workbench with the extension loaded and no tests, as a person would
   * (the suite's own extension host exits when the suite ends). The suite's page is closed first.
   */
  openWorkbench(): Promise<Page>;
  /** Closes the browser, stops the server and deletes the temp folder. */
  close(): Promise<void>;
}

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Its crash handler runs as a separate process that can outlive the browser on a shared machine.
  '--disable-crash-reporter',
  '--disable-breakpad',
];

/** Headless Debian Chromium for the workbench, with nothing that reaches out to the network on its own. */
export function launchChromium(toolchain: VsCodeWebToolchain): Promise<Browser> {
  return chromium.launch({ executablePath: toolchain.chromium, headless: true, args: chromiumArgs });
}

/** Starts VS Code with the extension under development, runs the suite, and returns with the editor open. */
export async function runWebSuite(options: WebSuiteOptions): Promise<WebSuiteRun> {
  const started = Date.now();
  mkdirSync(options.resultsDir, { recursive: true });
  const toolchain = ensureVsCodeWeb(repoRoot);
  const testsPath = await buildExtensionAndSuite(repoRoot);

  const prepared = prepareWorkspace(repoRoot, options.mode);
  const workspace = prepared.folder;
  const reportFile = prepared.reportFile;
  const workbenchLog = join(options.resultsDir, 'workbench.log');

  let server: VsCodeServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await prepared.stopDaemon();
    prepared.dispose();
  };

  try {
    server = await startVsCodeServer({
      toolchain,
      dataDir: join(prepared.temp, 'vscode'),
      trusted: options.mode === 'trusted',
      logFile: join(options.resultsDir, 'server.log'),
      env: prepared.env,
    });
    browser = await launchChromium(toolchain);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const exitCode = new Promise<number>((resolveExit) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      appendFileSync(
        workbenchLog,
        `[${type}] ${args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ')}\n`,
      );
    });
    page.on('pageerror', (error) => appendFileSync(workbenchLog, `[pageerror] ${error.stack ?? error}\n`));

    const url = server.workbenchUrl(workspace, { extensionPath: repoRoot, testsPath });
    const startupMs = Date.now() - started;
    const loaded = Date.now();
    await page.goto(url);
    const timeoutMs = options.timeoutMs ?? 300_000;
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      exitCode,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the in-editor suite did not finish within ${timeoutMs} ms; see ${workbenchLog}`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    const suiteMs = Date.now() - loaded;
    const report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as SuiteReport) : undefined;
    const running = server;
    const openWorkbench = async () => {
      await page.close();
      const person = await (browser as Browser).newPage({ viewport: { width: 1400, height: 900 } });
      // Two cores shared with the language server and the extension host: give the UI time before failing.
      person.setDefaultTimeout(60_000);
      person.on('pageerror', (error) => appendFileSync(workbenchLog, `[pageerror] ${error.stack ?? error}\n`));
      await person.goto(running.workbenchUrl(workspace, { extensionPath: repoRoot }));
      return person;
    };
    return {
      mode: options.mode,
      exitCode: code,
      report,
      suiteMs,
      startupMs,
      workspace,
      env: prepared.env,
      resultsDir: options.resultsDir,
      page,
      openWorkbench,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Prints a run the way mocha's spec reporter would, for people reading CI logs. */
export function formatReport(run: WebSuiteRun): string {
  const lines = [
    `VS Code ${run.report?.vscodeVersion ?? '?'} (${run.report?.uiKind ?? '?'}), ${run.mode}: exit code ${run.exitCode}`,
  ];
  for (const test of run.report?.tests ?? []) {
    lines.push(`  ${test.state === 'passed' ? '✔' : '✗'} ${test.title} (${test.durationMs} ms)`);
    if (test.error) lines.push(test.error.replace(/^/gm, '      '));
  }
  const timings = run.report?.timings;
  if (timings)
    lines.push(
      `  activate(): ${timings.activateMs.toFixed(1)} ms, activate() to language server running: ` +
        `${timings.serverStartMs?.toFixed(0) ?? '?'} ms`,
    );
  lines.push(`  startup ${run.startupMs} ms, suite ${run.suiteMs} ms`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const modes = process.argv.slice(2).filter((arg): arg is SuiteMode => arg === 'trusted' || arg === 'restricted');
  let failed = false;
  for (const mode of modes.length > 0 ? modes : (['trusted', 'restricted'] as const)) {
    const run = await runWebSuite({ mode, resultsDir: join(repoRoot, 'test-results', `vscode-web-${mode}`) });
    try {
      console.log(formatReport(run));
      failed ||= run.exitCode !== 0;
    } finally {
      await run.close();
    }
  }
  process.exitCode = failed ? 1 : 0;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
