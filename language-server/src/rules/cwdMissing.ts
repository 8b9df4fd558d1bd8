/**
 * `server.cwdMissing`: a stdio server whose `cwd` folder does not exist. The spawn would fail with a bare
 * ENOENT that names the command, not the folder, so the warning sits on the `cwd` value instead.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Diagnostic, EffectiveEnvironment } from '@claude-env/engine';
import { DiagnosticCode } from '@claude-env/engine';
import type { WorkspaceRule } from './rule';

export function cwdMissingRule(): WorkspaceRule {
  return {
    code: DiagnosticCode.serverCwdMissing,
    check(env: EffectiveEnvironment): Diagnostic[] {
      const found: Diagnostic[] = [];
      const servers = env.tree.children?.get('mcpServers');
      for (const server of env.servers) {
        // References are resolved when the server starts; a folder named by one cannot be checked here.
        if (server.type !== 'stdio' || !server.cwd || server.cwd.includes('${')) continue;
        const folder = resolve(env.stack.workspace, server.cwd);
        if (isDirectory(folder)) continue;
        const origin = servers?.children?.get(server.name)?.children?.get('cwd')?.origin ?? server.origin;
        found.push({
          file: origin.file,
          range: origin.range,
          severity: 'warning',
          code: DiagnosticCode.serverCwdMissing,
          message: `The folder \`${server.cwd}\` (${folder}) does not exist, so the server \`${server.name}\` cannot start in it.`,
          data: { server: server.name, cwd: server.cwd },
        });
      }
      return found;
    },
  };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
