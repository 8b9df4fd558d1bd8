import { existsSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { realpathOrSelf } from './safePaths';
import type { Diagnostic, MapEntry, ParsedLayer, Range } from './types';
import { DiagnosticCode, type DiagnosticCodeValue } from './diagnosticCodes';
import { resolveGitLayerSource, type GitSourceOptions } from './gitSources/layerSource';
import { displayUrl, isGitSource } from './gitSources/spec';

/**
 * Where the organisation's base and team layers live: a local folder, or a git repository pinned in the lock,
 * resolved to its read-only checkout in the cache. Everything after resolution sees only `dir`.
 */
export interface LayerSource {
  kind: 'folder' | 'git';
  /** Absolute folder holding base.yaml and teams/. */
  dir: string;
  /** Range in the project layer that names the source (for diagnostics). */
  range: Range;
  /** For messages: how the person wrote it. */
  describe: string;
  /** For a git source: the locked commit. */
  commit?: string;
  /** For a git source: the repository (password masked) and the ref as written. */
  git?: { url: string; ref: string };
  /** For a git source: the verified texts of its layer files (what was hashed is what is read). */
  texts?: ReadonlyMap<string, string>;
}

export function resolveSource(
  project: ParsedLayer,
  entry: MapEntry,
  diagnostics: Diagnostic[],
  gitOptions: GitSourceOptions = {},
): LayerSource | undefined {
  const error = (range: Range, code: DiagnosticCodeValue, message: string) =>
    diagnostics.push({ file: project.file, range, severity: 'error', code, message });
  if (isGitSource(entry)) {
    const git = resolveGitLayerSource(project, entry, diagnostics, gitOptions);
    if (!git) return undefined;
    const { spec, locked, dir } = git;
    return {
      kind: 'git',
      dir,
      range: spec.range,
      describe: `${displayUrl(spec.url)}@${spec.ref}`,
      commit: locked.commit,
      git: { url: displayUrl(spec.url), ref: spec.ref },
    };
  }
  const spec = entry.value;
  if (spec.type !== 'map') return undefined; // the schema reports the shape
  const field = (name: string) => spec.entries.find((e) => e.key === name);
  const pathEntry = field('path');
  if (!pathEntry || pathEntry.value.type !== 'scalar' || typeof pathEntry.value.value !== 'string') return undefined;
  const written = pathEntry.value.value;
  const range = pathEntry.value.range;
  const projectDir = dirname(project.file);
  const dir = resolve(projectDir, written);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    error(
      range,
      DiagnosticCode.stackSourceMissing,
      `The source folder '${written}' does not exist (looked for ${dir}).`,
    );
    return undefined;
  }
  const workspace = dirname(projectDir);
  // Compared as real paths: a source that is a symbolic link to the workspace is the workspace.
  const real = realpathOrSelf(dir);
  if (real === realpathOrSelf(projectDir) || real === realpathOrSelf(workspace)) {
    error(
      range,
      DiagnosticCode.stackSourceCycle,
      `The source '${written}' points at this project itself; name the organisation's folder instead.`,
    );
    return undefined;
  }
  return { kind: 'folder', dir, range, describe: `'${relative(workspace, dir) || written}'` };
}
