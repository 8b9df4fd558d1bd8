import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { flag, type CommandSpec } from '../command';
import { ExitCode } from '../exitCodes';
import { claudeCodeVariables } from '@claude-env/engine';
import { loadWorkspace, secretContext } from '../workspace';

/**
 * `claude-env exec -- claude`: the files `apply` writes keep secrets as `${VAR}` references, so Claude Code
 * needs those variables in its environment when it starts the servers. This resolves them in memory and hands
 * them to the one process it starts; they are never written or printed.
 */
export const execCommand: CommandSpec = {
  name: 'exec',
  summary: 'run a command (e.g. `claude`) with the secrets the written files refer to in its environment',
  usage: 'exec [--strict] -- <command> [args…]',
  description: [
    'Resolves every `${secret:…}` and `${file:…}` reference of the effective settings and allowed ' +
      'servers, and runs the command with them in its environment under the names the written files ' +
      'use (`${secret:magic-api-key}` → `MAGIC_API_KEY`).',
    'The values stay in memory: nothing is written and nothing is printed. References that cannot ' +
      'be resolved are reported on stderr; the command still runs unless --strict is given.',
    "The command's exit code becomes claude-env's; a command killed by a signal gives 128 + the signal number.",
  ],
  options: {
    strict: { type: 'boolean', description: 'do not run the command when a reference cannot be resolved' },
  },
  positionals: { min: 1, max: Number.POSITIVE_INFINITY, name: 'command' },
  exitCodes: [
    [ExitCode.findings, 'with --strict: a reference could not be resolved (the command did not run)'],
    [ExitCode.usage, 'no command given'],
    [ExitCode.notLoaded, 'no project layer, or the command could not be started'],
    [0, "otherwise: the command's own exit code"],
  ],
  async run(context) {
    const { cwd, io } = context;
    const environment = loadWorkspace(cwd, io);
    const { variables, problems } = await claudeCodeVariables(environment, secretContext(cwd, io));
    for (const problem of problems) io.err(`claude-env: warning: ${problem}\n`);
    if (problems.length > 0 && flag(context, 'strict')) return ExitCode.findings;
    const [command, ...args] = context.positionals;
    return runWithVariables(command, args, cwd, { ...io.env, ...variables }, (message) => io.err(message));
  },
};

function runWithVariables(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  report: (message: string) => void,
): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: 'inherit' });
    // The terminal sends Ctrl-C to the whole foreground group; forwarding covers `kill <pid of claude-env>`.
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGTERM', forward);
    process.on('SIGHUP', forward);
    process.on('SIGINT', () => undefined);
    child.on('error', (error: NodeJS.ErrnoException) => {
      report(
        `claude-env: error: cannot run ${command}: ${error.code === 'ENOENT' ? 'command not found' : error.message}\n`,
      );
      resolve(ExitCode.notLoaded);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGTERM', forward);
      process.off('SIGHUP', forward);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}
