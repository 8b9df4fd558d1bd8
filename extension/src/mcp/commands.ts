/**
 * The MCP commands, as data: each says whether it runs programs (refused in Restricted Mode, with the reason)
 * and how to build its handler. Server commands accept a view row, a server name, or nothing (then a pick).
 * Every handler returns what it did, so tests and other extensions can call it and read the outcome.
 */
import * as vscode from 'vscode';
import { canRestart, canStart, canStop } from '@claude-env/mcp';
import { RESTRICTED_MODE_REASON, type Refusal } from '../commands/registry';
import type { FleetEntry, McpFleet } from './fleet';
import type { ServerLogChannels } from './logs';
import { referencedSecretNames, setSecret, type SecretStorageProvider, type SetSecretArgs } from './secretStorage';
import type { McpTreeElement } from './tree';

/** What the handlers work with. */
export interface McpCommandContext {
  fleet: McpFleet;
  logs: ServerLogChannels;
  secrets: SecretStorageProvider;
  output: vscode.LogOutputChannel;
}

type Handler = (...args: unknown[]) => Promise<unknown>;

interface McpCommandSpec {
  /** Starts programs: refused while the workspace is not trusted. */
  runs: boolean;
  /** Needs a workspace with a claude-env project layer. */
  needsFleet: boolean;
  create: (ctx: McpCommandContext) => Handler;
}

/** Refusal when the folder has no project layer, so there is nothing to supervise. */
export const NO_WORKSPACE_REASON =
  'no folder of this window has a .claude-env/project.yaml, so there are no MCP servers to supervise';

/** The server a command was invoked for: a view row, a name, or a pick among `candidates`. */
async function serverArg(
  fleet: McpFleet,
  args: unknown[],
  candidates: (entry: FleetEntry) => boolean,
  placeHolder: string,
): Promise<string | undefined> {
  const first = args[0];
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object' && (first as McpTreeElement).kind === 'server')
    return (first as { name: string }).name;
  const names = fleet
    .list()
    .filter(candidates)
    .map((entry) => entry.definition.name);
  if (names.length === 0) {
    void vscode.window.showInformationMessage(`Claude Env: no MCP server to pick (${placeHolder.toLowerCase()}).`);
    return undefined;
  }
  return vscode.window.showQuickPick(names, { placeHolder });
}

/** Tells why a server cannot start (policy, missing secret) and offers the way out. */
function explainNotStartable(ctx: McpCommandContext, entry: FleetEntry): void {
  const action = entry.state === 'unresolved' ? 'Set Secret' : 'Go to Definition';
  void vscode.window
    .showWarningMessage(`Claude Env: ${entry.definition.name} cannot start: ${entry.reason}`, action)
    .then((choice) => {
      if (choice === 'Set Secret') void vscode.commands.executeCommand('claudeEnv.setSecret');
      if (choice === 'Go to Definition')
        void vscode.commands.executeCommand('claudeEnv.mcp.goToDefinition', entry.definition.name);
    });
  ctx.output.warn(`${entry.definition.name} not started: ${entry.reason}`);
}

const isStartable = (entry: FleetEntry) => entry.state !== 'blocked' && entry.state !== 'unresolved';

function serverCommand(
  placeHolder: string,
  candidates: (entry: FleetEntry) => boolean,
  act: (ctx: McpCommandContext, name: string) => Promise<unknown>,
): (ctx: McpCommandContext) => Handler {
  return (ctx) =>
    async (...args) => {
      const name = await serverArg(ctx.fleet, args, candidates, placeHolder);
      if (!name) return undefined;
      const entry = ctx.fleet.entry(name);
      if (!entry) throw new Error(`no MCP server named "${name}"`);
      return act(ctx, name);
    };
}

async function startOrExplain(ctx: McpCommandContext, name: string, restart: boolean): Promise<FleetEntry> {
  const entry = ctx.fleet.entry(name) as FleetEntry;
  if (!isStartable(entry)) {
    explainNotStartable(ctx, entry);
    return entry;
  }
  return restart ? ctx.fleet.restart(name) : ctx.fleet.start(name);
}

/** `claudeEnv.mcp.*` (and `claudeEnv.setSecret`) command ids without the `claudeEnv.` prefix. */
export const MCP_COMMANDS: Record<string, McpCommandSpec> = {
  'mcp.start': {
    runs: true,
    needsFleet: true,
    create: serverCommand(
      'Start MCP server',
      (e) => canStart(e.state),
      (ctx, name) => startOrExplain(ctx, name, false),
    ),
  },
  'mcp.restart': {
    runs: true,
    needsFleet: true,
    create: serverCommand(
      'Restart MCP server',
      (e) => canRestart(e.state),
      (ctx, name) => startOrExplain(ctx, name, true),
    ),
  },
  'mcp.stop': {
    runs: false,
    needsFleet: true,
    create: serverCommand(
      'Stop MCP server',
      (e) => canStop(e.state),
      (ctx, name) => ctx.fleet.stop(name),
    ),
  },
  'mcp.showLog': {
    runs: false,
    needsFleet: true,
    create: serverCommand(
      'Show the log of',
      () => true,
      async (ctx, name) => ctx.logs.show(name).name,
    ),
  },
  'mcp.goToDefinition': {
    runs: false,
    needsFleet: true,
    create: serverCommand(
      'Go to the definition of',
      () => true,
      async (ctx, name) => {
        const { origin } = (ctx.fleet.entry(name) as FleetEntry).definition;
        if (origin.file.startsWith('env:')) {
          void vscode.window.showInformationMessage(
            `Claude Env: ${name} is defined by the environment variable ${origin.file.slice(4)}.`,
          );
          return undefined;
        }
        const start = new vscode.Position(origin.keyRange.start.line, origin.keyRange.start.character);
        const end = new vscode.Position(origin.keyRange.end.line, origin.keyRange.end.character);
        const editor = await vscode.window.showTextDocument(vscode.Uri.file(origin.file), {
          selection: new vscode.Range(start, end),
          preview: false,
        });
        return editor.document.uri.fsPath;
      },
    ),
  },
  'mcp.startAll': { runs: true, needsFleet: true, create: (ctx) => async () => ctx.fleet.startAll() },
  'mcp.stopAll': {
    runs: false,
    needsFleet: true,
    create: (ctx) => async () => {
      await ctx.fleet.stopAll();
      return ctx.fleet.list();
    },
  },
  'mcp.reload': {
    runs: false,
    needsFleet: true,
    create: (ctx) => async () => {
      await ctx.fleet.reload();
      return ctx.fleet.list();
    },
  },
  // Storing a secret starts nothing, so it is allowed in Restricted Mode; servers pick it up once trusted.
  setSecret: {
    runs: false,
    needsFleet: false,
    create:
      (ctx) =>
      async (...args) => {
        const options = (typeof args[0] === 'object' && args[0] !== null ? args[0] : {}) as SetSecretArgs;
        const referenced = ctx.fleet ? referencedSecretNames(ctx.fleet.list().map((entry) => entry.definition)) : [];
        const name = await setSecret(ctx.secrets, referenced, options);
        // SecretStorage's change event also reloads, but a caller awaiting this command wants the result now.
        if (name && ctx.fleet) await ctx.fleet.reload();
        return name;
      },
  },
};

/**
 * Registers the table. `ctx` is undefined when no folder has a project layer: commands that need one refuse
 * and say why (Set Secret still works).
 */
export function registerMcpCommands(
  ctx: Partial<McpCommandContext> & Pick<McpCommandContext, 'secrets' | 'output'>,
): vscode.Disposable[] {
  return Object.entries(MCP_COMMANDS).map(([id, spec]) =>
    vscode.commands.registerCommand(`claudeEnv.${id}`, async (...args: unknown[]) => {
      if (spec.runs && !vscode.workspace.isTrusted) return refuse(ctx.output, id, RESTRICTED_MODE_REASON);
      if (spec.needsFleet && !ctx.fleet) return refuse(ctx.output, id, NO_WORKSPACE_REASON);
      try {
        return await spec.create(ctx as McpCommandContext)(...args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        ctx.output.error(`claudeEnv.${id} failed: ${message}`);
        void vscode.window
          .showErrorMessage(`Claude Env: ${message}`, 'Open Output')
          .then((choice) => choice && ctx.output.show());
        return undefined;
      }
    }),
  );
}

function refuse(output: vscode.LogOutputChannel, id: string, reason: string): Refusal {
  output.warn(`claudeEnv.${id} not run: ${reason}`);
  const action = reason === RESTRICTED_MODE_REASON ? 'Manage Workspace Trust' : undefined;
  void vscode.window
    .showWarningMessage(`Claude Env: cannot run this command: ${reason}`, ...(action ? [action] : []))
    .then((choice) => {
      if (choice === 'Manage Workspace Trust') void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return { refused: true, reason };
}
