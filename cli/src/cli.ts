import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo, CommandContext, CommandSpec } from './command';
import { asCliError, CliError, UsageError } from './errors';
import { ExitCode } from './exitCodes';
import { GLOBAL_OPTIONS } from './globalOptions';
import { commandHelp, programHelp } from './help';
import { closeMatches } from '@claude-env/engine';
import { escapingIo } from './format/printable';

/** Everything `runCli` needs besides argv: the command table and where the process stands. */
export interface CliSetup {
  commands: CommandSpec[];
  version: string;
  processCwd: string;
}

/** Splits argv into the command path (`mcp`, `check`) and the rest, skipping global options and their values. */
function commandWords(argv: string[], depth: number): { words: string[]; rest: string[] } {
  const words: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (words.length < depth && !token.startsWith('-')) {
      words.push(token);
      continue;
    }
    rest.push(token);
    // A string option's value must not be mistaken for the command name (`--cwd mcp list`).
    if ((token === '--cwd' || token === '--team') && i + 1 < argv.length) rest.push(argv[++i] as string);
    if (token === '--') {
      rest.push(...argv.slice(i + 1));
      break;
    }
  }
  return { words, rest };
}

function findCommand(name: string, commands: CommandSpec[], parent?: CommandSpec): CommandSpec {
  const found = commands.find((command) => command.name === name);
  if (found) return found;
  const where = parent ? `${parent.name} ` : '';
  const suggestions = closeMatches(
    name,
    commands.map((command) => command.name),
  );
  const hint =
    suggestions.length > 0 ? ` (did you mean ${suggestions.map((s) => `\`${where}${s}\``).join(' or ')}?)` : '';
  throw new UsageError(`unknown command \`${where}${name}\`${hint}`, parent?.name);
}

/** Resolves `--cwd` and checks that it is a folder we can work in. */
export function resolveWorkingFolder(processCwd: string, requested: string | undefined): string {
  const folder = resolve(processCwd, requested ?? '.');
  let isFolder: boolean;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'it does not exist' : code === 'EACCES' ? 'permission denied' : String(code);
    throw new CliError(`cannot work in ${requested ?? folder}: ${reason}`, ExitCode.notLoaded);
  }
  if (!isFolder) throw new CliError(`cannot work in ${requested ?? folder}: it is not a folder`, ExitCode.notLoaded);
  return folder;
}

/**
 * Runs one command line and returns the exit code. Throws only `CliError`s (`formatFailure` prints them) and bugs.
 */
export async function runCli(argv: string[], rawIo: CliIo, setup: CliSetup): Promise<number> {
  // Whatever the host, everything printed passes the escaping sink (a no-op when the host already wrapped it).
  const io = escapingIo(rawIo);
  const first = argv[0];
  if (first === undefined) {
    io.err(programHelp(setup.commands, setup.version));
    return ExitCode.usage;
  }
  if (first === '--version' || first === '-V' || first === 'version') {
    io.out(`${setup.version}\n`);
    return ExitCode.ok;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = argv[1];
    if (topic === undefined) {
      io.out(programHelp(setup.commands, setup.version));
      return ExitCode.ok;
    }
    io.out(commandHelp(findCommand(topic, setup.commands)));
    return ExitCode.ok;
  }

  const { words, rest } = commandWords(argv, 1);
  const top = words[0];
  if (top === undefined) {
    // Only options were given (`--cwd x --help`).
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(programHelp(setup.commands, setup.version));
      return ExitCode.ok;
    }
    throw new UsageError('no command given');
  }
  let command = findCommand(top, setup.commands);
  let parent: CommandSpec | undefined;
  let args = rest;
  if (command.subcommands) {
    const sub = commandWords(rest, 1);
    const subName = sub.words[0];
    if (subName === undefined) {
      if (rest.includes('--help') || rest.includes('-h')) {
        io.out(commandHelp(command));
        return ExitCode.ok;
      }
      throw new UsageError(
        `\`${command.name}\` needs a command: ${command.subcommands.map((s) => s.name).join(', ')}`,
        command.name,
      );
    }
    parent = command;
    command = findCommand(subName, command.subcommands, command);
    args = sub.rest;
  }
  const fullName = parent ? `${parent.name} ${command.name}` : command.name;

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // Node's messages name the option but mention internals (`ERR_PARSE_ARGS_UNKNOWN_OPTION`); keep the sentence.
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(message.charAt(0).toLowerCase() + message.slice(1), fullName);
  }
  const values = parsed.values as CommandContext['values'];
  if (values.help === true) {
    io.out(commandHelp(command, parent));
    return ExitCode.ok;
  }
  const { min, max, name } = command.positionals;
  if (parsed.positionals.length < min) {
    throw new UsageError(`\`${fullName}\` needs ${name ?? 'an argument'}`, fullName);
  }
  if (parsed.positionals.length > max) {
    const extra = parsed.positionals.slice(max).join(' ');
    throw new UsageError(`unexpected argument${parsed.positionals.length - max > 1 ? 's' : ''}: ${extra}`, fullName);
  }
  const cwd = resolveWorkingFolder(setup.processCwd, typeof values.cwd === 'string' ? values.cwd : undefined);
  // The team selection travels as CLAUDE_ENV_TEAMS, which discovery reads, so every command honours it alike.
  const teamIo = typeof values.team === 'string' ? { ...io, env: { ...io.env, CLAUDE_ENV_TEAMS: values.team } } : io;
  try {
    return await command.run({
      io: teamIo,
      cwd,
      values,
      positionals: parsed.positionals,
      debug: values.debug === true,
    });
  } catch (error) {
    // Every command gets the engine's errors worded the same way, with paths relative to where it works.
    throw asCliError(error, cwd, io.errColour);
  }
}
