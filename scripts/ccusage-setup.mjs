#!/usr/bin/env node
// Installs ccusage, the peer the usage figures are compared with, into .cache/ccusage and prints its binary's path.
// It is not a devDependency: its package lists native binaries for every platform as optional dependencies, and the
// registry holds only some of them, so a lock file that names it cannot be installed with `npm ci`. Installing it
// on first use, at a pinned version, keeps `npm ci` exact and the comparison reproducible. Skipped when present.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CCUSAGE_VERSION = '20.0.24';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const prefix = join(root, '.cache', 'ccusage', CCUSAGE_VERSION);
const bin = join(prefix, 'node_modules', '.bin', 'ccusage');

if (!existsSync(bin)) {
  mkdirSync(prefix, { recursive: true });
  process.stderr.write(`[ccusage-setup] installing ccusage@${CCUSAGE_VERSION} into ${prefix}\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(
    npm,
    [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      `ccusage@${CCUSAGE_VERSION}`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
}
process.stdout.write(`${bin}\n`);
