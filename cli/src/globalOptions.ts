import type { OptionSpec } from './command';

/** Options every command accepts. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  cwd: { type: 'string', valueName: 'DIR', description: 'work in DIR instead of the current folder' },
  team: {
    type: 'string',
    valueName: 'LIST',
    description: "use these teams (comma-separated) instead of the project's `teams` list",
  },
  help: { type: 'boolean', short: 'h', description: 'show help and exit' },
  debug: { type: 'boolean', description: 'print stack traces of unexpected errors' },
};
