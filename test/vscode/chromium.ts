import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/paths';

/** Debian Chromium, as the VS Code suites use it; their setup installs it (and says why when it cannot). */
export function chromiumPath(): string {
  const found = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).stdout.trim();
  if (found) return found;
  execFileSync('bash', [join(REPO_ROOT, 'scripts', 'vscode-setup.sh')], { stdio: 'inherit' });
  return spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).stdout.trim();
}
