/**
 * Runs claude-env CLI commands (init, import, apply) in the extension host, in-process, so the editor writes
 * exactly what `claude-env` writes in a terminal, CI or a dev container: one implementation of each.
 */
import { version } from '../../package.json';
import { runCli } from '../../cli/src/cli';
import type { CliIo } from '../../cli/src/command';
import { COMMANDS } from '../../cli/src/commands';
import { CliError } from '../../cli/src/errors';
import { createPalette } from '../../cli/src/format/colour';

/** What a CLI run printed and returned. */
export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `claude-env <args> --cwd <cwd>`; CLI errors become a non-zero exit code and text, as in a terminal. */
export async function runClaudeEnv(args: string[], cwd: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const plain = createPalette(false);
  const io: CliIo = {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    env: process.env,
    outColour: plain,
    errColour: plain,
  };
  try {
    const exitCode = await runCli([...args, '--cwd', cwd], io, { commands: COMMANDS, version, processCwd: cwd });
    return { exitCode, stdout, stderr };
  } catch (error) {
    if (error instanceof CliError) {
      stderr += `${error.message}\n${error.details.map((line) => `  ${line}\n`).join('')}`;
      return { exitCode: error.exitCode, stdout, stderr };
    }
    throw error;
  }
}
