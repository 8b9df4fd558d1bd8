import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { userConfigDir } from '../discovery';
import { importFiles, layerToYaml, mergeIntoLayerText, type ImportSource } from '../import';
import type { Diagnostic } from '../types';
import { ensureGitignore, existingProjectLayer, readTextFile, writeTextFile } from './files';
import { displayPath } from './paths';

/** The layer an import writes: the committed project layer, the personal local layer, or the user layer. */
export type ImportTarget = 'project' | 'local' | 'user';
export const IMPORT_TARGETS: readonly ImportTarget[] = ['project', 'local', 'user'];

/** Files an import picks up when none are named, per target layer (`~/` is the home of `env`). */
export const DEFAULT_IMPORT_FILES: Record<ImportTarget, readonly string[]> = {
  // Shared files go to the committed project layer; settings first so that servers read in Claude Code's order.
  project: ['.claude/settings.json', '.mcp.json', '.vscode/mcp.json'],
  // The personal settings file belongs to the personal layer.
  local: ['.claude/settings.local.json'],
  // Servers a developer added for every project live in Claude Code's user state file.
  user: ['~/.claude.json'],
};

/** What to import and where to. */
export interface ImportConfigurationOptions {
  workspace: string;
  /** Files to read (relative to the workspace or absolute); default: `DEFAULT_IMPORT_FILES[to]` that exist. */
  files?: readonly string[];
  /** Default `project`. */
  to?: ImportTarget;
  /** False: build the layer text but write nothing (`claude-env import --print`). Default true. */
  write?: boolean;
  /** Refuse when the target layer exists already (`init --from-existing`). */
  mustCreate?: boolean;
  /** Default `process.env` (for `HOME` and the user layer's folder). */
  env?: NodeJS.ProcessEnv;
}

/**
 * How an import ended:
 * - `imported`: the layer was written (created, or merged into the existing one);
 * - `previewed`: `write: false`; `layerText` holds what would be written;
 * - `nothingFound`: none of the default files exists (`lookedFor` lists them);
 * - `invalid`: the files have errors (in `diagnostics`); nothing written;
 * - `empty`: the files hold no settings and no servers;
 * - `targetIsJson`: the existing layer is JSON, which an import does not rewrite;
 * - `targetExists`: `mustCreate` and the layer exists;
 * - `cannotMerge`: the existing layer's YAML cannot take the keys (`message` says why).
 */
export type ImportOutcome =
  'imported' | 'previewed' | 'nothingFound' | 'invalid' | 'empty' | 'targetIsJson' | 'targetExists' | 'cannotMerge';

/** What an import read, found and wrote. Paths are absolute. */
export interface ImportReport {
  outcome: ImportOutcome;
  workspace: string;
  to: ImportTarget;
  /** The layer file written or that would be written (undefined before a target is chosen). */
  target?: string;
  /** Files read, in order. */
  sources: string[];
  /** For `nothingFound`: the default files looked for, as `DEFAULT_IMPORT_FILES` spells them. */
  lookedFor: readonly string[];
  /** Findings in the files read (warnings too, for every outcome after reading). */
  diagnostics: Diagnostic[];
  servers: number;
  settings: number;
  /** Dotted paths of settings keys and servers the existing layer held and the import replaced. */
  replaced: string[];
  /** The YAML written (`imported`) or to write (`previewed`). */
  layerText?: string;
  /** Every file written: the layer, and `.claude-env/.gitignore` when it changed. */
  filesWritten: string[];
  /** For `cannotMerge`. */
  message?: string;
}

/** The comment that opens a new layer file, saying what the layer is for. */
const PURPOSES: Record<ImportTarget, string> = {
  project: 'The project layer: committed with the repository.',
  local: 'Personal, per-repository layer: never committed (see .claude-env/.gitignore).',
  user: 'Your user layer: personal preferences for every repository.',
};

function targetPath(workspace: string, to: ImportTarget, env: NodeJS.ProcessEnv): string {
  if (to === 'local') return join(workspace, '.claude-env', 'local.yaml');
  if (to === 'user') return join(userConfigDir(env), 'user.yaml');
  return existingProjectLayer(workspace) ?? join(workspace, '.claude-env', 'project.yaml');
}

/** `~/x` in a default file list means the home of the environment the import runs with. */
function defaultPath(workspace: string, file: string, env: NodeJS.ProcessEnv): string {
  return file.startsWith('~/') ? join(env.HOME || homedir(), file.slice(2)) : join(workspace, file);
}

/**
 * Reads existing Claude Code / VS Code files and writes them as a layer, keeping an existing layer's comments and
 * other keys. Throws `WorkspaceError` only when a file cannot be read or written; every other ending is an outcome.
 */
export async function importConfiguration(options: ImportConfigurationOptions): Promise<ImportReport> {
  const { workspace } = options;
  const to = options.to ?? 'project';
  const env = options.env ?? process.env;
  const named = options.files !== undefined && options.files.length > 0;
  const paths = named
    ? (options.files ?? []).map((file) => resolve(workspace, file))
    : DEFAULT_IMPORT_FILES[to].map((file) => defaultPath(workspace, file, env)).filter((path) => existsSync(path));
  const report: ImportReport = {
    outcome: 'nothingFound',
    workspace,
    to,
    sources: paths,
    lookedFor: DEFAULT_IMPORT_FILES[to],
    diagnostics: [],
    servers: 0,
    settings: 0,
    replaced: [],
    filesWritten: [],
  };
  if (paths.length === 0) return report;

  const sources: ImportSource[] = paths.map((path) => ({
    file: path,
    text: readTextFile(path, displayPath(workspace, path)),
  }));
  const result = importFiles(sources, { setOutputs: to === 'project' });
  report.diagnostics = result.diagnostics;
  if (result.diagnostics.some((d) => d.severity === 'error')) return { ...report, outcome: 'invalid' };
  report.servers = result.files.reduce((sum, file) => sum + file.servers.length, 0);
  report.settings = result.files.reduce((sum, file) => sum + file.settings.length, 0);
  if (report.servers === 0 && report.settings === 0) return { ...report, outcome: 'empty' };
  const origin = `Imported by claude-env from ${paths.map((path) => displayPath(workspace, path)).join(', ')}.`;
  if (options.write === false)
    return { ...report, outcome: 'previewed', layerText: layerToYaml(result.layer, [origin]) };

  const target = targetPath(workspace, to, env);
  report.target = target;
  const shownTarget = displayPath(workspace, target);
  if (target.endsWith('.json')) return { ...report, outcome: 'targetIsJson' };
  let text: string;
  if (existsSync(target)) {
    if (options.mustCreate) return { ...report, outcome: 'targetExists' };
    const merged = mergeIntoLayerText(
      readTextFile(target, shownTarget, to === 'user' ? undefined : workspace),
      result.layer,
    );
    if (merged.error) return { ...report, outcome: 'cannotMerge', message: merged.error };
    text = merged.text;
    report.replaced = merged.replaced;
  } else {
    text = layerToYaml(result.layer, [PURPOSES[to], origin]);
  }
  await writeTextFile(target, shownTarget, text, to === 'user' ? undefined : workspace);
  report.filesWritten.push(target);
  if (to !== 'user' && (await ensureGitignore(workspace)))
    report.filesWritten.push(join(workspace, '.claude-env', '.gitignore'));
  return { ...report, outcome: 'imported', layerText: text };
}
