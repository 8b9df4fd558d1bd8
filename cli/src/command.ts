import type { Palette } from './format/colour';

/** One option of a command, as `util.parseArgs` takes it plus what `--help` prints. */
export interface OptionSpec {
  type: 'boolean' | 'string';
  short?: string;
  multiple?: boolean;
  /** Placeholder in help, e.g. `DIR`. */
  valueName?: string;
  description: string;
}

/** Where a command writes and what it knows about the terminal. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Colours for stdout and stderr, each decided on its own stream. */
  outColour: Palette;
  errColour: Palette;
}

export interface CommandContext {
  io: CliIo;
  /** Absolute, existing folder the command works in (`--cwd`, default the process's). */
  cwd: string;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  debug: boolean;
}

/** A CLI command as data: the dispatcher parses, prints help and runs it; the command holds no argv logic. */
export interface CommandSpec {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Usage line after `claude-env `, e.g. `explain <dotted.path> [--json]`. */
  usage: string;
  /** Paragraphs printed by `--help`. */
  description: string[];
  options: Record<string, OptionSpec>;
  /** Allowed number of positional arguments. */
  positionals: { min: number; max: number; name?: string };
  /** Sub-commands (`mcp list|check|run`); when present the first positional selects one. */
  subcommands?: CommandSpec[];
  /** Exit codes this command can return, for `--help`. */
  exitCodes: [number, string][];
  run(context: CommandContext): Promise<number>;
}

export function flag(context: CommandContext, name: string): boolean {
  return context.values[name] === true;
}

export function stringOption(context: CommandContext, name: string): string | undefined {
  const value = context.values[name];
  return typeof value === 'string' ? value : undefined;
}
