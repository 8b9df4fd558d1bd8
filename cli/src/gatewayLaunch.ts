import { gatewayLaunchFrom } from '@claude-env/mcp';
import type { GatewayLaunch } from '@claude-env/engine';

/**
 * How `outputs.mcpVia: gateway` entries start the shim: this Node and the shim bundle next to this CLI, both
 * absolute (see `gatewayLaunchFrom`). Run from sources, the entry falls back to `claude-env mcp connect`.
 */
export function gatewayLaunch(): GatewayLaunch {
  return gatewayLaunchFrom(__dirname);
}
