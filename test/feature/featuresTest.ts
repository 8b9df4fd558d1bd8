/**
 * Runs the scripts of devcontainer-feature/test/claude-env/ inside a Debian root the way `devcontainer features
 * test` runs them in a container: beside the CLI's test library, as the remote user, with the container's env.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { type DebianRoot, type RunResult } from './debianRoot';
import { REPO_ROOT } from '../helpers/paths';

export const SCENARIO_DIR = join(REPO_ROOT, 'devcontainer-feature', 'test', 'claude-env');

/**
 * The `dev-container-features-test-lib` that `devcontainer features test` puts beside the test scripts, taken
 * from the pinned @devcontainers/cli so that the scripts run against the same `check` and `reportResults`.
 */
export function featuresTestLib(): string {
  const cli = readFileSync(
    join(REPO_ROOT, 'node_modules', '@devcontainers', 'cli', 'dist', 'spec-node', 'devContainersSpecCLI.js'),
    'utf8',
  );
  const literal =
    /`(\n#!\/bin\/bash\nSCRIPT_FOLDER=[\s\S]*?\nreportResults\(\) \{[\s\S]*?\n\})`;var \w+="dev-container-features-test-lib"/.exec(
      cli,
    );
  if (!literal)
    throw new Error('dev-container-features-test-lib not found in @devcontainers/cli; was the CLI upgraded?');
  // A template literal without substitutions: evaluating it only resolves its escapes.
  return runInNewContext(`\`${literal[1]}\``) as string;
}

/** Runs `<name>.sh` from the scenario folder as `user`, in a copy of that folder inside the root. */
export function runTestScript(root: DebianRoot, name: string, user: string, env: Record<string, string>): RunResult {
  cpSync(SCENARIO_DIR, root.path('/tmp/claude-env-test'), { recursive: true });
  writeFileSync(root.path('/tmp/claude-env-test/dev-container-features-test-lib'), featuresTestLib());
  const opened = root.run('chmod -R 0777 /tmp/claude-env-test');
  if (opened.status !== 0) throw new Error(opened.output);
  return root.run(`bash ./${name}.sh`, { user, cwd: '/tmp/claude-env-test', env });
}
