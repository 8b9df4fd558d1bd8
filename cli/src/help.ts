import type { CommandSpec, OptionSpec } from './command';
import { GLOBAL_OPTIONS } from './globalOptions';

const PROGRAM = 'claude-env';

function optionLine(name: string, spec: OptionSpec): [string, string] {
  const short = spec.short ? `-${spec.short}, ` : '    ';
  const value = spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : '';
  return [`${short}--${name}${value}`, spec.description];
}

function table(rows: [string, string][], indent = '  '): string[] {
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `${indent}${left.padEnd(width)}  ${right}`.trimEnd());
}

/** Help paragraphs are wrapped so they read well in an 80–100 column terminal and in `--help | less`. */
const HELP_WIDTH = 100;

function wrap(paragraph: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of paragraph.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** The text of `claude-env --help`. */
export function programHelp(commands: CommandSpec[], version: string): string {
  const lines = [
    `${PROGRAM} ${version} — one layered environment for Claude Code and MCP servers`,
    '',
    `Usage: ${PROGRAM} <command> [options] [--cwd DIR]`,
    '',
    'Commands:',
    ...table(commands.map((command) => [command.name, command.summary])),
    '',
    'Global options:',
    ...table(Object.entries(GLOBAL_OPTIONS).map(([name, spec]) => optionLine(name, spec))),
    '',
    `Run \`${PROGRAM} <command> --help\` for a command's options and exit codes.`,
    'Exit codes: 0 ok, 1 findings, 2 usage, 3 drift refused, 4 workspace not loaded, 70 internal error.',
    'Documentation: docs/cli.md',
  ];
  return `${lines.join('\n')}\n`;
}

/** The text of `claude-env <command> --help`. */
export function commandHelp(command: CommandSpec, parent?: CommandSpec): string {
  const name = parent ? `${parent.name} ${command.name}` : command.name;
  // A sub-command's usage may already start with its parent's name (`mcp list …`); don't say it twice.
  const prefix = parent && !command.usage.startsWith(`${parent.name} `) ? `${parent.name} ` : '';
  const lines = [
    `Usage: ${PROGRAM} ${prefix}${command.usage}`,
    '',
    ...command.description.flatMap((p) => [...wrap(p, HELP_WIDTH), '']),
  ];
  if (command.subcommands) {
    lines.push(
      'Commands:',
      ...table(command.subcommands.map((sub) => [`${command.name} ${sub.name}`, sub.summary])),
      '',
    );
  }
  const own = Object.entries(command.options);
  if (own.length > 0) lines.push('Options:', ...table(own.map(([n, spec]) => optionLine(n, spec))), '');
  lines.push('Global options:', ...table(Object.entries(GLOBAL_OPTIONS).map(([n, spec]) => optionLine(n, spec))));
  if (command.exitCodes.length > 0)
    lines.push('', 'Exit codes:', ...table(command.exitCodes.map(([code, meaning]) => [String(code), meaning])));
  if (command.subcommands) lines.push('', `Run \`${PROGRAM} ${name} <command> --help\` for each command.`);
  return `${lines.join('\n')}\n`;
}
