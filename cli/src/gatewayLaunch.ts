import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_GATEWAY_LAUNCH, type GatewayLaunch } from '@claude-env/engine';

/**
 * How `outputs.mcpVia: gateway` entries start the shim: this Node and the shim bundle next to this CLI, both
 * absolute, so that Claude Code needs no `claude-env` on its `PATH` and pays no CLI start-up. Run from sources
 * (no bundle beside us), the entry falls back to `claude-env mcp connect`.
 */
export function gatewayLaunch(): GatewayLaunch {
  const shim = join(__dirname, 'mcp-connect.js');
  return existsSync(shim) ? { command: process.execPath, args: [shim] } : DEFAULT_GATEWAY_LAUNCH;
}
