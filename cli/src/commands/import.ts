import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { userConfigDir } from '@claude-env/engine';
import { importFiles, layerToYaml, mergeIntoLayerText, type ImportSource } from '@claude-env/engine';
import { flag, stringOption, type CliIo, type CommandSpec } from '../command';
import { CliError, UsageError } from '../errors';
import { ExitCode } from '../exitCodes';
import { ensureGitignore, existingProjectLayer, readTextFile, writeTextFile } from '../files';
import { displayPath, formatDiagnostic, sortDiagnostics } from '../format/diagnostics';

/** Files `import` picks up when none are named, per target layer. */
const DEFAULT_FILES: Record<ImportTarget, string[]> = {
  // Shared files go to the committed project layer; settings first so that servers read in Claude Code's order.
  project: ['.claude/settings.json', '.mcp.json', '.vscode/mcp.json'],
  // The personal settings file belongs to the personal layer.
  local: ['.claude/settings.local.json'],
  // Servers a developer added for every project live in Claude Code's user state file.
  user: ['~/.claude.json'],
};

export type ImportTarget = 'project' | 'local' | 'user';
const TARGETS: ImportTarget[] = ['project', 'local', 'user'];

export interface ImportRequest {
  cwd: string;
  files: string[];
  to: ImportTarget;
  print: boolean;
  /** Only `init --from-existing`: a project layer must not exist yet. */
  mustCreate?: boolean;
}

function targetPath(cwd: string, to: ImportTarget, env: NodeJS.ProcessEnv): string {
  if (to === 'local') return join(cwd, '.claude-env', 'local.yaml');
  if (to === 'user') return join(userConfigDir(env), 'user.yaml');
  return existingProjectLayer(cwd) ?? join(cwd, '.claude-env', 'project.yaml');
}

/** `~/x` in a default file list means the home of the environment the command runs with. */
function defaultPath(cwd: string, file: string, env: NodeJS.ProcessEnv): string {
  return file.startsWith('~/') ? join(env.HOME || homedir(), file.slice(2)) : join(cwd, file);
}

/**
 * Reads existing Claude Code / VS Code files and writes them as a layer (or prints it). Returns the exit code:
 * 0 written, 1 the files have errors (nothing written).
 */
export function runImport(request: ImportRequest, io: CliIo): number {
  const { cwd } = request;
  const named = request.files.length > 0;
  const paths = named
    ? request.files.map((file) => resolve(cwd, file))
    : DEFAULT_FILES[request.to].map((file) => defaultPath(cwd, file, io.env)).filter((path) => existsSync(path));
  if (paths.length === 0) {
    throw new CliError(
      `nothing to import: none of ${DEFAULT_FILES[request.to].join(', ')} exists in ${cwd}`,
      ExitCode.findings,
    );
  }
  const sources: ImportSource[] = paths.map((path) => ({
    file: path,
    // Files found in the workspace stay in it; files the person named or their own ~/.claude.json are theirs.
    text: readTextFile(path, displayPath(cwd, path), named || request.to === 'user' ? undefined : cwd),
  }));
  const result = importFiles(sources, { setOutputs: request.to === 'project' });
  for (const diagnostic of sortDiagnostics(result.diagnostics)) io.err(formatDiagnostic(diagnostic, cwd, io.errColour));
  if (result.diagnostics.some((d) => d.severity === 'error')) {
    io.err('nothing imported: fix the errors above first\n');
    return ExitCode.findings;
  }
  const shownSources = paths.map((path) => displayPath(cwd, path));
  const servers = result.files.reduce((sum, file) => sum + file.servers.length, 0);
  const settings = result.files.reduce((sum, file) => sum + file.settings.length, 0);
  if (servers === 0 && settings === 0) {
    throw new CliError(
      `nothing to import: ${shownSources.join(', ')} hold${paths.length === 1 ? 's' : ''} no settings and no servers`,
      ExitCode.findings,
    );
  }
  if (request.print) {
    io.out(layerToYaml(result.layer, [`Imported by claude-env from ${shownSources.join(', ')}.`]));
    return ExitCode.ok;
  }

  const target = targetPath(cwd, request.to, io.env);
  // The user layer lives in the person's own config folder; the other two must stay inside the workspace.
  const within = request.to === 'user' ? undefined : cwd;
  const shownTarget = displayPath(cwd, target);
  if (target.endsWith('.json')) {
    throw new CliError(
      `import writes YAML and ${shownTarget} is JSON: use --print and add the keys by hand`,
      ExitCode.findings,
    );
  }
  let text: string;
  let replaced: string[] = [];
  if (existsSync(target)) {
    if (request.mustCreate) {
      throw new CliError(`${shownTarget} already exists; not overwriting it`, ExitCode.findings, [
        'run `claude-env import` to add existing files to it',
      ]);
    }
    const merged = mergeIntoLayerText(readTextFile(target, shownTarget, within), result.layer);
    if (merged.error) throw new CliError(`cannot add to ${shownTarget}: ${merged.error}`, ExitCode.findings);
    text = merged.text;
    replaced = merged.replaced;
  } else {
    const purposes: Record<ImportTarget, string> = {
      project: 'The project layer: committed with the repository.',
      local: 'Personal, per-repository layer: never committed (see .claude-env/.gitignore).',
      user: 'Your user layer: personal preferences for every repository.',
    };
    const purpose = purposes[request.to];
    text = layerToYaml(result.layer, [purpose, `Imported by claude-env from ${shownSources.join(', ')}.`]);
  }
  writeTextFile(target, shownTarget, text, within);
  if (request.to !== 'user') ensureGitignore(cwd);

  io.err(
    `imported ${servers} server${servers === 1 ? '' : 's'} and ${settings} setting${settings === 1 ? '' : 's'} from ${shownSources.join(', ')} into ${shownTarget}\n`,
  );
  for (const path of replaced) io.err(`  replaced ${path}\n`);
  io.err('next: `claude-env diff` shows what `claude-env apply` would write\n');
  return ExitCode.ok;
}

export const importCommand: CommandSpec = {
  name: 'import',
  summary: 'turn existing .mcp.json / .claude/settings*.json / .vscode/mcp.json into a layer',
  usage: 'import [FILE...] [--to project|local|user] [--print]',
  description: [
    'Reads Claude Code and VS Code files (comments and trailing commas allowed) and writes every settings key and every server field into a layer. `${VAR}` becomes `${env:VAR}`, `${input:id}` becomes `${secret:id}`, so that `apply` writes the same files back.',
    'Without FILE, imports .claude/settings.json, .mcp.json and .vscode/mcp.json into the project layer; with `--to local`, .claude/settings.local.json into .claude-env/local.yaml; with `--to user`, the user-scope servers of ~/.claude.json into your user layer. An existing layer keeps its comments and other keys; a settings key or server already in it is replaced and listed.',
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
    if (!TARGETS.includes(to))
      throw new UsageError(`--to must be \`project\`, \`local\` or \`user\`, not \`${to}\``, 'import');
    return runImport({ cwd: context.cwd, files: context.positionals, to, print: flag(context, 'print') }, context.io);
  },
};
