import { importConfiguration, IMPORT_TARGETS, type ImportReport, type ImportTarget } from '@claude-env/engine';
import { flag, stringOption, type CliIo, type CommandSpec } from '../command';
import { CliError, UsageError } from '../errors';
import { ExitCode } from '../exitCodes';
import { displayPath, formatDiagnostic, sortDiagnostics } from '../format/diagnostics';

/**
 * Prints what an import did (findings on stderr, `--print`'s layer on stdout) and returns the exit code: 0
 * written or printed, 1 the files have errors; the other endings are `CliError`s (exit 1, nothing written).
 */
export function printImport(report: ImportReport, io: CliIo): number {
  const cwd = report.workspace;
  if (report.outcome === 'nothingFound') {
    throw new CliError(`nothing to import: none of ${report.lookedFor.join(', ')} exists in ${cwd}`, ExitCode.findings);
  }
  for (const diagnostic of sortDiagnostics(report.diagnostics)) io.err(formatDiagnostic(diagnostic, cwd, io.errColour));
  const shownSources = report.sources.map((path) => displayPath(cwd, path));
  const shownTarget = report.target ? displayPath(cwd, report.target) : '';
  switch (report.outcome) {
    case 'invalid':
      io.err('nothing imported: fix the errors above first\n');
      return ExitCode.findings;
    case 'empty':
      throw new CliError(
        `nothing to import: ${shownSources.join(', ')} hold${report.sources.length === 1 ? 's' : ''} no settings and no servers`,
        ExitCode.findings,
      );
    case 'previewed':
      io.out(report.layerText ?? '');
      return ExitCode.ok;
    case 'targetIsJson':
      throw new CliError(
        `import writes YAML and ${shownTarget} is JSON: use --print and add the keys by hand`,
        ExitCode.findings,
      );
    case 'targetExists':
      throw new CliError(`${shownTarget} already exists; not overwriting it`, ExitCode.findings, [
        'run `claude-env import` to add existing files to it',
      ]);
    case 'cannotMerge':
      throw new CliError(
        `cannot add to ${shownTarget}: ${report.message ?? 'the layer cannot take the keys'}`,
        ExitCode.findings,
      );
    case 'imported': {
      const { servers, settings } = report;
      io.err(
        `imported ${servers} server${servers === 1 ? '' : 's'} and ${settings} ` +
          `setting${settings === 1 ? '' : 's'} from ${shownSources.join(', ')} into ${shownTarget}\n`,
      );
      for (const path of report.replaced) io.err(`  replaced ${path}\n`);
      io.err('next: `claude-env diff` shows what `claude-env apply` would write\n');
      return ExitCode.ok;
    }
  }
}

export const importCommand: CommandSpec = {
  name: 'import',
  summary: 'turn existing .mcp.json / .claude/settings*.json / .vscode/mcp.json into a layer',
  usage: 'import [FILE...] [--to project|local|user] [--print]',
  description: [
    'Reads Claude Code and VS Code files (comments and trailing commas allowed) and writes every ' +
      'settings key and every server field into a layer. `${VAR}` becomes `${env:VAR}`, `${input:id}` ' +
      'becomes `${secret:id}`, so that `apply` writes the same files back.',
    'Without FILE, imports .claude/settings.json, .mcp.json and .vscode/mcp.json into the project ' +
      'layer; with `--to local`, .claude/settings.local.json into .claude-env/local.yaml; with `--to ' +
      'user`, the user-scope servers of ~/.claude.json into your user layer. An existing layer keeps ' +
      'its comments and other keys; a settings key or server already in it is replaced and listed.',
  ],
  options: {
    to: {
      type: 'string',
      valueName: 'LAYER',
      description:
        '`project` (.claude-env/project.yaml, default), `local` (.claude-env/local.yaml) or `user` (~/.config/claude-env/user.yaml)',
    },
    print: { type: 'boolean', description: 'print the layer to stdout instead of writing it' },
  },
  positionals: { min: 0, max: Number.POSITIVE_INFINITY, name: 'files' },
  exitCodes: [
    [ExitCode.ok, 'imported'],
    [ExitCode.findings, 'the files have errors (printed as file:line:col), or nothing to import; nothing written'],
    [ExitCode.usage, 'bad option'],
    [ExitCode.notLoaded, 'a file could not be read or written'],
  ],
  async run(context) {
    const to = (stringOption(context, 'to') ?? 'project') as ImportTarget;
    if (!IMPORT_TARGETS.includes(to))
      throw new UsageError(`--to must be \`project\`, \`local\` or \`user\`, not \`${to}\``, 'import');
    const report = await importConfiguration({
      workspace: context.cwd,
      files: context.positionals,
      to,
      write: !flag(context, 'print'),
      env: context.io.env,
    });
    return printImport(report, context.io);
  },
};
