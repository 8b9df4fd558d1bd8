// Builds the publishable dev container feature: bundles the CLI, places the bundle inside the feature folder
// (so install.sh needs no network for it) and packages the folder with the devcontainer CLI.
// Prints the path of the archive, e.g. dist/devcontainer-feature/devcontainer-feature-claude-env.tgz.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const collection = join(root, 'devcontainer-feature', 'src');
const feature = join(collection, 'claude-env');
const outputFolder = join(root, 'dist', 'devcontainer-feature');
const archive = join(outputFolder, 'devcontainer-feature-claude-env.tgz');

function run(command, args) {
  try {
    // The devcontainer CLI logs progress on stdout; keep ours for the archive path alone.
    execFileSync(command, args, { cwd: root, stdio: ['ignore', process.stderr, 'inherit'] });
  } catch (error) {
    console.error(`package:feature: ${relative(root, args[0])} failed (exit ${error.status ?? error.signal})`);
    process.exit(1);
  }
}

run(process.execPath, [join(root, 'scripts', 'build.mjs')]);
const cliBundle = join(root, 'dist', 'cli.js');
if (!existsSync(cliBundle)) {
  console.error(`package:feature: ${relative(root, cliBundle)} was not built; does cli/src/main.ts exist?`);
  process.exit(1);
}
mkdirSync(join(feature, 'bundle'), { recursive: true });
copyFileSync(cliBundle, join(feature, 'bundle', 'cli.js'));

run(process.execPath, [
  join(root, 'node_modules', '@devcontainers', 'cli', 'devcontainer.js'),
  'features',
  'package',
  collection,
  '--output-folder',
  outputFolder,
  '--force-clean-output-folder',
]);
if (!existsSync(archive)) {
  console.error(`package:feature: the devcontainer CLI did not write ${relative(root, archive)}`);
  process.exit(1);
}
console.log(relative(root, archive));
