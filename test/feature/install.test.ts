import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DebianRoot, type RunResult } from './debianRoot';
import { REPO_ROOT } from '../helpers/paths';
import {
  addNodeFeatureLayout,
  containerEnv,
  installFeature,
  NODE_FEATURE_ENV,
  packagedFeature,
  runLifecycle,
} from './featureInstall';
import { runTestScript } from './featuresTest';
import {
  assertSameAsDesktop,
  assertServerResult,
  copyExample,
  createContainer,
  DEV,
  ownerOf,
  USER_FILES,
  WORKSPACE,
} from './workspace';

describe('dev container feature installed into a Debian bookworm root', function () {
  this.timeout(10 * 60_000);
  let archive: string;

  before(function () {
    this.timeout(20 * 60_000);
    if (process.getuid?.() !== 0)
      throw new Error('the feature tests need root: they debootstrap, chroot and mount /proc');
    archive = packagedFeature();
  });

  it('packs the CLI bundle, the installer and the lifecycle scripts into the publishable archive', () => {
    const listed = spawnSync('tar', ['-tf', archive], { encoding: 'utf8' }).stdout.split('\n');
    for (const file of [
      'devcontainer-feature.json',
      'install.sh',
      'policy.sh',
      'bundle/cli.js',
      'lifecycle/post-create.sh',
      'lifecycle/post-start.sh',
      'lifecycle/common.sh',
      'NOTES.md',
    ]) {
      assert.ok(
        listed.includes(`./${file}`),
        `${file} is missing from ${relative(REPO_ROOT, archive)}: ${listed.join(' ')}`,
      );
    }
  });

  describe('with Node.js 18 from Debian already in the image and a non-root remote user', () => {
    let root: DebianRoot;
    let firstInstall: RunResult;

    before(function () {
      this.timeout(20 * 60_000);
      root = DebianRoot.create('node');
      // What common-utils does for the remote user of an image.
      const user = root.run(`useradd --create-home --shell /bin/bash --uid 1000 ${DEV.name}`);
      assert.equal(user.status, 0, user.output);
      firstInstall = installFeature(root, archive, { remoteUser: DEV.name, offline: true });
    });

    after(() => root?.dispose());

    describe('first install', () => {
      it('installs the CLI without any network and without touching apt', () => {
        assert.equal(firstInstall.status, 0, firstInstall.output);
        assert.match(firstInstall.stdout, /claude-env: .* installed with node v18\.\d+\.\d+ for user dev\./);
        assert.deepEqual(readdirSync(root.path('var/lib/apt/lists')), [], 'apt-get update must not have run');
        assert.ok(!existsSync(root.path('tmp/dev-container-features')), 'the temporary feature folder is removed');
      });

      it('gives the remote user a working claude-env on PATH that only root can change', () => {
        const version = root.run('claude-env --version', {
          user: DEV.name,
          env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: DEV.home },
        });
        assert.equal(version.status, 0, version.output);
        assert.match(version.stdout.trim(), /\d+\.\d+\.\d+/);
        for (const path of [
          '/usr/local/bin/claude-env',
          '/usr/local/share/claude-env/cli.js',
          '/usr/local/share/claude-env/options.env',
        ]) {
          assert.equal(ownerOf(root, path), 'root:root', path);
          const writable = root.run(`test -w ${path}`, {
            user: DEV.name,
            env: { PATH: '/usr/bin:/bin', HOME: DEV.home },
          });
          assert.notEqual(writable.status, 0, `${path} must not be writable by ${DEV.name}`);
        }
      });
    });

    describe('lifecycle commands in a copy of the example workspace', () => {
      let created: RunResult;

      before(function () {
        this.timeout(5 * 60_000);
        created = createContainer(root);
      });

      it('writes, as the remote user, byte for byte what the desktop CLI writes for the same layers', () => {
        assertSameAsDesktop(root, created);
      });

      it('keeps every file the user already had in the workspace', () => {
        for (const [file, text] of Object.entries(USER_FILES)) {
          assert.equal(readFileSync(root.path(join(WORKSPACE, file)), 'utf8'), text, file);
        }
      });

      it('leaves a file edited by hand as it is when the container is created again, and says so', () => {
        const edited = '{ "mcpServers": { "mine": { "command": "my-server" } } }\n';
        writeFileSync(root.path(join(WORKSPACE, '.mcp.json')), edited);
        const again = runLifecycle(root, 'postCreateCommand', DEV, WORKSPACE);
        assert.equal(again.status, 0, again.output);
        assert.match(again.stdout, /nothing written: files edited by hand were left as they are \(exit 3/);
        assert.match(again.output, /\.mcp\.json/);
        assert.equal(readFileSync(root.path(join(WORKSPACE, '.mcp.json')), 'utf8'), edited);
      });

      it('creates the container even when a layer is broken, and names the file and line', () => {
        const local = root.path(join(WORKSPACE, '.claude-env/local.yaml'));
        const kept = readFileSync(local);
        const mcpJson = readFileSync(root.path(join(WORKSPACE, '.mcp.json')));
        try {
          writeFileSync(local, 'version: 1\nsettings: [unclosed\n');
          const created = runLifecycle(root, 'postCreateCommand', DEV, WORKSPACE);
          assert.equal(created.status, 0, created.output);
          assert.match(created.output, /\.claude-env\/local\.yaml:\d+:\d+: error/);
          assert.match(created.stdout, /claude-env: apply stopped on errors in the layers or while writing \(exit 1/);
          assert.match(created.stdout, /claude-env: the container starts either way\./);
          assert.ok(
            readFileSync(root.path(join(WORKSPACE, '.mcp.json'))).equals(mcpJson),
            'nothing is written from a broken stack',
          );
        } finally {
          writeFileSync(local, kept);
        }
      });

      it('checks the servers when the container starts, says which Node.js they ran on, and leaves none running', function () {
        this.timeout(6 * 60_000);
        const started = runLifecycle(root, 'postStartCommand', DEV, WORKSPACE);
        assert.equal(started.status, 0, started.output);
        assertServerResult(started.stdout, 'everything', 'ok');
        assertServerResult(started.stdout, 'sequential-thinking', 'ok');
        assert.match(started.stdout, /claude-env: all required MCP servers are healthy\./);
        assert.match(
          started.stdout,
          /claude-env: note: this container runs Node\.js v18\.\d+\.\d+; servers that need Node\.js 20 or later/,
        );
        assert.match(started.stdout, /claude-env: the container starts either way\./);
        assert.deepEqual(root.processes(), [], 'no server may outlive the check');
      });
    });

    describe('a workspace the remote user cannot write to', () => {
      it('still lets the container start, and names each file it could not write', () => {
        // A bind mount owned by another account, as happens when host and container user ids differ.
        const workspace = copyExample(root.path('/workspaces/foreign'));
        const created = runLifecycle(root, 'postCreateCommand', DEV, '/workspaces/foreign/workspace');
        assert.equal(created.status, 0, created.output);
        for (const file of ['.claude/settings.local.json', '.mcp.json', '.vscode/mcp.json']) {
          // The reason in words since writes check the folder first (was the bare EACCES code).
          const failed = new RegExp(
            `failed ${file.replace(/\./g, '\\.')}: .*read-only for you \\(permission denied\\)`,
          );
          assert.match(created.output, failed, created.output);
          assert.ok(!existsSync(join(workspace, file)), file);
        }
        assert.match(created.stdout, /claude-env: apply stopped on errors in the layers or while writing \(exit 1/);
        assert.match(created.stdout, /claude-env: the container starts either way\./);
      });
    });

    describe('second install', () => {
      it('installs again with other options, and the lifecycle commands follow the new ones', () => {
        const again = installFeature(root, archive, {
          remoteUser: DEV.name,
          options: { applyOnCreate: false, checkServers: false, team: 'web' },
          offline: true,
        });
        assert.equal(again.status, 0, again.output);
        const created = runLifecycle(root, 'postCreateCommand', DEV, WORKSPACE);
        assert.equal(created.status, 0, created.output);
        assert.match(created.stdout, /applyOnCreate is off/);
        const started = runLifecycle(root, 'postStartCommand', DEV, WORKSPACE);
        assert.equal(started.status, 0, started.output);
        assert.match(started.stdout, /checkServers is off/);
      });

      it('applies the team the team option names, byte for byte what the desktop CLI writes with that team', () => {
        const project = root.path(join(WORKSPACE, '.claude-env/project.yaml'));
        const kept = readFileSync(project, 'utf8');
        try {
          // The project names no team: only the option brings team web's servers and rules in.
          writeFileSync(project, kept.replace(/^teams: \[web\]\n/m, ''));
          for (const file of [
            '.mcp.json',
            '.claude/settings.local.json',
            '.vscode/mcp.json',
            '.claude-env/state.json',
          ]) {
            rmSync(root.path(join(WORKSPACE, file)), { force: true });
          }
          const again = installFeature(root, archive, {
            remoteUser: DEV.name,
            options: { team: 'web' },
            offline: true,
          });
          assert.equal(again.status, 0, again.output);
          const created = runLifecycle(root, 'postCreateCommand', DEV, WORKSPACE);
          assert.match(created.stdout, /with team web/);
          assertSameAsDesktop(root, created);
        } finally {
          writeFileSync(project, kept);
        }
      });
    });

    describe('installClaudeCode', () => {
      it('installs Claude Code from the npm registry into a prefix the remote user owns, on PATH, with no cache left behind', function () {
        this.timeout(6 * 60_000);
        const installed = installFeature(root, archive, { remoteUser: DEV.name, options: { installClaudeCode: true } });
        assert.equal(installed.status, 0, installed.output);
        const claude = root.run('command -v claude && claude --version', {
          user: DEV.name,
          env: containerEnv(DEV.name, DEV.home),
        });
        assert.equal(claude.status, 0, claude.output);
        assert.match(
          claude.stdout,
          /^\/usr\/local\/share\/claude-env\/npm-global\/bin\/claude\n\d+\.\d+\.\d+ \(Claude Code\)/,
        );
        assert.equal(
          ownerOf(root, '/usr/local/share/claude-env/npm-global/lib/node_modules/@anthropic-ai/claude-code'),
          `${DEV.name}:${DEV.name}`,
        );
        // The lifecycle tests above filled the user's npx cache; Claude Code's tarballs must not have joined it.
        const cached = root.run(`grep -rl 'anthropic-ai/claude-code' ${DEV.home}/.npm /tmp`);
        assert.equal(cached.stdout, '', 'the downloaded tarballs must not stay in the image');
      });
    });

    describe('option values', () => {
      const badValues: [string, string, RegExp][] = [
        ['applyOnCreate', 'yes', /option applyOnCreate is 'yes'; valid values: true, false/],
        ['checkServers', 'True', /option checkServers is 'True'; valid values: true, false/],
        ['installClaudeCode', '1', /option installClaudeCode is '1'; valid values: true, false/],
        ['team', 'web;touch /tmp/owned', /option team is 'web;touch \/tmp\/owned'; valid values: empty, or team names/],
        ['team', '../../etc/passwd', /option team is '..\/..\/etc\/passwd'; valid values: empty, or team names/],
        ['team', 'web platform', /option team is 'web platform'; valid values: empty, or team names/],
        ['team', 'web,,platform', /option team is 'web,,platform'; valid values: empty, or team names/],
      ];
      for (const [option, value, message] of badValues) {
        it(`refuses ${option}=${value} with a message that lists the valid values`, () => {
          const before = readFileSync(root.path('usr/local/share/claude-env/options.env'), 'utf8');
          const refused = installFeature(root, archive, {
            remoteUser: DEV.name,
            options: { [option]: value },
            offline: true,
          });
          assert.notEqual(refused.status, 0, refused.output);
          assert.match(refused.stderr, message);
          assert.ok(!existsSync(root.path('tmp/owned')), 'the value must never run as a command');
          assert.equal(
            readFileSync(root.path('usr/local/share/claude-env/options.env'), 'utf8'),
            before,
            'a refused install changes nothing',
          );
        });
      }
    });
  });

  describe("after the node feature, with its Node.js in nvm's folder", () => {
    let root: DebianRoot;
    let nodeVersion: string;
    let installed: RunResult;

    before(function () {
      this.timeout(20 * 60_000);
      root = DebianRoot.create('minbase');
      const user = root.run(`useradd --create-home --shell /bin/bash --uid 1000 ${DEV.name}`);
      assert.equal(user.status, 0, user.output);
      nodeVersion = addNodeFeatureLayout(root);
      // The devcontainer CLI sets the node feature's PATH only after every feature is installed.
      installed = installFeature(root, archive, { remoteUser: DEV.name, offline: true });
    });

    after(() => root?.dispose());

    it("uses the node feature's Node.js although it is not on PATH yet, and installs nothing from Debian", () => {
      assert.equal(installed.status, 0, installed.output);
      assert.ok(installed.stdout.includes(`installed with node ${nodeVersion} for user dev.`), installed.output);
      assert.ok(!existsSync(root.path('usr/bin/node')), "Debian's nodejs must not be installed");
      assert.deepEqual(readdirSync(root.path('var/lib/apt/lists')), []);
    });

    describe('lifecycle commands in a copy of the example workspace', () => {
      let created: RunResult;

      before(function () {
        this.timeout(5 * 60_000);
        created = createContainer(root, [NODE_FEATURE_ENV]);
      });

      it('writes byte for byte what the desktop CLI writes for the same layers', () => {
        assertSameAsDesktop(root, created);
      });

      it('reports every offline-capable server of the example healthy when the container starts, and leaves none running', function () {
        this.timeout(6 * 60_000);
        const started = runLifecycle(root, 'postStartCommand', DEV, WORKSPACE, [NODE_FEATURE_ENV]);
        assert.equal(started.status, 0, started.output);
        for (const server of ['context7', 'sequential-thinking', 'playwright', 'everything'])
          assertServerResult(started.stdout, server, 'ok');
        // Magic needs a key that this container does not have: reported, never started.
        assertServerResult(started.stdout, 'magic', 'unresolved');
        assert.doesNotMatch(started.stdout, /note: this container runs Node\.js/);
        assert.match(started.stdout, /claude-env: all required MCP servers are healthy\./);
        assert.deepEqual(root.processes(), [], 'no server may outlive the check');
      });
    });
  });

  describe('on a bare Debian bookworm without Node.js', () => {
    let root: DebianRoot;
    before(function () {
      this.timeout(20 * 60_000);
      root = DebianRoot.create('minbase');
    });
    after(() => root?.dispose());

    it('stops on a distribution it cannot install Node.js on, naming the node feature', () => {
      const osRelease = root.path('etc/os-release');
      const debian = readFileSync(osRelease);
      try {
        rmSync(osRelease); // a link into /usr/lib in Debian; replace it, not its target
        writeFileSync(osRelease, 'ID=alpine\nPRETTY_NAME="Alpine Linux v3.20"\n');
        const refused = installFeature(root, archive, { offline: true });
        assert.notEqual(refused.status, 0, refused.output);
        assert.match(
          refused.stderr,
          /this image is 'Alpine Linux v3\.20'\. Add ghcr\.io\/devcontainers\/features\/node before this feature\./,
        );
        assert.ok(!existsSync(root.path('usr/local/bin/claude-env')), 'nothing is installed');
      } finally {
        rmSync(osRelease);
        writeFileSync(osRelease, debian);
      }
    });

    it('installs Node.js and npm from Debian, then the CLI, and leaves no package lists behind', function () {
      this.timeout(10 * 60_000);
      assert.notEqual(root.run('command -v node').status, 0, 'the bare root has no node');
      const installed = installFeature(root, archive);
      assert.equal(installed.status, 0, installed.output);
      const tools = root.run('node --version && npx --version && claude-env --version');
      assert.equal(tools.status, 0, tools.output);
      assert.match(tools.stdout, /^v(1[89]|[2-9]\d)\./);
      assert.deepEqual(readdirSync(root.path('var/lib/apt/lists')), [], 'apt lists are cleaned');
    });

    it('passes the debian_without_node scenario script of `devcontainer features test`', function () {
      this.timeout(6 * 60_000);
      const tested = runTestScript(root, 'debian_without_node', 'root', containerEnv('root', '/root'));
      assert.equal(tested.status, 0, tested.output);
      assert.match(tested.stdout, /Test Passed!/);
    });

    it('applies the layers when the container runs as root, the remote user of a plain image', () => {
      copyExample(root.path('/workspaces/examples'));
      const created = runLifecycle(root, 'postCreateCommand', { name: 'root', home: '/root' }, WORKSPACE);
      assert.equal(created.status, 0, created.output);
      assert.match(created.stdout, /claude-env: applied: /);
      assert.ok(existsSync(root.path(join(WORKSPACE, '.mcp.json'))), created.output);
    });
  });
});
