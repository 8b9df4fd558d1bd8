import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../outputs/atomic';
import { MANAGED_DROP_IN, MANAGED_FILE, renderManagedSettings } from '../outputs/managed';
import type { Diagnostic, EffectiveEnvironment } from '../types';
import { blockingErrors } from './plan';

/** What `apply --managed` did. */
export interface ManagedReport {
  outcome: 'blocked' | 'written' | 'unchanged';
  /** Absolute path of the file written (or that would be). */
  path: string;
  settings: Record<string, unknown>;
  warnings: string[];
  /** Managed keys left out because they hold a `${…}` reference (see `ManagedSettings.references`). */
  references: string[];
  blockingErrors: Diagnostic[];
}

/**
 * Writes the org's policy as Claude Code managed settings into `folder` (an IT team's deployment folder, or
 * `/etc/claude-code` when run as root in a dev container): the drop-in `managed-settings.d/50-claude-env.json`, or
 * `managed-settings.json` with `layout: 'file'`. World-readable, written atomically; errors in the stack block it.
 */
export async function writeManagedSettings(
  environment: EffectiveEnvironment,
  folder: string,
  options: { layout?: 'drop-in' | 'file'; dryRun?: boolean } = {},
): Promise<ManagedReport> {
  const path = join(resolve(folder), ...(options.layout === 'file' ? MANAGED_FILE : MANAGED_DROP_IN).split('/'));
  const errors = blockingErrors(environment);
  const rendered = renderManagedSettings(environment);
  const report: ManagedReport = {
    outcome: 'blocked',
    path,
    settings: rendered.settings,
    warnings: rendered.warnings,
    references: rendered.references,
    blockingErrors: errors,
  };
  if (errors.length > 0) return report;
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === rendered.text) return { ...report, outcome: 'unchanged' };
  if (!options.dryRun) await writeFileAtomic(path, rendered.text, { within: resolve(folder) });
  return { ...report, outcome: 'written' };
}
