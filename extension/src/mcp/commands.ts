/**
 * The MCP commands' handlers (the command table in ../commands/index.ts says what each needs). Server commands
 * accept a view row, a server name, or nothing (then a pick). Every handler returns what it did, so tests and
 * other extensions can call it and read the outcome.
 */
import * as vscode from 'vscode';
import { canRestart, canStart, canStop } from '@claude-env/mcp';
import type { Ctx, CtxFleet } from '../ctx';
import type { FleetEntry, EditorFleet } from './fleet';
import { referencedSecretNames, setSecret as storeSecret, type SetSecretArgs } from './secretStorage';
import type { McpTreeElement } from './tree';

type Handler = (...args: unknown[]) => Promise<unknown>;

/** The server a command was invoked for: a view row, a name, or a pick among `candidates`. */
async function serverArg(
  fleet: EditorFleet,
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
function explainNotStartable(ctx: CtxFleet, entry: FleetEntry): void {
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
  act: (ctx: CtxFleet, name: string) => Promise<unknown>,
): (ctx: CtxFleet) => Handler {
  return (ctx) =>
    async (...args) => {
      const name = await serverArg(ctx.mcp.fleet, args, candidates, placeHolder);
      if (!name) return undefined;
      const entry = ctx.mcp.fleet.entry(name);
      if (!entry) throw new Error(`no MCP server named "${name}"`);
      return act(ctx, name);
    };
}

async function startOrExplain(ctx: CtxFleet, name: string, restart: boolean): Promise<FleetEntry> {
  const { fleet } = ctx.mcp;
  const entry = fleet.entry(name) as FleetEntry;
  if (!isStartable(entry)) {
    explainNotStartable(ctx, entry);
    return entry;
  }
  return restart ? fleet.restart(name) : fleet.start(name);
}

/** `claudeEnv.mcp.start`: starts a server, or says why it cannot. */
export const startServer = serverCommand(
  'Start MCP server',
  (e) => canStart(e.state),
  (ctx, name) => startOrExplain(ctx, name, false),
);

/** `claudeEnv.mcp.restart`. */
export const restartServer = serverCommand(
  'Restart MCP server',
  (e) => canRestart(e.state),
  (ctx, name) => startOrExplain(ctx, name, true),
);

/** `claudeEnv.mcp.stop`. */
export const stopServer = serverCommand(
  'Stop MCP server',
  (e) => canStop(e.state),
  (ctx, name) => ctx.mcp.fleet.stop(name),
);

/** `claudeEnv.mcp.showLog`: the server's output channel; returns its name. */
export const showServerLog = serverCommand(
  'Show the log of',
  () => true,
  async (ctx, name) => ctx.mcp.logs.show(name).name,
);

/** `claudeEnv.mcp.goToDefinition`: opens the layer line that defines the server; returns the file. */
export const goToServerDefinition = serverCommand(
  'Go to the definition of',
  () => true,
  async (ctx, name) => {
    const { origin } = (ctx.mcp.fleet.entry(name) as FleetEntry).definition;
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
);

/** `claudeEnv.mcp.startAll`. */
export const startAllServers = (ctx: CtxFleet) => async () => ctx.mcp.fleet.startAll();

/** `claudeEnv.mcp.stopAll`: returns the fleet afterwards. */
export const stopAllServers = (ctx: CtxFleet) => async () => {
  await ctx.mcp.fleet.stopAll();
  return ctx.mcp.fleet.list();
};

/** `claudeEnv.mcp.reload`: reads the layers again; returns the fleet. */
export const reloadServers = (ctx: CtxFleet) => async () => {
  await ctx.mcp.fleet.reload();
  return ctx.mcp.fleet.list();
};

/** `claudeEnv.setSecret`: stores a secret (the fleet, if any, picks it up); returns its name. */
export const setSecret =
  (ctx: Ctx) =>
  async (...args: unknown[]) => {
    if (!ctx.mcp) throw new Error('secret storage is not ready yet; try again once the window has loaded');
    const { fleet, secrets } = ctx.mcp;
    const options = (typeof args[0] === 'object' && args[0] !== null ? args[0] : {}) as SetSecretArgs;
    const referenced = fleet ? referencedSecretNames(fleet.list().map((entry) => entry.definition)) : [];
    const name = await storeSecret(secrets, referenced, options);
    // SecretStorage's change event also reloads, but a caller awaiting this command wants the result now.
    if (name && fleet) await fleet.reload();
    return name;
  };
