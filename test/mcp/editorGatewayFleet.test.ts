import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { defaultSecretProvider } from '@claude-env/engine';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { UNTRUSTED_REASON } from '@claude-env/mcp';
import type { FleetEntry } from '../../extension/src/mcp/fleet';
import { GatewayFleet } from '../../extension/src/mcp/gatewayFleet';
import { NO_DAEMON_REASON } from '../../extension/src/mcp/gatewayEntry';
import { newTag } from '../helpers/mcp';
import { CLI, EVERYTHING, GatewayWorld } from './gatewayHelpers';

/**
 * The editor's side of the gateway without VS Code (the fleet imports no `vscode`): the rows the MCP Servers
 * view renders, joined from the layers and the daemon's pushed fleet, and its start/stop/restart, against a real
 * daemon started on demand, real servers, and the SDK client over the shim as the other client.
 */
describe('MCP gateway: the editor fleet attached to the daemon', function () {
  this.timeout(90_000);
  let world: GatewayWorld;
  let fleet: GatewayFleet | undefined;

  beforeEach(() => {
    world = new GatewayWorld(newTag());
  });

  afterEach(async () => {
    await fleet?.dispose();
    fleet = undefined;
    assert.deepEqual(await world.dispose(), [], 'no process of the test may outlive it');
  });

  const editorFleet = (autoStart = false) =>
    (fleet = new GatewayFleet({
      workspace: world.workspace,
      secrets: defaultSecretProvider(world.env),
      userConfigDir: () => `${world.root}/config/claude-env`,
      autoStartEnabled: () => autoStart,
      paths: world.paths,
      daemon: { command: [process.execPath, CLI, 'mcp', 'daemon'], env: world.env },
      clientInfo: { name: 'Visual Studio Code (Claude Env)', version: '1.139.1' },
      log: () => undefined,
    }));

  /** Resolves with the entry once it satisfies `accept`, re-checking on every change the fleet reports. */
  const entryWhen = (name: string, accept: (entry: FleetEntry) => boolean, what: string) =>
    new Promise<FleetEntry>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(fleet?.entry(name))}`)),
        30_000,
      );
      const check = () => {
        const entry = fleet?.entry(name);
        if (!entry || !accept(entry)) return;
        clearTimeout(timer);
        fleet?.off('changed', check);
        resolve(entry);
      };
      fleet?.on('changed', check);
      check();
    });

  it('asks nothing of the daemon in an untrusted folder, not even its folder', async () => {
    world.writeLayer({ everything: { ...EVERYTHING, supervision: { autoStart: true } } });
    const untrusted = editorFleet(true);
    await untrusted.setTrusted(false);
    assert.deepEqual(
      untrusted.list().map((entry) => [entry.state, entry.reason]),
      [['blocked', UNTRUSTED_REASON]],
    );
    assert.equal((await untrusted.start('everything')).state, 'blocked');
    assert.equal(existsSync(world.paths.dir), false, 'no gateway folder, no socket, no daemon');
  });

  it("follows a daemon a shim started, shows the shim's session, restarts it (list_changed) and stops it", async () => {
    world.writeLayer({ everything: EVERYTHING });
    const view = editorFleet();
    await view.setTrusted(true);
    assert.deepEqual(
      view.list().map((entry) => [entry.state, entry.reason]),
      [['stopped', NO_DAEMON_REASON]],
    );

    const external = await world.connect('everything', { name: 'claude-code' });
    let relisted!: () => void;
    const seen = new Promise<void>((resolve) => (relisted = resolve));
    external.setNotificationHandler(ToolListChangedNotificationSchema, () => relisted());
    await external.callTool({ name: 'echo', arguments: { message: 'hello' } });
    const shown = await entryWhen(
      'everything',
      (entry) => entry.state === 'running' && (entry.gateway?.instances[0]?.recentCalls.length ?? 0) > 0,
      'the shim-started daemon to be followed, with the call',
    );
    assert.deepEqual(
      shown.gateway?.sessions.map((session) => session.client),
      ['claude-code 1.0.0'],
    );
    const pid = shown.gateway!.instances[0].pid;

    const restarted = await view.restart('everything');
    await seen;
    assert.equal(restarted.gateway?.instances.length, 1, 'the restart acted on the shim session’s instance');
    assert.notEqual(restarted.gateway!.instances[0].pid, pid);

    const stopped = await view.stop('everything');
    assert.equal(stopped.state, 'stopped');
    await assert.rejects(external.callTool({ name: 'echo', arguments: { message: 'x' } }), /everything is stopped/);
    const started = await view.start('everything');
    assert.equal(started.state, 'running');
    assert.deepEqual(
      started.gateway?.sessions.map((session) => session.client).sort(),
      ['Visual Studio Code (Claude Env) 1.139.1', 'claude-code 1.0.0'],
      "Start opened the editor's session and started the stopped instance again",
    );
    assert.ok((started.status?.catalog.tools.length ?? 0) > 0, "the editor's session listed the tools");
    await external.callTool({ name: 'echo', arguments: { message: 'back' } });
  });

  it('follows the fresh daemon a shim starts after kill -9, and opens its own session there again', async () => {
    world.writeLayer({ everything: EVERYTHING });
    const view = editorFleet();
    await view.setTrusted(true);
    const external = await world.connect('everything', { name: 'claude-code' });
    assert.equal((await view.start('everything')).gateway?.sessions.length, 2);
    const old = world.daemonPid()!;
    const gone = entryWhen('everything', (entry) => entry.reason === NO_DAEMON_REASON, 'the daemon to be seen gone');
    process.kill(old, 'SIGKILL');
    await gone;
    // The shim reconnects to a daemon it starts; the view follows it through the socket folder, without polling,
    // and the editor's session that ended with the old daemon opens on the new one.
    const clients = (entry: FleetEntry) => entry.gateway?.sessions.map((session) => session.client).sort() ?? [];
    const back = await entryWhen(
      'everything',
      (entry) => entry.state === 'running' && clients(entry).length === 2 && !clients(entry).includes(undefined),
      'the new daemon with both sessions',
    );
    assert.deepEqual(clients(back), ['Visual Studio Code (Claude Env) 1.139.1', 'claude-code 1.0.0']);
    assert.notEqual(world.daemonPid(), old);
    assert.equal(back.gateway?.instances.length, 2);
    await external.callTool({ name: 'echo', arguments: { message: 'after the daemon died' } });
  });

  it("starts the daemon on demand for an autoStart server, and shows the daemon's refusal as failed", async () => {
    world.writeLayer({
      everything: { ...EVERYTHING, supervision: { autoStart: true } },
      crashing: { command: process.execPath, args: ['-e', 'process.exit(3)'], supervision: { maxRestarts: 0 } },
    });
    const view = editorFleet(true);
    await view.setTrusted(true);
    const running = await entryWhen('everything', (entry) => entry.state === 'running', 'everything to auto-start');
    assert.equal(running.gateway?.sessions[0]?.client, 'Visual Studio Code (Claude Env) 1.139.1');
    assert.ok(world.daemonPid(), 'the editor started the daemon');
    const crashing = await view.start('crashing');
    assert.equal(crashing.state, 'failed', crashing.reason);
    assert.match(crashing.reason, /^crashing is failed: .*exited with code 3/);
  });
});
