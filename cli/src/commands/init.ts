import { initWorkspace } from '@claude-env/engine';
import { flag, type CommandSpec } from '../command';
import { CliError } from '../errors';
import { ExitCode } from '../exitCodes';
import { displayPath } from '../format/diagnostics';
import { printImport } from './import';

export const initCommand: CommandSpec = {
  name: 'init',
  summary: 'create .claude-env/project.yaml with the reference MCP servers',
  usage: 'init [--from-existing]',
  description: [
    'Creates .claude-env/project.yaml (Context7, Sequential Thinking, Playwright and Magic, with ' +
      'commented `source` and `teams` lines) and .claude-env/.gitignore (local.yaml, state.json, ' +
      'backups/), and lists the files `apply` generates (.mcp.json, .claude/settings.local.json, ' +
      ".vscode/mcp.json) in the repository's .gitignore: they hold personal values. Never overwrites " +
      'an existing project layer.',
    "With --from-existing, the project layer is imported from the repository's " +
      '.claude/settings.json, .mcp.json and .vscode/mcp.json instead (see `claude-env import --help`).',
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
    const report = await initWorkspace({ workspace: cwd, fromExisting: flag(context, 'from-existing'), env: io.env });
    if (report.outcome === 'alreadyExists') {
      throw new CliError(
        `${displayPath(cwd, report.projectLayer)} already exists; not overwriting it`,
        ExitCode.findings,
        ['edit it directly, or add existing files to it with `claude-env import`'],
      );
    }
    if (report.import) {
      const code = printImport(report.import, io);
      if (code === ExitCode.ok && report.outputsIgnored)
        io.err('added the files apply generates to .gitignore (they become personal, generated files)\n');
      return code;
    }
    io.err(
      `created .claude-env/project.yaml${report.gitignoreUpdated ? ' and .claude-env/.gitignore' : ''}` +
        `${report.outputsIgnored ? '; the files apply generates are listed in .gitignore' : ''}\n`,
    );
    io.err(
      'next: set `source` and `teams` if your organisation has layers, then `claude-env validate` and `claude-env apply`\n',
    );
    return ExitCode.ok;
  },
};
