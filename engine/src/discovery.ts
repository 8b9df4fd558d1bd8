import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { nodeRealFs, overlayReader } from './fs';
import { assertInside, realpathOrSelf, UnsafePathError } from './safePaths';
import { ZERO_RANGE } from './lineIndex';
import { parseLayer } from './parse';
import { environmentLayers } from './envLayer';
import { resolveSource, type LayerSource } from './sources';
import type { LockFile } from './gitSources/lockFile';
import type { Diagnostic, FileReader, LayerKind, LayerStack, MapNode, ParsedLayer, Range, SourceNode } from './types';
import { DiagnosticCode, type DiagnosticCodeValue } from './diagnosticCodes';

/** How to find the stack. Everything defaults to the real machine; tests and the language server override. */
export interface DiscoverOptions {
  /** Reads files; the language server passes one that prefers open editor buffers. */
  reader?: FileReader;
  /** Environment for `CLAUDE_ENV_*` layer variables and `XDG_CONFIG_HOME` (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Folder of the user layer (default: `$XDG_CONFIG_HOME/claude-env` or `~/.config/claude-env`). */
  userConfigDir?: string;
  /**
   * Team selection that replaces the project's `teams` list (e.g. the dev container's `team` option). Defaults
   * to the comma-separated `CLAUDE_ENV_TEAMS` variable of `env` when that is set.
   */
  teams?: string[];
  /** Parses one layer file (default `parseLayer`); the language server passes one backed by its parse cache. */
  parse?: (file: string, text: string, kind: LayerKind, label: string) => ParsedLayer;
  /** The git cache folder (default `$XDG_CACHE_HOME/claude-env/git`, from `env`). */
  gitCacheDir?: string;
  /** A lock to read git sources with instead of `.claude-env/lock.yaml` (`update` previews the lock it would write). */
  lock?: LockFile;
}

/** Endings a layer file may have, in the order they are looked for (the dev container's lifecycle scripts too). */
export const LAYER_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

/** `$XDG_CONFIG_HOME/claude-env`, falling back to `~/.config/claude-env`. */
export function userConfigDir(env: Record<string, string | undefined> = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && xdg.trim() !== '' ? xdg : join(env.HOME || homedir(), '.config'), 'claude-env');
}

/** The project layer file of a workspace if one exists (`project.yaml`, `.yml` or `.json`, in that order). */
export function findProjectLayer(workspace: string, reader: FileReader = nodeRealFs): string | undefined {
  const unreadable: Diagnostic[] = [];
  const found = findLayerFile(join(resolve(workspace), '.claude-env', 'project'), reader, unreadable);
  // A file that is there but cannot be read is still there: nothing may be created in its place.
  return found?.path ?? unreadable[0]?.file;
}

/**
 * Finds and parses every layer of a workspace, lowest priority first: base, teams, project, user, local, then
 * environment variables. Problems finding a layer become diagnostics at the line that names it.
 */
export function discoverStack(workspace: string, options: DiscoverOptions = {}): LayerStack {
  const reader = options.reader ?? nodeRealFs;
  const env = options.env ?? process.env;
  const root = resolve(workspace);
  const stack: LayerStack = { workspace: root, layers: [], diagnostics: [] };
  const parse = options.parse ?? parseLayer;
  const load = (path: string, kind: LayerKind, label: string, text: string) => parse(path, text, kind, label);

  const found = stack.diagnostics.length;
  const projectFile = findLayerFile(join(root, '.claude-env', 'project'), reader, stack.diagnostics, root);
  let project: ParsedLayer | undefined;
  if (projectFile) {
    project = load(projectFile.path, 'project', 'project', projectFile.text);
  } else if (stack.diagnostics.length === found) {
    // Only when there is no file at all: one that exists but cannot be read is reported as what is wrong with it.
    stack.diagnostics.push({
      file: join(root, '.claude-env', 'project.yaml'),
      range: ZERO_RANGE,
      severity: 'error',
      code: DiagnosticCode.stackNoProject,
      message: `No project layer in ${root}: run 'claude-env init' to create .claude-env/project.yaml.`,
    });
  }

  const teams = options.teams ?? teamList(env.CLAUDE_ENV_TEAMS);
  const orgLayers = project ? loadOrgLayers(project, { ...options, teams }, reader, stack.diagnostics, load) : [];
  stack.layers.push(...orgLayers);
  if (project) stack.layers.push(project);

  const user = findLayerFile(join(options.userConfigDir ?? userConfigDir(env), 'user'), reader, stack.diagnostics);
  if (user) stack.layers.push(load(user.path, 'user', 'user', user.text));
  const local = findLayerFile(join(root, '.claude-env', 'local'), reader, stack.diagnostics, root);
  if (local) stack.layers.push(load(local.path, 'local', 'local', local.text));
  stack.layers.push(...environmentLayers(env, stack.layers));
  return stack;
}

function loadOrgLayers(
  project: ParsedLayer,
  options: DiscoverOptions,
  reader: FileReader,
  diagnostics: Diagnostic[],
  load: (path: string, kind: LayerKind, label: string, text: string) => ParsedLayer,
): ParsedLayer[] {
  const sourceEntry = project.root?.entries.find((e) => e.key === 'source');
  const teamsEntry = project.root?.entries.find((e) => e.key === 'teams');
  const teamNodes = teamNodesOf(teamsEntry?.value, options.teams, teamsEntry?.keyRange);
  if (!sourceEntry) {
    if (teamNodes.length > 0) {
      diagnostics.push(
        stackError(
          project.file,
          teamsEntry!.keyRange,
          DiagnosticCode.stackNoSource,
          "Teams are listed but there is no 'source' to find them in.",
        ),
      );
    }
    return [];
  }
  const source = resolveSource(project, sourceEntry, diagnostics, {
    env: options.env ?? process.env,
    cacheDir: options.gitCacheDir,
    lock: options.lock,
  });
  if (!source) return [];
  // A git source's files were just read to verify them: the same texts are parsed, unless the caller reads through
  // its own reader (the language server's open buffers win).
  if (source.texts && !options.reader) reader = overlayReader(source.texts, reader);
  const layers: ParsedLayer[] = [];
  // Checked before the containment of the source folder, which would otherwise report the link leading out of it.
  const projectReal = realpathOrSelf(project.file);
  const cycle = (stem: string): boolean => {
    const looped = LAYER_EXTENSIONS.some((extension) => realpathOrSelf(stem + extension) === projectReal);
    if (looped) {
      diagnostics.push(
        stackError(
          project.file,
          source.range,
          DiagnosticCode.stackSourceCycle,
          `The source points back at this project: ${stem}.yaml is a link to this file.`,
        ),
      );
    }
    return looped;
  };
  if (cycle(join(source.dir, 'base'))) return [];
  const base = findLayerFile(join(source.dir, 'base'), reader, diagnostics, source.dir);
  if (base) layers.push(load(base.path, 'base', 'base', base.text));
  else
    diagnostics.push(
      stackError(
        project.file,
        source.range,
        DiagnosticCode.stackBaseMissing,
        `The source ${source.describe} has no base.yaml.`,
      ),
    );

  for (const team of teamNodes) {
    if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(team.name)) {
      diagnostics.push(
        stackError(
          project.file,
          team.range,
          DiagnosticCode.stackTeamInvalid,
          `'${team.name}' is not a team name: use letters, digits, '.', '_' and '-'.`,
        ),
      );
      continue;
    }
    if (cycle(join(source.dir, 'teams', team.name))) continue;
    const file = findLayerFile(join(source.dir, 'teams', team.name), reader, diagnostics, source.dir);
    if (file) {
      layers.push(load(file.path, 'team', `team ${team.name}`, file.text));
    } else {
      diagnostics.push(
        stackError(
          project.file,
          team.range,
          DiagnosticCode.stackTeamMissing,
          `Team '${team.name}' has no file teams/${team.name}.yaml in ${source.describe}.`,
        ),
      );
    }
  }
  // Real paths: a base.yaml that is a symbolic link to the project layer is the same file.
  const seen = new Set([realpathOrSelf(project.file)]);
  for (const layer of layers) {
    const real = realpathOrSelf(layer.file);
    if (seen.has(real)) {
      diagnostics.push(
        stackError(
          project.file,
          source.range,
          DiagnosticCode.stackSourceCycle,
          `The source points back at this project: ${layer.file} is already in the stack.`,
        ),
      );
      return layers.filter((l) => realpathOrSelf(l.file) !== projectReal);
    }
    seen.add(real);
  }
  if (source.git && source.commit) {
    const gitSource = { ...source.git, commit: source.commit };
    for (const layer of layers) layer.gitSource = gitSource;
  }
  return layers;
}

/** `web, data` → ['web', 'data']; unset → undefined (the project's list applies). An empty string selects no team. */
function teamList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((team) => team.trim())
    .filter((team) => team !== '');
}

function teamNodesOf(
  node: SourceNode | undefined,
  override: string[] | undefined,
  fallback: Range | undefined,
): { name: string; range: Range }[] {
  if (override) return override.map((name) => ({ name, range: fallback ?? ZERO_RANGE }));
  if (node?.type !== 'array') return [];
  return node.items.flatMap((item) =>
    item.type === 'scalar' && typeof item.value === 'string' && /^[A-Za-z0-9._-]+$/.test(item.value)
      ? [{ name: item.value, range: item.range }]
      : [],
  );
}

function stackError(file: string, range: Range, code: DiagnosticCodeValue, message: string): Diagnostic {
  return { file, range, severity: 'error', code, message };
}

/**
 * The first of `<stem>.yaml`, `<stem>.yml`, `<stem>.json` that exists; read failures become diagnostics. With
 * `within`, a file (or folder on its way) that is a symbolic link leading out of that folder is reported, not read.
 */
function findLayerFile(
  stem: string,
  reader: FileReader,
  diagnostics?: Diagnostic[],
  within?: string,
): { path: string; text: string } | undefined {
  for (const extension of LAYER_EXTENSIONS) {
    const path = stem + extension;
    try {
      if (within !== undefined) assertInside(within, path);
      const text = reader.read(path);
      if (text !== undefined) return { path, text };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        error instanceof UnsafePathError
          ? `${error.path === resolve(path) ? 'it' : error.path} ${error.reason}`
          : code === 'EISDIR'
            ? 'it is a folder'
            : code === 'EACCES'
              ? 'permission denied'
              : (error as Error).message;
      diagnostics?.push(
        stackError(path, ZERO_RANGE, DiagnosticCode.stackUnreadable, `Cannot read this layer file: ${reason}.`),
      );
      return undefined;
    }
  }
  return undefined;
}

export type { LayerSource, MapNode };
