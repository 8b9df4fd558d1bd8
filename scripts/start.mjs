// `npm start`: builds, prints the example workspace's effective environment with provenance (what the CLI
// shows), then opens that workspace in an editor with the extension loaded: desktop VS Code when `code` is
// installed, otherwise the VS Code server from scripts/vscode-setup.sh, whose URL is printed for your browser.
// Without a terminal (CI, pipes) it stops after printing, so `npm install && npm start` stays a one-shot.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const workspace = join(root, 'examples', 'workspace');

function run(command, args) {
  return spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status;
}

if (run(process.execPath, [join(root, 'scripts', 'build.mjs')]) !== 0) process.exit(1);
console.log(`$ claude-env show --explain --cwd examples/workspace`);
// The example references a secret nobody set: `show` reports it on stderr and still prints everything.
run(process.execPath, [join(root, 'dist', 'cli.js'), 'show', '--explain', '--cwd', 'examples/workspace']);

const interactive = process.stdout.isTTY === true && process.stdin.isTTY === true && !process.env.CI;
if (!interactive) {
  console.log(
    '\nNo terminal (or CI is set): not opening an editor. Run `npm start` in a terminal to open the example in VS Code.',
  );
  process.exit(0);
}

const codeOnPath = spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
if (codeOnPath) {
  console.log(`\nOpening ${workspace} in VS Code with the extension from ${root} loaded…`);
  // `code` hands over to the running VS Code (or starts one) and returns.
  const status = run('code', [`--extensionDevelopmentPath=${root}`, '--new-window', workspace]);
  process.exit(status ?? 1);
}

console.log(
  '\nNo desktop VS Code (`code`) found: starting the browser VS Code (VS Code server from the code-server package).',
);
const { tsImport } = await import('tsx/esm/api');
const { ensureVsCodeWeb, startVsCodeServer } = await tsImport('./vscode-server.ts', import.meta.url);
const toolchain = ensureVsCodeWeb(root, false);
const dataDir = mkdtempSync(join(tmpdir(), 'claude-env-start-'));
const server = await startVsCodeServer({ toolchain, dataDir, trusted: false, logFile: join(dataDir, 'server.log') });
const url = server.workbenchUrl(workspace, { extensionPath: root });
console.log(`\nOpen this URL in a browser on this machine (Ctrl+C here stops the server):\n\n  ${url}\n`);
console.log('The folder opens in Restricted Mode until you trust it: validation works, Apply asks for trust.');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Keeps the process alive until Ctrl+C; the server runs in its own process group.
setInterval(() => {}, 1 << 30);
