import { basename, dirname } from 'node:path';
import type { Origin } from './types';

/** Short, human form of a file for messages: `org/base.yaml`, or the variable name for the environment. */
export function shortFile(file: string): string {
  if (file.startsWith('env:')) return file.slice(4);
  return `${basename(dirname(file))}/${basename(file)}`;
}

/** `team web (teams/web.yaml:8)`: the layer and the line that set a value. */
export function describeOrigin(origin: Pick<Origin, 'label' | 'file' | 'keyRange'>): string {
  if (origin.file.startsWith('env:')) return `${origin.label} (${shortFile(origin.file)})`;
  return `${origin.label} (${shortFile(origin.file)}:${origin.keyRange.start.line + 1})`;
}
