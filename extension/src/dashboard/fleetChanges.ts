/**
 * The gateway daemon's fleet changing, for the dashboard's live history: the MCP Servers view's own
 * subscription when the view follows the daemon (its fleet is the gateway's), else a subscription of the
 * dashboard's own, held only while it is followed. Nothing is asked of the daemon in an untrusted window, as the
 * view asks nothing. Imports no `vscode`.
 */
import type { GatewayPaths } from '@claude-env/mcp';
import { DaemonFollower } from '../mcp/daemonFollower';
import type { EditorFleet } from '../mcp/fleet';

export interface FleetChangesOptions {
  /** The view's fleet; undefined in a window with no project layer. */
  fleet: EditorFleet | undefined;
  trusted: () => boolean;
  paths: GatewayPaths;
  log: (message: string) => void;
}

/** Calls `changed` on every pushed change of the daemon's fleet until disposed; a no-op when untrusted. */
export function followFleetChanges(options: FleetChangesOptions, changed: () => void): { dispose(): void } {
  if (!options.trusted()) return { dispose: () => undefined };
  const { fleet } = options;
  let own: DaemonFollower | undefined;
  // The view's fleet can switch supervisor while followed: the dashboard then takes over, or hands back.
  const decide = () => {
    const shared = fleet?.mode === 'gateway';
    if (shared && own) {
      own.dispose();
      own = undefined;
    } else if (!shared && !own) {
      // Its first word is the fleet as it is (or that no daemon answers), which the panel has just read.
      let first = true;
      const ownChanged = () => {
        if (!first) changed();
        first = false;
      };
      own = new DaemonFollower(options.paths, ownChanged, options.log);
      own.follow();
    }
  };
  const onFleetChanged = () => {
    decide();
    if (fleet?.mode === 'gateway') changed();
  };
  fleet?.on('changed', onFleetChanged);
  decide();
  return {
    dispose: () => {
      fleet?.off('changed', onFleetChanged);
      own?.dispose();
      own = undefined;
    },
  };
}
