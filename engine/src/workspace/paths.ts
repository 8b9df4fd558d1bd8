import { homedir } from 'node:os';
import { isAbsolute, relative, sep } from 'node:path';

/**
 * A path as a person should read it: relative to the folder they work in, or `~/…` when that is shorter
 * (the user layer seen from a repository), `env:NAME` untouched. Reports keep absolute paths; this is for the
 * sentences and the comments the operations write into layer files.
 */
export function displayPath(cwd: string, file: string): string {
  if (!isAbsolute(file)) return file;
  const shown = relative(cwd, file);
  if (shown === '') return '.';
  const home = homedir();
  if (shown.startsWith('..') && home && file.startsWith(home + sep)) {
    const fromHome = `~/${relative(home, file)}`;
    if (fromHome.length < shown.length) return fromHome;
  }
  return shown;
}
