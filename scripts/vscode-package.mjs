// `npm run package`: a .vsix of the extension, from production bundles (minified, no source maps).
// It stages everything in out/vsix/ and packages from there, so a development build running at the same time
// (watch mode, tests) cannot swap unminified bundles into the package. The bundles hold every runtime
// dependency, so vsce's npm dependency walk is off, and .vscodeignore is an allow-list.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stage = join(root, 'out', 'vsix');
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = join(root, `${name}-${version}.vsix`);

rmSync(stage, { recursive: true, force: true });
mkdirSync(join(stage, 'dist'), { recursive: true });
const bundles = [
  { entry: 'extension/src/main.ts', out: 'dist/extension.js', external: ['vscode'] },
  { entry: 'language-server/src/main.ts', out: 'dist/server.js', external: [] },
  // The dashboard's page script runs in the webview, a browser.
  { entry: 'extension/webview/dashboard.ts', out: 'dist/webview/dashboard.js', external: [], platform: 'browser' },
];
await Promise.all(
  bundles.map((bundle) =>
    build({
      entryPoints: [join(root, bundle.entry)],
      outfile: join(stage, bundle.out),
      bundle: true,
      platform: bundle.platform ?? 'node',
      format: bundle.platform === 'browser' ? 'iife' : 'cjs',
      // Same as scripts/build.mjs: the oldest VS Code we support runs Node 18 in its extension host.
      target: bundle.platform === 'browser' ? 'es2022' : 'node18',
      minify: true,
      external: bundle.external,
      mainFields: ['module', 'main'],
      logLevel: 'warning',
    }),
  ),
);

const files = [
  'package.json',
  'README.md',
  'LICENSE',
  '.vscodeignore',
  'schemas/layer.schema.json',
  'extension/media',
  'extension/syntaxes',
  'extension/language-configuration.json',
];
for (const file of files) {
  if (existsSync(join(root, file))) cpSync(join(root, file), join(stage, file), { recursive: true });
}

// The README links into this repository (examples/, docs/, docs/images/): vsce rewrites those relative links
// against package.json's repository, so the listing's images and links work outside the repository.
const flags = ['package', '--no-dependencies', '--out', vsix];
// vsce asks interactively when LICENSE is missing; decide up front instead of hanging a CI job.
if (!existsSync(join(stage, 'LICENSE'))) flags.push('--skip-license');
const vsce = spawnSync(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), ...flags], {
  cwd: stage,
  stdio: 'inherit',
});
if (vsce.status !== 0) process.exit(vsce.status ?? 1);

const kib = (path) => `${(statSync(path).size / 1024).toFixed(0)} KiB`;
console.log(
  `\n${relative(root, vsix)}: ${kib(vsix)} (dist/extension.js ${kib(join(stage, 'dist', 'extension.js'))}, ` +
    `dist/server.js ${kib(join(stage, 'dist', 'server.js'))})`,
);
