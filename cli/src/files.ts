import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CliError, describeFsError } from './errors';
import { ExitCode } from './exitCodes';

/** Lines `.claude-env/.gitignore` must hold: personal layer, apply state and backups never reach the repository. */
export const GITIGNORE_LINES = ['local.yaml', 'state.json', 'backups/'];

/** The project layer file of a workspace if one exists (`project.yaml`, `.yml` or `.json`). */
export function existingProjectLayer(workspace: string): string | undefined {
  return ['project.yaml', 'project.yml', 'project.json'].map((name) => join(workspace, '.claude-env', name)).find((path) => existsSync(path));
}

/** Reads a text file or fails with a sentence naming the file (exit 4: nothing to work on). */
export function readTextFile(path: string, shown: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(describeFsError('read', shown, error), ExitCode.notLoaded);
  }
}

/** Writes through a temporary file and a rename, so a crash never leaves half a layer behind. */
export function writeTextFile(path: string, shown: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, text, 'utf8');
    renameSync(temporary, path);
  } catch (error) {
    throw new CliError(describeFsError('write', shown, error), ExitCode.notLoaded);
  }
}

/**
 * Makes sure `.claude-env/.gitignore` lists the personal files, keeping whatever else the user put there.
 * Returns whether the file changed.
 */
export function ensureGitignore(workspace: string): boolean {
  const path = join(workspace, '.claude-env', '.gitignore');
  const current = existsSync(path) ? readTextFile(path, '.claude-env/.gitignore') : '';
  const present = new Set(current.split(/\r?\n/).map((line) => line.trim()));
  const missing = GITIGNORE_LINES.filter((line) => !present.has(line));
  if (missing.length === 0) return false;
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  writeTextFile(path, '.claude-env/.gitignore', `${current}${separator}${missing.join('\n')}\n`);
  return true;
}
