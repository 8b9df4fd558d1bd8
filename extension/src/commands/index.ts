/**
 * The command table: every `claudeEnv.*` command, what it needs, and its handler factory. package.json
 * `contributes.commands` lists the same ids with their titles.
 */
import type { CommandSpec } from './registry';
import { explainAtCursor, explainPath, showEffectiveConfiguration } from './effective';
import { apply, importExisting, initialize } from './files';
import { showDashboard } from '../dashboard';
import {
  goToServerDefinition,
  reloadServers,
  restartServer,
  setSecret,
  showServerLog,
  startAllServers,
  startServer,
  stopAllServers,
  stopServer,
} from '../mcp/commands';

export const COMMAND_TABLE: Record<string, CommandSpec> = {
  showEffectiveConfiguration: { needs: 'server', writes: false, create: showEffectiveConfiguration },
  explainAtCursor: { needs: 'server', writes: false, create: explainAtCursor },
  // The server's code lenses run this one with `[uri, dottedPath]` (protocol.ts `ClientCommands.explain`).
  explain: { needs: 'server', writes: false, create: explainPath },
  apply: { needs: 'nothing', writes: true, create: apply },
  init: { needs: 'nothing', writes: true, create: initialize },
  import: { needs: 'nothing', writes: true, create: importExisting },
  // Validation only: the server reads files and never runs them, so restarting it is fine in Restricted Mode.
  restartServer: {
    needs: 'nothing',
    writes: false,
    create: (ctx) => async () => {
      await ctx.restart();
      return ctx.isReady();
    },
  },
  refreshViews: {
    needs: 'nothing',
    writes: false,
    create: (ctx) => async () => ctx.refreshViews(),
  },
  // MCP servers: starting one runs a program, so those are refused in Restricted Mode; stopping is always allowed.
  'mcp.start': { needs: 'fleet', writes: true, create: startServer },
  'mcp.restart': { needs: 'fleet', writes: true, create: restartServer },
  'mcp.stop': { needs: 'fleet', writes: false, create: stopServer },
  'mcp.showLog': { needs: 'fleet', writes: false, create: showServerLog },
  'mcp.goToDefinition': { needs: 'fleet', writes: false, create: goToServerDefinition },
  'mcp.startAll': { needs: 'fleet', writes: true, create: startAllServers },
  'mcp.stopAll': { needs: 'fleet', writes: false, create: stopAllServers },
  'mcp.reload': { needs: 'fleet', writes: false, create: reloadServers },
  // Storing a secret starts nothing, so it is allowed in Restricted Mode; servers pick it up once trusted.
  setSecret: { needs: 'nothing', writes: false, create: setSecret },
  // Reads Claude Code's transcripts and shows figures; runs nothing, so Restricted Mode allows it.
  showDashboard: { needs: 'nothing', writes: false, create: showDashboard },
};
