/**
 * How an origin ("team web ../org/teams/web.yaml:8") reads, for every part: the CLI, hover and code lenses, the
 * editor's views and the engine's own messages. Pure: it returns text, and each caller styles the parts (bold,
 * a link, a column) for its surface.
 */
import { basename, dirname, isAbsolute, relative, sep } from 'node:path';
import type { Origin } from './types';

/** The parts of an origin as people read them. */
export interface OriginText {
  /** The layer's label: `base`, `team web`, `project`, `environment`. */
  layer: string;
  /** The file as {@link OriginTextOptions} asks, or the variable's name for the environment layer. */
  file: string;
  /** One-based line of the key; undefined for the environment layer. */
  line?: number;
}

/** How the file of an origin is shown. */
export interface OriginTextOptions {
  /**
   * Show files relative to this folder (`../org/teams/web.yaml`; absolute only across drives). Without it a file
   * shows as its folder's name and its own (`teams/web.yaml`), for messages that know no folder.
   */
  folder?: string;
  /** The user's home folder: with `folder`, a file outside it shows as `~/…` when that is shorter. */
  home?: string;
  /** Only the file's name (`web.yaml`), for narrow rows; overrides `folder`. */
  nameOnly?: boolean;
}

/** The variable's name of an environment-layer file (`env:NAME`), or undefined for a real file. */
function variableOf(file: string): string | undefined {
  return file.startsWith('env:') ? file.slice(4) || 'environment variables' : undefined;
}

/** A file as people read it: see {@link OriginTextOptions}. `env:NAME` becomes the variable's name. */
export function displayFile(file: string, options: OriginTextOptions = {}): string {
  const variable = variableOf(file);
  if (variable !== undefined) return variable;
  if (options.nameOnly) return basename(file);
  if (options.folder === undefined) return `${basename(dirname(file))}/${basename(file)}`;
  if (!isAbsolute(file)) return file;
  const shown = relative(options.folder, file);
  if (shown === '') return '.';
  if (isAbsolute(shown)) return file;
  const { home } = options;
  if (home && shown.startsWith('..') && file.startsWith(home + sep)) {
    const fromHome = `~/${relative(home, file)}`;
    if (fromHome.length < shown.length) return fromHome;
  }
  return shown;
}

/** The parts of `origin`. */
export function originText(
  origin: Pick<Origin, 'label' | 'file' | 'keyRange'>,
  options: OriginTextOptions = {},
): OriginText {
  const file = displayFile(origin.file, options);
  if (variableOf(origin.file) !== undefined) return { layer: origin.label, file };
  return { layer: origin.label, file, line: origin.keyRange.start.line + 1 };
}

/** `teams/web.yaml:8`, or the variable's name for the environment layer. */
export function originPlace(text: OriginText): string {
  return text.line === undefined ? text.file : `${text.file}:${text.line}`;
}

/** `team web (teams/web.yaml:8)`: the layer and the line that set a value, for the engine's messages. */
export function describeOrigin(origin: Pick<Origin, 'label' | 'file' | 'keyRange'>): string {
  const text = originText(origin);
  return `${text.layer} (${originPlace(text)})`;
}
