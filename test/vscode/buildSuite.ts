/**
 * Builds what a VS Code instance loads for the extension suite: the extension bundles (scripts/build.mjs) and
 * one esbuild bundle of test/vscode/suite/ with mocha inside, so the suite does not depend on how the extension
 * host resolves modules (mocha 12 is ESM-only; VS Code's extension host loads the tests module with require).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';

/** Where the bundled suite is written (git-ignored). */
export function suiteBundlePath(repoRoot: string): string {
  return join(repoRoot, 'out', 'vscode-suite', 'index.js');
}

/** Builds the extension, the language server and the in-editor suite; returns the suite's entry path. */
export async function buildExtensionAndSuite(repoRoot: string): Promise<string> {
  const extensionBuild = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (extensionBuild.status !== 0) throw new Error(`scripts/build.mjs failed (${extensionBuild.status})`);
  const outfile = suiteBundlePath(repoRoot);
  await build({
    entryPoints: [join(repoRoot, 'test', 'vscode', 'suite', 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode'],
    logLevel: 'warning',
    // As in scripts/build.mjs: jsonc-parser's UMD entry hides its requires from the bundler; its ESM entry bundles.
    mainFields: ['module', 'main'],
    // Mocha's parallel mode resolves worker files at run time; the suite runs serially and never loads them.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  return outfile;
}
