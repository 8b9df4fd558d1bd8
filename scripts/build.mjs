// Bundles the CLI, the language server and the extension with esbuild.
// The CLI targets Node 18 because Debian's Node in dev containers is 18.
import { build } from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { layerValidatorCode } from './layerValidatorCode.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const bundles = [
  { entry: 'cli/src/main.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
  // The gateway's stdio shim on its own: what a client starts per session, so it must load in milliseconds.
  { entry: 'mcp/src/gateway/connectMain.ts', out: 'dist/mcp-connect.js', banner: '#!/usr/bin/env node' },
  { entry: 'language-server/src/main.ts', out: 'dist/server.js' },
  { entry: 'extension/src/main.ts', out: 'dist/extension.js', external: ['vscode'] },
  // The dashboard's page script, for the webview (a browser): Chart.js and @vscode-elements/elements inside.
  { entry: 'extension/webview/dashboard.ts', out: 'dist/webview/dashboard.js', platform: 'browser', format: 'iife' },
  // The gateway's OpenTelemetry metrics: imported by a daemon whose layers turn metrics on, by no one else.
  { entry: 'mcp/src/gateway/metrics/index.ts', out: 'dist/gateway-metrics.js', keepMetrics: true },
];

// The layer schema compiled ahead of time (ajv's standalone code) in place of engine/src/layerValidator.ts, which
// compiles it at run time: commands then load neither ajv's compiler nor spend the compile on each start.
const validatorCode = layerValidatorCode(root);
const precompiledValidator = {
  name: 'precompiled-layer-validator',
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]engine[\\/]src[\\/]layerValidator\.ts$/ }, () => ({
      contents: validatorCode,
      loader: 'js',
      resolveDir: root,
    }));
  },
};

/** `import('./metrics')` of the gateway daemon stays a run-time import of dist/gateway-metrics.js. */
const metricsApart = {
  name: 'gateway-metrics-apart',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^\.\/metrics$/, namespace: 'file' }, (args) =>
      args.kind === 'dynamic-import' && args.importer.endsWith(join('gateway', 'daemonMetrics.ts'))
        ? { path: './gateway-metrics.js', external: true }
        : undefined,
    );
  },
};

mkdirSync(join(root, 'dist'), { recursive: true });
await Promise.all(
  bundles
    .filter((bundle) => existsSync(join(root, bundle.entry)))
    .map((bundle) =>
      build({
        entryPoints: [join(root, bundle.entry)],
        outfile: join(root, bundle.out),
        bundle: true,
        platform: bundle.platform ?? 'node',
        format: bundle.format ?? 'cjs',
        target: bundle.platform === 'browser' ? 'es2022' : 'node18',
        sourcemap: production ? false : 'linked',
        minify: production,
        external: bundle.external ?? [],
        // jsonc-parser's UMD entry hides its requires from the bundler; its ESM entry bundles cleanly.
        mainFields: ['module', 'main'],
        banner: bundle.banner ? { js: bundle.banner } : undefined,
        plugins: bundle.keepMetrics ? [precompiledValidator] : [metricsApart, precompiledValidator],
        logLevel: 'warning',
        ...(watch ? {} : {}),
      }),
    ),
);
