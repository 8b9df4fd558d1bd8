import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { REPO_ROOT } from '../helpers/paths';
import { FEATURE_DIR, featureMetadata, optionVariable } from './featureInstall';
import { SCENARIO_DIR } from './featuresTest';

const SHARED_SCHEMA = join(REPO_ROOT, '..', 'shared', 'data', 'devContainerFeature.schema.json');
const SCRIPTS = [
  'install.sh',
  'policy.sh',
  'lifecycle/post-create.sh',
  'lifecycle/post-start.sh',
  'lifecycle/common.sh',
];

/** The `VAR="${OPTION:-default}"` lines that open install.sh, keyed by OPTION. */
function installDefaults(): Map<string, { variable: string; value: string }> {
  const defaults = new Map<string, { variable: string; value: string }>();
  const text = readFileSync(join(FEATURE_DIR, 'install.sh'), 'utf8');
  for (const match of text.matchAll(/^(\w+)="\$\{(\w+):-([^}]*)\}"$/gm)) {
    if (match[2]!.startsWith('_')) continue; // the CLI's builtin variables, not options
    defaults.set(match[2]!, { variable: match[1]!, value: match[3]! });
  }
  return defaults;
}

function ensureShellcheck(): void {
  if (spawnSync('shellcheck', ['--version']).status === 0) return;
  const installed = spawnSync(
    'sh',
    ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck'],
    {
      encoding: 'utf8',
    },
  );
  if (installed.status !== 0) throw new Error(`installing shellcheck failed:\n${installed.stderr}`);
}

describe('dev container feature metadata', () => {
  it('is valid against the dev container spec schema for features', () => {
    const schema = JSON.parse(readFileSync(SHARED_SCHEMA, 'utf8')) as Record<string, unknown>;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const valid = validate(featureMetadata());
    assert.ok(valid, JSON.stringify(validate.errors, null, 2));
  });

  it('names the feature after its folder and carries a semver version', () => {
    const metadata = featureMetadata();
    assert.equal(metadata.id, 'claude-env');
    assert.match(metadata.version, /^\d+\.\d+\.\d+$/);
    assert.equal(typeof metadata.name, 'string');
    assert.equal(typeof metadata.documentationURL, 'string');
  });

  it('declares the options the installer reads, each with a description', () => {
    const options = featureMetadata().options;
    assert.deepEqual(Object.keys(options).sort(), [
      'applyOnCreate',
      'checkServers',
      'installClaudeCode',
      'orgPath',
      'orgRef',
      'orgSource',
      'team',
    ]);
    assert.equal(options.applyOnCreate!.type, 'boolean');
    assert.equal(options.checkServers!.type, 'boolean');
    assert.equal(options.installClaudeCode!.type, 'boolean');
    for (const id of ['team', 'orgSource', 'orgRef', 'orgPath']) assert.equal(options[id]!.type, 'string', id);
    for (const [id, option] of Object.entries(options)) {
      assert.ok(
        ((option as { description?: string }).description ?? '').length > 20,
        `option ${id} needs a description`,
      );
    }
  });

  it('has one defaulting line in install.sh per option, with the same default as the JSON', () => {
    const defaults = installDefaults();
    const options = featureMetadata().options;
    assert.deepEqual([...defaults.keys()].sort(), Object.keys(options).map(optionVariable).sort());
    for (const [id, option] of Object.entries(options)) {
      assert.equal(defaults.get(optionVariable(id))!.value, String(option.default), `default of ${id}`);
    }
  });

  it("installs after the node and common-utils features and adds this repository's extension to VS Code", () => {
    const metadata = featureMetadata();
    assert.deepEqual(metadata.installsAfter, [
      'ghcr.io/devcontainers/features/node',
      'ghcr.io/devcontainers/features/common-utils',
    ]);
    const extension = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      publisher: string;
      name: string;
    };
    assert.deepEqual((metadata.customizations as { vscode: { extensions: string[] } }).vscode.extensions, [
      `${extension.publisher}.${extension.name}`,
    ]);
  });

  it('runs lifecycle scripts that install.sh copies out of the temporary feature folder', () => {
    const metadata = featureMetadata();
    const installer = readFileSync(join(FEATURE_DIR, 'install.sh'), 'utf8');
    for (const hook of ['postCreateCommand', 'postStartCommand'] as const) {
      const command = metadata[hook];
      assert.match(
        command,
        /^\/usr\/local\/share\/claude-env\/lifecycle\/[\w-]+\.sh$/,
        `${hook} must point outside the feature folder`,
      );
      const script = command.split('/').pop()!;
      assert.ok(installer.includes(`lifecycle/${script}`), `install.sh must copy ${script}`);
    }
  });

  it('puts the Claude Code prefix that install.sh creates on PATH', () => {
    const installer = readFileSync(join(FEATURE_DIR, 'install.sh'), 'utf8');
    const prefix = /^NPM_PREFIX="\$\{INSTALL_DIR\}\/([\w-]+)"$/m.exec(installer)?.[1];
    const installDir = /^INSTALL_DIR=(\S+)$/m.exec(installer)?.[1];
    assert.ok(prefix && installDir);
    assert.equal(featureMetadata().containerEnv.PATH, `${installDir}/${prefix}/bin:\${PATH}`);
  });

  it('has scenarios for `devcontainer features test` that use only declared options with their types, each with its script', () => {
    const options = featureMetadata().options;
    const scenarios = JSON.parse(readFileSync(join(SCENARIO_DIR, 'scenarios.json'), 'utf8')) as Record<
      string,
      { features: Record<string, Record<string, unknown>> }
    >;
    assert.ok(Object.keys(scenarios).length >= 4);
    for (const [name, scenario] of Object.entries(scenarios)) {
      assert.ok(existsSync(join(SCENARIO_DIR, `${name}.sh`)), `scenario ${name} needs ${name}.sh`);
      const chosen = scenario.features['claude-env'];
      assert.ok(chosen, `scenario ${name} must install claude-env`);
      for (const [id, value] of Object.entries(chosen)) {
        assert.ok(options[id], `scenario ${name} sets unknown option ${id}`);
        assert.equal(typeof value, options[id]!.type, `scenario ${name}: ${id}`);
      }
    }
  });

  it('has shell scripts that shellcheck finds nothing in', function () {
    this.timeout(120_000);
    ensureShellcheck();
    const result = spawnSync('shellcheck', ['--shell=sh', '--severity=style', ...SCRIPTS], {
      cwd: FEATURE_DIR,
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const tests = readdirSync(SCENARIO_DIR).filter((file) => file.endsWith('.sh'));
    const testResult = spawnSync('shellcheck', ['--shell=bash', '--severity=style', ...tests], {
      cwd: SCENARIO_DIR,
      encoding: 'utf8',
    });
    assert.equal(testResult.status, 0, testResult.stdout + testResult.stderr);
  });
});
