/**
 * Commands as data: each entry of the one command table (./index.ts) says what it needs (a running language
 * server, a supervised MCP fleet, a trusted workspace) and how to build the handler. Registration checks those
 * needs once, so no handler repeats the checks, and a command that cannot run says so and why instead of failing
 * silently; a handler that fails says so the same way for every command.
 */
import * as vscode from 'vscode';
import type { Ctx, CtxFleet, CtxInit } from '../ctx';

/** Every command id starts with this prefix (package.json `contributes.commands`). */
export const COMMAND_PREFIX = 'claudeEnv.';

type Handler = (...args: unknown[]) => Promise<unknown>;

/**
 * A command entry of the table. `writes`: writes files or runs programs, so refused in Restricted Mode.
 */
export type CommandSpec =
  /** Works without the language server or the fleet. */
  | { needs: 'nothing'; writes: boolean; create: (ctx: Ctx) => Handler }
  /** Needs the running language server. */
  | { needs: 'server'; writes: boolean; create: (ctx: CtxInit) => Handler }
  /** Needs a folder with a project layer, whose MCP servers the extension supervises. */
  | { needs: 'fleet'; writes: boolean; create: (ctx: CtxFleet) => Handler };

/** What a command returns when it refuses to run (tests and API callers read it; people see a message). */
export interface Refusal {
  refused: true;
  reason: string;
}

export const RESTRICTED_MODE_REASON =
  'this workspace is in Restricted Mode; Claude Env only validates untrusted folders and does not ' +
  'write files or run programs in them. Trust the folder to use this command.';

/** Refusal when the folder has no project layer, so there is nothing to supervise. */
export const NO_FLEET_REASON =
  'no folder of this window has a .claude-env/project.yaml, so there are no MCP servers to supervise';

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && (value as Partial<Refusal>).refused === true;
}

/** Why `spec` cannot run now, and what the person can do about it; undefined when it can. */
function refusalOf(ctx: Ctx, spec: CommandSpec): { reason: string; action?: RefusalAction } | undefined {
  if (spec.writes && !vscode.workspace.isTrusted)
    return { reason: RESTRICTED_MODE_REASON, action: 'Manage Workspace Trust' };
  if (spec.needs === 'server' && !ctx.isReady()) return { reason: ctx.notRunningReason, action: 'Open Output' };
  if (spec.needs === 'fleet' && !ctx.hasFleet()) return { reason: NO_FLEET_REASON };
  return undefined;
}

function handlerOf(ctx: Ctx, spec: CommandSpec): Handler {
  // refusalOf checked what each kind needs.
  switch (spec.needs) {
    case 'nothing':
      return spec.create(ctx);
    case 'server':
      return spec.create(ctx as CtxInit);
    case 'fleet':
      return spec.create(ctx as CtxFleet);
  }
}

/** Registers every command of `table` under the prefix. */
export function registerCommands(ctx: Ctx, table: Record<string, CommandSpec>): vscode.Disposable[] {
  return Object.entries(table).map(([name, spec]) =>
    vscode.commands.registerCommand(`${COMMAND_PREFIX}${name}`, async (...args: unknown[]) => {
      const refusal = refusalOf(ctx, spec);
      if (refusal) return refuse(ctx, name, refusal.reason, refusal.action);
      try {
        return await handlerOf(ctx, spec)(...args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        ctx.output.error(`${COMMAND_PREFIX}${name} failed: ${message}`);
        void vscode.window
          .showErrorMessage(`Claude Env: ${message}`, 'Open Output')
          .then((choice) => choice && ctx.output.show());
        return undefined;
      }
    }),
  );
}

type RefusalAction = 'Manage Workspace Trust' | 'Open Output';

function refuse(ctx: Ctx, name: string, reason: string, action?: RefusalAction): Refusal {
  ctx.output.warn(`${COMMAND_PREFIX}${name} not run: ${reason}`);
  // Not awaited: the message stays until dismissed, and callers must not hang on it.
  void vscode.window
    .showWarningMessage(`Claude Env: cannot run this command: ${reason}`, ...(action ? [action] : []))
    .then((choice) => {
      if (choice === 'Manage Workspace Trust') void vscode.commands.executeCommand('workbench.trust.manage');
      if (choice === 'Open Output') ctx.output.show();
    });
  return { refused: true, reason };
}
