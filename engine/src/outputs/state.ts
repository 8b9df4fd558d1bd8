import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { readRegularFile } from '../safePaths';
import { writeFileAtomic } from './atomic';

/** What claude-env last wrote to one target. */
export interface TargetRecord {
  /** sha256 (hex) of the exact bytes written. */
  sha256: string;
  /** When it was written (ISO 8601, UTC). */
  writtenAt: string;
}

/** `.claude-env/state.json`: per target path (relative, `/` separators), what claude-env last wrote. */
export interface ApplyState {
  version: 1;
  targets: Record<string, TargetRecord>;
}

/** Folder of claude-env's own files inside a workspace. */
export const STATE_FOLDER = '.claude-env';

export function statePath(workspace: string): string {
  return join(workspace, STATE_FOLDER, 'state.json');
}

export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Reads the state. A missing file is an empty state; an unreadable or corrupt one is too, with a warning:
 * every existing target then counts as not written by claude-env, so nothing is overwritten without force.
 */
export async function readState(workspace: string): Promise<{ state: ApplyState; warning?: string }> {
  const path = statePath(workspace);
  let text: string | undefined;
  try {
    text = readRegularFile(path, { within: workspace });
    if (text === undefined) return { state: emptyState() };
  } catch (error) {
    return {
      state: emptyState(),
      warning: `Cannot read ${path} (${(error as Error).message}); existing files are treated as edited by hand.`,
    };
  }
  try {
    const parsed = JSON.parse(text) as Partial<ApplyState>;
    const targets: Record<string, TargetRecord> = {};
    for (const [target, record] of Object.entries(parsed.targets ?? {})) {
      if (record && typeof record.sha256 === 'string')
        targets[target] = { sha256: record.sha256, writtenAt: String(record.writtenAt ?? '') };
    }
    return { state: { version: 1, targets } };
  } catch {
    return { state: emptyState(), warning: `${path} is not valid JSON; existing files are treated as edited by hand.` };
  }
}

/** Writes the state atomically, targets sorted so that the file is stable. */
export async function writeState(workspace: string, state: ApplyState): Promise<void> {
  const targets: Record<string, TargetRecord> = {};
  for (const key of Object.keys(state.targets).sort()) targets[key] = state.targets[key];
  await writeFileAtomic(statePath(workspace), `${JSON.stringify({ version: 1, targets }, null, 2)}\n`, {
    within: workspace,
  });
}

function emptyState(): ApplyState {
  return { version: 1, targets: {} };
}
