/**
 * `server.commandNotFound`: a stdio server whose `command` cannot be found. Claude Code would fail to start it
 * without saying why, so the layer that set the command gets a warning at the command's value.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { Diagnostic, EffectiveEnvironment, EffectiveNode } from '@claude-env/engine';
import { DiagnosticCode } from '@claude-env/engine';
import type { WorkspaceRule } from './rule';

/** Looks a command up on PATH (and PATHEXT on Windows); absolute and relative paths are checked as they are. */
export function findExecutable(command: string, cwd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  const candidates: string[] = [];
  if (isAbsolute(command)) candidates.push(command);
  else if (command.includes('/') || command.includes('\\')) candidates.push(resolve(cwd, command));
  else for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) candidates.push(join(dir, command));
  for (const candidate of candidates) {
    for (const extension of extensions) {
      if (isExecutableFile(candidate + extension)) return candidate + extension;
    }
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Options for tests and for clients that start servers with a different PATH. */
export interface CommandRuleOptions {
  env?: NodeJS.ProcessEnv;
}

const LOOKUP_TTL_MS = 10_000;

export function commandNotOnPathRule(options: CommandRuleOptions = {}): WorkspaceRule {
  // PATH lookups hit the disk; a keystroke elsewhere in the file must not repeat them for every server. Entries
  // expire so that installing the missing tool clears the warning without restarting the server.
  const cache = new Map<string, { exists: boolean; at: number }>();
  return {
    code: DiagnosticCode.serverCommandNotFound,
    check(env: EffectiveEnvironment): Diagnostic[] {
      const found: Diagnostic[] = [];
      const servers = env.tree.children?.get('mcpServers');
      for (const server of env.servers) {
        if (server.type !== 'stdio' || !server.command) continue;
        // References are resolved only when the server starts; they cannot be checked here.
        if (server.command.includes('${')) continue;
        const cwd = server.cwd ? resolve(env.stack.workspace, server.cwd) : env.stack.workspace;
        const key = `${cwd}\u0000${server.command}`;
        let entry = cache.get(key);
        if (!entry || Date.now() - entry.at > LOOKUP_TTL_MS) {
          entry = { exists: findExecutable(server.command, cwd, options.env) !== undefined, at: Date.now() };
          cache.set(key, entry);
        }
        if (entry.exists) continue;
        const commandNode: EffectiveNode | undefined = servers?.children?.get(server.name)?.children?.get('command');
        const origin = commandNode?.origin ?? server.origin;
        found.push({
          file: origin.file,
          range: origin.range,
          severity: 'warning',
          code: DiagnosticCode.serverCommandNotFound,
          message: `\`${server.command}\` is not on PATH, so the server \`${server.name}\` cannot start. Install it or give the full path.`,
          data: { server: server.name, command: server.command },
        });
      }
      return found;
    },
  };
}
