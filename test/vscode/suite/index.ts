/* eslint-disable @typescript-eslint/no-require-imports --
   mocha defines the bdd globals only after pre-require, so the test files are loaded with require() after it */
/**
 * Entry of the in-editor suite: VS Code loads this module as `extensionTestsPath` and awaits `run()`. It runs in
 * the real extension host, with the real `vscode` API, under both runners (browser workbench and desktop).
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import Mocha from 'mocha';
import { SUITE_REPORT_ENV, type SuiteMode, type SuiteReport, type SuiteTestResult } from '../suiteReport';
import { extension, suiteMode } from './helpers';

export async function run(): Promise<void> {
  const mode: SuiteMode = suiteMode();
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: Mocha.reporters.Spec });
  // Test files use the bdd globals; they only exist after 'pre-require', so the files are required below.
  mocha.suite.emit('pre-require', globalThis, 'claude-env-suite', mocha);
  require('./activation.test');
  require('./diagnostics.test');
  require('./hover.test');
  require('./views.test');
  require('./commands.test');
  require('./dashboard.test');
  if (mode === 'trusted') require('./trusted.test');
  else require('./restricted.test');
  require('./mcpServers.test');
  require('./gatewayView.test');
  // Last: it points the example's source at a git repository for a while.
  if (mode === 'trusted') require('./orgUpdates.test');

  const tests: SuiteTestResult[] = [];
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (test) =>
      tests.push({ title: test.titlePath().join(' › '), state: 'passed', durationMs: test.duration ?? 0 }),
    );
    runner.on('fail', (test, error: Error) =>
      tests.push({
        title: test.titlePath().join(' › '),
        state: 'failed',
        durationMs: test.duration ?? 0,
        error: error.stack ?? String(error),
      }),
    );
  });

  const reportFile = process.env[SUITE_REPORT_ENV];
  if (reportFile) {
    const report: SuiteReport = {
      mode,
      vscodeVersion: vscode.version,
      uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop',
      passed: tests.filter((test) => test.state === 'passed').length,
      failed: tests.filter((test) => test.state === 'failed').length,
      tests,
      timings: extension().isActive ? extension().exports.timings : undefined,
    };
    fs.writeFileSync(reportFile, JSON.stringify(report, null, 2));
  }
  if (failures > 0) throw new Error(`${failures} of ${tests.length} extension tests failed`);
}
