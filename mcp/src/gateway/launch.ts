import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { DEFAULT_GATEWAY_LAUNCH, type GatewayLaunch } from '@claude-env/engine';

/** File names of the bundles, side by side in `dist/` (the CLI's install and the extension's package alike). */
export const SHIM_BUNDLE = 'mcp-connect.js';
export const CLI_BUNDLE = 'cli.js';

/**
 * A plain Node for processes that outlive the caller (the shim a client starts, the daemon): this process's own
 * executable unless it is Electron (the VS Code desktop extension host), then the first `node` on `PATH`.
 * Undefined when there is none.
 */
export function plainNode(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!process.versions.electron) return process.execPath;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'node');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * How `outputs.mcpVia: gateway` entries start the shim: a plain Node and the shim bundle in `bundleDir`, both
 * absolute, so that a client needs no `claude-env` on its `PATH` and pays no CLI start-up. Without the bundle
 * (run from sources) or a Node, the entry falls back to `claude-env mcp connect`.
 */
export function gatewayLaunchFrom(bundleDir: string, env: NodeJS.ProcessEnv = process.env): GatewayLaunch {
  const shim = join(bundleDir, SHIM_BUNDLE);
  const node = plainNode(env);
  return node && existsSync(shim) ? { command: node, args: [shim] } : DEFAULT_GATEWAY_LAUNCH;
}

/**
 * The argv and environment that start `claude-env mcp daemon` from the CLI bundle in `bundleDir`, as the shim
 * does. Under Electron with no Node on `PATH`, Electron itself runs as Node.
 */
export function daemonLaunchFrom(
  bundleDir: string,
  env: NodeJS.ProcessEnv = process.env,
): { command: string[]; env: NodeJS.ProcessEnv } {
  const cli = join(bundleDir, CLI_BUNDLE);
  const node = plainNode(env);
  if (node) return { command: [node, cli, 'mcp', 'daemon'], env };
  return { command: [process.execPath, cli, 'mcp', 'daemon'], env: { ...env, ELECTRON_RUN_AS_NODE: '1' } };
}
