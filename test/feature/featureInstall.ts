/**
 * Installs the packaged feature into a Debian root the way the devcontainer CLI does in its generated
 * Dockerfile, and runs its lifecycle commands the way the CLI runs them after creating the container.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { type DebianRoot, IMAGE_PATH, type RunResult } from './debianRoot';
import { REPO_ROOT } from '../helpers/paths';

export const FEATURE_DIR = join(REPO_ROOT, 'devcontainer-feature', 'src', 'claude-env');

interface FeatureOption {
  type: 'boolean' | 'string';
  default: boolean | string;
}

export interface FeatureMetadata {
  id: string;
  version: string;
  options: Record<string, FeatureOption>;
  containerEnv: Record<string, string>;
  postCreateCommand: string;
  postStartCommand: string;
  [key: string]: unknown;
}

export function featureMetadata(): FeatureMetadata {
  return JSON.parse(readFileSync(join(FEATURE_DIR, 'devcontainer-feature.json'), 'utf8')) as FeatureMetadata;
}

/** The variable an option arrives in, by the devcontainer CLI's rule: `checkServers` becomes `CHECKSERVERS`. */
export function optionVariable(id: string): string {
  return id
    .replace(/[^\w_]/g, '_')
    .replace(/^[\d_]+/g, '_')
    .toUpperCase();
}

let packaged: string | undefined;

/** Builds the publishable archive once per test run with `npm run package:feature`'s script. */
export function packagedFeature(): string {
  if (packaged) return packaged;
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'feature-package.mjs')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 5 * 60_000,
  });
  if (result.status !== 0) throw new Error(`scripts/feature-package.mjs failed:\n${result.stderr}`);
  packaged = join(REPO_ROOT, result.stdout.trim().split('\n').pop()!);
  return packaged;
}

export interface InstallOptions {
  /** Option values as a devcontainer.json would give them; omitted ones get their default, as the CLI does. */
  options?: Record<string, string | boolean>;
  remoteUser?: string;
  containerUser?: string;
  /** Install with no network at all, as in an air-gapped build (Node must already be in the image). */
  offline?: boolean;
}

const FEATURES_DIR = '/tmp/dev-container-features';

/**
 * Unpacks the archive to a temporary folder, writes the two env files and runs install.sh through the same
 * `set -a` sourcing as the CLI's devcontainer-features-install.sh, then deletes the folder as the CLI does.
 */
export function installFeature(root: DebianRoot, archive: string, install: InstallOptions = {}): RunResult {
  const metadata = featureMetadata();
  const remoteUser = install.remoteUser ?? 'root';
  const containerUser = install.containerUser ?? 'root';
  const folder = `${FEATURES_DIR}/${metadata.id}_0`;
  mkdirSync(root.path(folder), { recursive: true });
  const unpacked = spawnSync('tar', ['-C', root.path(folder), '-xf', archive], { encoding: 'utf8' });
  if (unpacked.status !== 0) throw new Error(`unpacking ${archive} failed: ${unpacked.stderr}`);

  const optionLines = Object.entries(metadata.options).map(([id, option]) => {
    const value = install.options?.[id] ?? option.default;
    // Deliberately unescaped, exactly like the CLI: install.sh has to cope with whatever the user typed.
    return `${optionVariable(id)}="${String(value)}"`;
  });
  for (const id of Object.keys(install.options ?? {})) {
    if (!(id in metadata.options)) throw new Error(`test asks for option '${id}', which the feature does not declare`);
  }
  writeFileSync(root.path(`${folder}/devcontainer-features.env`), `${optionLines.join('\n')}\n`);
  writeFileSync(
    root.path(`${FEATURES_DIR}/devcontainer-features.builtin.env`),
    `_CONTAINER_USER=${containerUser}\n_REMOTE_USER=${remoteUser}\n`,
  );
  // The CLI appends the homes with the same getent lookup in a RUN step; empty when the user does not exist yet.
  const homes = [
    `echo "_CONTAINER_USER_HOME=$(getent passwd ${containerUser} | cut -d: -f6)" >> ${FEATURES_DIR}/devcontainer-features.builtin.env`,
    `echo "_REMOTE_USER_HOME=$(getent passwd ${remoteUser} | cut -d: -f6)" >> ${FEATURES_DIR}/devcontainer-features.builtin.env`,
  ].join(' && ');
  const script = [
    homes,
    `chmod -R 0755 ${folder}`,
    `cd ${folder}`,
    'set -e',
    'set -a',
    '. ../devcontainer-features.builtin.env',
    '. ./devcontainer-features.env',
    'set +a',
    './install.sh',
  ].join('\n');
  try {
    return root.run(script, { env: { PATH: IMAGE_PATH, HOME: '/root' }, offline: install.offline });
  } finally {
    root.run(`rm -rf ${FEATURES_DIR}`);
  }
}

/**
 * The container's environment for a user: the image's, then each installed feature's `containerEnv` in install
 * order (`others` before this feature, which installs after node and common-utils).
 */
export function containerEnv(
  user: string,
  home: string,
  others: Record<string, string>[] = [],
): Record<string, string> {
  const env: Record<string, string> = { PATH: IMAGE_PATH, HOME: home, USER: user };
  for (const featureEnv of [...others, featureMetadata().containerEnv]) {
    for (const [name, value] of Object.entries(featureEnv)) {
      env[name] = value.replace(/\$\{(\w+)\}/g, (_, ref: string) => env[ref] ?? '');
    }
  }
  return env;
}

export interface RemoteUser {
  name: string;
  home: string;
}

/** Runs one of the feature's lifecycle commands as the remote user in the workspace folder (`offline`: no network). */
export function runLifecycle(
  root: DebianRoot,
  hook: 'postCreateCommand' | 'postStartCommand',
  user: RemoteUser,
  workspace: string,
  otherFeatureEnvs: Record<string, string>[] = [],
  options: { offline?: boolean } = {},
): RunResult {
  const env = containerEnv(user.name, user.home, otherFeatureEnvs);
  return root.run(featureMetadata()[hook], { user: user.name, cwd: workspace, env, offline: options.offline });
}

/** The node feature's `containerEnv`: nvm's `current` link first on PATH. */
export const NODE_FEATURE_ENV: Record<string, string> = {
  NVM_DIR: '/usr/local/share/nvm',
  NVM_SYMLINK_CURRENT: 'true',
  PATH: '/usr/local/share/nvm/current/bin:${PATH}',
};

/**
 * Puts the Node.js running these tests into the root where the node feature (ghcr.io/devcontainers/features/node)
 * puts its nvm-managed Node: /usr/local/share/nvm/versions/node/vX with a `current` link. Only Debian's mirror is
 * reachable here, so this stands in for the node feature's download. Returns the version.
 */
export function addNodeFeatureLayout(root: DebianRoot): string {
  const node = realpathSync(process.execPath);
  const npm = join(dirname(node), '..', 'lib', 'node_modules', 'npm');
  if (!existsSync(join(npm, 'bin', 'npm-cli.js'))) throw new Error(`no npm beside ${node} (looked in ${npm})`);
  const version = process.version;
  const prefix = `/usr/local/share/nvm/versions/node/${version}`;
  mkdirSync(root.path(`${prefix}/bin`), { recursive: true });
  mkdirSync(root.path(`${prefix}/lib/node_modules`), { recursive: true });
  copyFileSync(node, root.path(`${prefix}/bin/node`));
  chmodSync(root.path(`${prefix}/bin/node`), 0o755);
  cpSync(npm, root.path(`${prefix}/lib/node_modules/npm`), { recursive: true });
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', root.path(`${prefix}/bin/npm`));
  symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', root.path(`${prefix}/bin/npx`));
  symlinkSync(prefix, root.path('/usr/local/share/nvm/current'));
  return version;
}
