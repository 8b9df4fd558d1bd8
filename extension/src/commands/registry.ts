/**
 * Commands as data: each entry says what it needs (a running language server, a trusted workspace) and how to
 * build the handler. Registration checks those needs once, so no handler repeats the checks, and a command that
 * cannot run says so and why instead of failing silently.
 */
import * as vscode from 'vscode';
import type { Ctx, CtxInit } from '../ctx';

/** Every command id starts with this prefix (package.json `contributes.commands`). */
export const COMMAND_PREFIX = 'claudeEnv.';

type Handler = (...args: unknown[]) => Promise<unknown>;

/** A command entry of the table. */
export type CommandSpec =
  /** Works without the language server. `writes`: writes files or runs programs, so not in Restricted Mode. */
  | { needs: 'nothing'; writes: boolean; create: (ctx: Ctx) => Handler }
  /** Needs the running language server. */
  | { needs: 'server'; writes: boolean; create: (ctx: CtxInit) => Handler };

/** What a command returns when it refuses to run (tests and API callers read it; people see a message). */
export interface Refusal {
  refused: true;
  reason: string;
}

export const RESTRICTED_MODE_REASON =
  'this workspace is in Restricted Mode; Claude Env only validates untrusted folders and does not write files or run programs in them. Trust the folder to use this command.';

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && (value as Partial<Refusal>).refused === true;
}

/** Registers every command of `table` under the prefix. */
export function registerCommands(ctx: Ctx, table: Record<string, CommandSpec>): vscode.Disposable[] {
  return Object.entries(table).map(([name, spec]) =>
    vscode.commands.registerCommand(`${COMMAND_PREFIX}${name}`, async (...args: unknown[]) => {
      if (spec.writes && !vscode.workspace.isTrusted)
        return refuse(ctx, name, RESTRICTED_MODE_REASON, 'Manage Workspace Trust');
      if (spec.needs === 'nothing') return spec.create(ctx)(...args);
      if (!ctx.isReady()) return refuse(ctx, name, ctx.notRunningReason, 'Open Output');
      return spec.create(ctx)(...args);
    }),
  );
}

function refuse(ctx: Ctx, name: string, reason: string, action: 'Manage Workspace Trust' | 'Open Output'): Refusal {
  ctx.output.warn(`${COMMAND_PREFIX}${name} not run: ${reason}`);
  // Not awaited: the message stays until dismissed, and callers must not hang on it.
  void vscode.window.showWarningMessage(`Claude Env: cannot run this command: ${reason}`, action).then((choice) => {
    if (choice === 'Manage Workspace Trust') void vscode.commands.executeCommand('workbench.trust.manage');
    if (choice === 'Open Output') ctx.output.show();
  });
  return { refused: true, reason };
}
