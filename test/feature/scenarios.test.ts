import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DebianRoot, type RootVariant } from './debianRoot';
import {
  addNodeFeatureLayout,
  containerEnv,
  installFeature,
  NODE_FEATURE_ENV,
  packagedFeature,
} from './featureInstall';
import { runTestScript, SCENARIO_DIR } from './featuresTest';
const NODE_FEATURE = 'ghcr.io/devcontainers/features/node:1';

interface Scenario {
  image: string;
  remoteUser?: string;
  features: Record<string, Record<string, string | boolean>>;
}

/** The Debian root that stands in for a scenario's image. Only Debian's mirror is reachable here. */
function rootFor(scenario: Scenario): { variant: RootVariant; user?: string } {
  switch (scenario.image) {
    case 'debian:bookworm':
      return { variant: 'minbase' };
    case 'mcr.microsoft.com/devcontainers/base:bookworm':
      // The image has the `vscode` user; with Node.js from Debian already there the install takes no network.
      return { variant: scenario.features[NODE_FEATURE] ? 'minbase' : 'node', user: 'vscode' };
    default:
      throw new Error(`no Debian root stands in for ${scenario.image}`);
  }
}

/** Installs the feature as the scenario says, then runs `<name>.sh` as the remote user with the container's env. */
function runScenario(name: string, scenario: Scenario, installs = 1): string {
  const { variant, user } = rootFor(scenario);
  const root = DebianRoot.create(variant);
  // With Node.js in the image install.sh needs no network, unless it is to fetch Claude Code.
  const nodeInImage = variant === 'node' || Boolean(scenario.features[NODE_FEATURE]);
  const offline = nodeInImage && scenario.features['claude-env']?.installClaudeCode !== true;
  try {
    const remote = scenario.remoteUser ?? 'root';
    const home = remote === 'root' ? '/root' : `/home/${remote}`;
    if (user) assert.equal(root.run(`useradd --create-home --shell /bin/bash --uid 1000 ${user}`).status, 0);
    const others: Record<string, string>[] = [];
    if (scenario.features[NODE_FEATURE]) {
      addNodeFeatureLayout(root);
      others.push(NODE_FEATURE_ENV);
    }
    for (let i = 0; i < installs; i++) {
      const installed = installFeature(root, packagedFeature(), {
        remoteUser: remote,
        options: scenario.features['claude-env'],
        offline,
      });
      assert.equal(installed.status, 0, installed.output);
    }
    const tested = runTestScript(root, name, remote, containerEnv(remote, home, others));
    assert.equal(tested.status, 0, `${name}.sh failed:\n${tested.output}`);
    return tested.stdout;
  } finally {
    root.dispose();
  }
}

describe('dev container feature: the devcontainer features test scripts, in Debian roots', function () {
  this.timeout(10 * 60_000);
  let scenarios: Record<string, Scenario>;

  before(function () {
    this.timeout(20 * 60_000);
    if (process.getuid?.() !== 0)
      throw new Error('the feature tests need root: they debootstrap, chroot and mount /proc');
    scenarios = JSON.parse(readFileSync(join(SCENARIO_DIR, 'scenarios.json'), 'utf8')) as Record<string, Scenario>;
    packagedFeature();
  });

  // What `devcontainer features test --base-image mcr.microsoft.com/devcontainers/base:bookworm` runs them on.
  const baseImage: Scenario = {
    image: 'mcr.microsoft.com/devcontainers/base:bookworm',
    features: { 'claude-env': {} },
  };

  it('passes test.sh, the default-options test', () => {
    assert.match(runScenario('test', baseImage), /Test Passed!/);
  });

  it('passes duplicate.sh after installing twice', () => {
    assert.match(runScenario('duplicate', baseImage, 2), /Test Passed!/);
  });

  // debian_without_node runs in install.test.ts, on the bare root that test installs Node.js into anyway;
  // ubuntu_without_node needs Ubuntu's mirror, which no Debian root can stand in for.
  for (const name of ['node_feature_non_root', 'lifecycle_off', 'with_claude_code']) {
    it(`passes the ${name} scenario`, () => {
      assert.ok(scenarios[name], `${name} is in scenarios.json`);
      assert.match(runScenario(name, scenarios[name]!), /Test Passed!/);
    });
  }
});
