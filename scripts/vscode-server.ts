/**
 * Starts the VS Code server shipped in the code-server npm package (installed by scripts/vscode-setup.sh) and
 * builds the URL that opens a folder with this extension loaded. Used by the extension test runner and by
 * scripts/start.mjs. The `code-server` wrapper rejects extension-development flags, so this starts
 * `server-main.js` directly; the development paths travel in the page URL's `payload`, which the workbench only
 * honours with `--enable-smoke-test-driver`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/** Paths of the cached toolchain, as printed by scripts/vscode-setup.sh. */
export interface VsCodeWebToolchain {
  node: string;
  serverMain: string;
  chromium: string;
}

/**
 * Runs the setup script (each step is skipped when cached) and reads the toolchain paths it prints. Without
 * `withChromium` the person's own browser opens VS Code and `chromium` may be empty.
 */
export function ensureVsCodeWeb(repoRoot: string, withChromium = true): VsCodeWebToolchain {
  const setup = spawnSync(
    'bash',
    [join(repoRoot, 'scripts', 'vscode-setup.sh'), ...(withChromium ? [] : ['--without-chromium'])],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  if (setup.status !== 0) {
    throw new Error(`scripts/vscode-setup.sh failed with exit code ${setup.status ?? setup.signal}`);
  }
  const printed = new Map(
    setup.stdout
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
  );
  const node = printed.get('node');
  const serverMain = printed.get('server');
  const chromium = printed.get('chromium');
  if (!node || !serverMain || chromium === undefined || (withChromium && !chromium))
    throw new Error(`unexpected output of vscode-setup.sh:\n${setup.stdout}`);
  return { node, serverMain, chromium };
}

/** Options of {@link startVsCodeServer}. */
export interface VsCodeServerOptions {
  toolchain: VsCodeWebToolchain;
  /** Holds the server's user data and extensions folders (fresh per run, so no state leaks between runs). */
  dataDir: string;
  /** False opens folders in Restricted Mode (the server then asks the workbench to honour Workspace Trust). */
  trusted: boolean;
  /** Added to the server's environment; the extension host inherits it. */
  env?: Record<string, string>;
  /** The server's stdout and stderr are appended here. */
  logFile: string;
  /** Bind a specific port; default: a free one. */
  port?: number;
  /** How long to wait for the server to listen. */
  startTimeoutMs?: number;
}

/** A running VS Code server. */
export interface VsCodeServer {
  host: string;
  port: number;
  /** The page URL that opens `folder` with the given development paths (absolute paths on this machine). */
  workbenchUrl(folder: string, development?: { extensionPath: string; testsPath?: string }): string;
  /** Stops the server and every process it started (extension host, language server). Safe to call twice. */
  stop(): Promise<void>;
}

/** Installs a packaged extension into the extensions folder a server started with the same `dataDir` uses. */
export function installVsix(toolchain: VsCodeWebToolchain, dataDir: string, vsix: string): void {
  const install = spawnSync(
    toolchain.node,
    [
      toolchain.serverMain,
      '--install-extension',
      vsix,
      '--force',
      ...dataDirArgs(dataDir),
      '--accept-server-license-terms',
    ],
    { encoding: 'utf8' },
  );
  if (install.status !== 0)
    throw new Error(`installing ${vsix} failed (${install.status}):\n${install.stdout}${install.stderr}`);
}

function dataDirArgs(dataDir: string): string[] {
  return ['--user-data-dir', join(dataDir, 'user-data'), '--extensions-dir', join(dataDir, 'extensions')];
}

/** Asks the kernel for a free loopback port. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts the server and resolves once its extension host agent listens. */
export async function startVsCodeServer(options: VsCodeServerOptions): Promise<VsCodeServer> {
  const host = '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const args = [
    options.toolchain.serverMain,
    '--host',
    host,
    '--port',
    String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--disable-telemetry',
    '--enable-smoke-test-driver',
    ...dataDirArgs(options.dataDir),
    ...(options.trusted ? ['--disable-workspace-trust'] : []),
  ];
  // Its own process group, so stop() can end the whole tree (extension host, our language server) at once.
  const child = spawn(options.toolchain.node, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env, VSCODE_CLI: undefined, ELECTRON_RUN_AS_NODE: undefined },
  });
  const killGroupNow = () => killGroup(child, 'SIGKILL');
  // If the caller crashes before stop(), do not leave a server behind on a shared machine.
  process.once('exit', killGroupNow);

  const stop = async () => {
    process.removeListener('exit', killGroupNow);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    // Children that ignored SIGTERM (or outlived the server) share its group.
    killGroup(child, 'SIGKILL');
    await new Promise<void>((resolve) => log.end(() => resolve()));
  };

  try {
    await waitForListening(child, log, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw error;
  }

  const origin = `http://${host}:${port}`;
  const remote = (path: string) => `vscode-remote://${host}:${port}${path}`;
  return {
    host,
    port,
    workbenchUrl(folder, development) {
      const payload: [string, string][] = [['skipWelcome', 'true']];
      if (development) {
        payload.push(['extensionDevelopmentPath', remote(development.extensionPath)]);
        if (development.testsPath) payload.push(['extensionTestsPath', remote(development.testsPath)]);
      }
      return `${origin}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    },
    stop,
  };
}

function waitForListening(child: ChildProcess, log: NodeJS.WritableStream, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    let listening = false;
    const timer = setTimeout(() => {
      reject(new Error(`VS Code server did not listen within ${timeoutMs} ms; output:\n${seen.slice(-2000)}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      if (listening) return;
      seen += chunk.toString();
      // The server prints this once the extension host agent accepts connections.
      if (/Extension host agent listening on/.test(seen)) {
        listening = true;
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`VS Code server exited early (${code ?? signal}); output:\n${seen.slice(-2000)}`));
    });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}
