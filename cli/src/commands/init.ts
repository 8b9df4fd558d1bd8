import { join } from 'node:path';
import { flag, type CommandSpec } from '../command';
import { CliError } from '../errors';
import { ExitCode } from '../exitCodes';
import { ensureGitignore, ensureOutputsIgnored, existingProjectLayer, writeTextFile } from '../files';
import { displayPath } from '../format/diagnostics';
import { runImport } from './import';

/**
 * The project layer `init` writes: the reference fleet every team starts from, and the lines that connect the
 * repository to the organisation's layers, commented out until the user knows where those live.
 */
export const PROJECT_TEMPLATE = `# The project layer: committed with the repository. Higher layers (your user layer, .claude-env/local.yaml,
# CLAUDE_ENV_* variables) override it; the organisation's base and team layers sit below it.
# Run \`claude-env show --explain\` to see which file every value comes from.
version: 1

# Where the organisation's base and team layers come from: a folder holding base.yaml and teams/<name>.yaml
# (relative to this file). Git repositories pinned to a commit are planned.
# source:
#   path: ../../org-claude-env
# teams: [web]

settings:
  permissions:
    deny:
      - Read(./.env)
      - Read(./.env.*)

mcpServers:
  context7:
    command: npx
    args: ["-y", "@upstash/context7-mcp"]
  sequential-thinking:
    command: npx
    args: ["-y", "@modelcontextprotocol/server-sequential-thinking"]
  playwright:
    command: npx
    args: ["-y", "@playwright/mcp", "--headless", "--isolated"]
  magic:
    command: npx
    args: ["-y", "@21st-dev/magic"]
    env:
      # A reference, never the key itself: set it with CLAUDE_ENV_SECRET_MAGIC_API_KEY or in VS Code.
      API_KEY: \${secret:magic-api-key}
`;

export const initCommand: CommandSpec = {
  name: 'init',
  summary: 'create .claude-env/project.yaml with the reference MCP servers',
  usage: 'init [--from-existing]',
  description: [
    "Creates .claude-env/project.yaml (Context7, Sequential Thinking, Playwright and Magic, with commented `source` and `teams` lines) and .claude-env/.gitignore (local.yaml, state.json, backups/), and lists the files `apply` generates (.mcp.json, .claude/settings.local.json, .vscode/mcp.json) in the repository's .gitignore: they hold personal values. Never overwrites an existing project layer.",
    "With --from-existing, the project layer is imported from the repository's .claude/settings.json, .mcp.json and .vscode/mcp.json instead (see `claude-env import --help`).",
  ],
  options: {
    'from-existing': {
      type: 'boolean',
      description: 'import the existing Claude Code / VS Code files instead of the template',
    },
  },
  positionals: { min: 0, max: 0 },
  exitCodes: [
    [ExitCode.ok, 'created'],
    [ExitCode.findings, 'a project layer already exists, or the files to import have errors'],
    [ExitCode.usage, 'bad option'],
    [ExitCode.notLoaded, 'a file could not be read or written'],
  ],
  async run(context) {
    const { cwd, io } = context;
    const existing = existingProjectLayer(cwd);
    if (existing) {
      throw new CliError(`${displayPath(cwd, existing)} already exists; not overwriting it`, ExitCode.findings, [
        'edit it directly, or add existing files to it with `claude-env import`',
      ]);
    }
    if (flag(context, 'from-existing')) {
      const code = runImport({ cwd, files: [], to: 'project', print: false, mustCreate: true }, io);
      if (code === ExitCode.ok && ensureOutputsIgnored(cwd))
        io.err('added the files apply generates to .gitignore (they become personal, generated files)\n');
      return code;
    }
    const target = join(cwd, '.claude-env', 'project.yaml');
    writeTextFile(target, '.claude-env/project.yaml', PROJECT_TEMPLATE, cwd);
    const gitignoreChanged = ensureGitignore(cwd);
    const outputsIgnored = ensureOutputsIgnored(cwd);
    io.err(
      `created .claude-env/project.yaml${gitignoreChanged ? ' and .claude-env/.gitignore' : ''}${outputsIgnored ? '; the files apply generates are listed in .gitignore' : ''}\n`,
    );
    io.err(
      'next: set `source` and `teams` if your organisation has layers, then `claude-env validate` and `claude-env apply`\n',
    );
    return ExitCode.ok;
  },
};
