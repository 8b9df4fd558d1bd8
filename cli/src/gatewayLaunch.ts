import type { GatewayLaunch } from '@claude-env/engine';

/**
 * How `outputs.mcpVia: gateway` entries start the shim: this Node and the shim bundle next to this CLI, both
 * absolute (see `gatewayLaunchFrom`). Run from sources, the entry falls back to `claude-env mcp connect`.
 */
export function gatewayLaunch(): GatewayLaunch {
  // Loaded on first use: `@claude-env/mcp` brings the supervisor and the MCP SDK, which `show`, `validate` and
  // every other command that never starts a server should not pay for at start (see mcp-command.ts).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { gatewayLaunchFrom } = require('@claude-env/mcp') as typeof import('@claude-env/mcp');
  return gatewayLaunchFrom(__dirname);
}
