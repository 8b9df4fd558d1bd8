import { strict as assert } from 'node:assert';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import {
  GatewayErrorCode,
  GatewaySessionTransport,
  controlDaemon,
  queryDaemon,
  subscribeDaemon,
  type DaemonSubscription,
  type FleetStatus,
} from '@claude-env/mcp';
import { FIXTURE_SERVER, newTag } from '../helpers/mcp';
import { CLI, EVERYTHING, GatewayWorld, MEMORY_BIN, packageServer, textOf } from './gatewayHelpers';

/** Every status line a subscription receives, with a way to wait for one that satisfies a test. */
class Feed {
  readonly lines: string[] = [];
  ended: boolean | undefined;
  private readonly waiters = new Set<() => void>();
  readonly subscription: DaemonSubscription;

  constructor(world: GatewayWorld) {
    this.subscription = subscribeDaemon(
      (status) => {
        this.lines.push(JSON.stringify(status));
        this.wake();
      },
      (answered) => {
        this.ended = answered;
        this.wake();
      },
      world.paths,
    );
  }

  latest(): FleetStatus | undefined {
    const last = this.lines[this.lines.length - 1];
    return last === undefined ? undefined : (JSON.parse(last) as FleetStatus);
  }

  /** Resolves with the first pushed status (the current one included) that `accept` takes. */
  until(accept: (status: FleetStatus) => boolean, what: string, timeoutMs = 30_000): Promise<FleetStatus> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; last status: ${this.lines[this.lines.length - 1]}`));
      }, timeoutMs);
      const check = () => {
        const status = this.latest();
        if (!status || !accept(status)) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(status);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Resolves once the subscription ended. */
  end(timeoutMs = 15_000): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the subscription did not end')), timeoutMs);
      const check = () => {
        if (this.ended === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(this.ended);
      };
      this.waiters.add(check);
      check();
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/**
 * The daemon's query and control surface, as the editor's MCP Servers view uses it: a subscription that pushes
 * the fleet on every change, start/stop/restart of a server's instances, and an in-process session. Real
 * daemon, real servers from node_modules, the SDK client over the shim as the other client.
 */
describe('MCP gateway: subscribe and control, as the editor uses them', function () {
  this.timeout(90_000);
  let world: GatewayWorld;
  const feeds: Feed[] = [];

  beforeEach(() => {
    world = new GatewayWorld(newTag());
  });

  afterEach(async () => {
    for (const feed of feeds.splice(0)) feed.subscription.close();
    assert.deepEqual(await world.dispose(), [], 'no process of the test may outlive it');
  });

  const subscribe = () => {
    const feed = new Feed(world);
    feeds.push(feed);
    return feed;
  };

  it('ends a subscription at once, and answers no control, when no daemon runs', async () => {
    assert.equal(await subscribe().end(), false);
    assert.equal(await controlDaemon('restart', world.workspace, 'everything', world.paths), undefined);
  });

  it("pushes the fleet on each change: a shim's session with its client's name, its calls, then its end", async () => {
    world.writeLayer({ everything: EVERYTHING });
    const first = await world.connect('everything', { name: 'claude-code' });
    const feed = subscribe();
    const initial = await feed.until((status) => status.sessions.length === 1, 'the open session');
    assert.equal(initial.sessions[0].client, 'claude-code 1.0.0');
    assert.equal(initial.backends[0].state, 'running');

    const second = await world.connect('everything', { name: 'vscode-chat' });
    const two = await feed.until((status) => status.sessions.length === 2, 'the second session');
    assert.deepEqual(two.sessions.map((session) => session.client).sort(), ['claude-code 1.0.0', 'vscode-chat 1.0.0']);
    assert.equal(two.backends.length, 2, 'one instance per session by default');

    await second.callTool({ name: 'echo', arguments: { message: 'seen by the view' } });
    const called = await feed.until(
      (status) => status.backends.some((backend) => backend.recentCalls.length === 1),
      'the call to be pushed',
    );
    const call = called.backends.flatMap((backend) => backend.recentCalls)[0];
    assert.deepEqual([call.method, call.target, call.outcome], ['tools/call', 'echo', 'ok']);
    assert.ok(!JSON.stringify(called).includes('seen by the view'), 'no argument value in the pushed status');

    await second.close();
    await feed.until((status) => status.sessions.length === 1 && status.backends.length === 1, 'the session end');
    assert.ok(feed.lines.length >= 4, `pushed ${feed.lines.length} times`);
    await first.close();
  });

  it('restarts every instance of a server on request: its client sees list_changed and keeps its session', async () => {
    world.writeLayer({ everything: EVERYTHING, memory: packageServer(MEMORY_BIN) });
    const client = await world.connect('everything');
    const other = await world.connect('memory');
    const relisted = new Promise<void>((resolve) =>
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()),
    );
    const feed = subscribe();
    const before = await feed.until((status) => status.backends.length === 2, 'both instances');
    const pidOf = (status: FleetStatus, server: string) => status.backends.find((b) => b.server === server)?.pid;

    const answer = await controlDaemon('restart', world.workspace, 'everything', world.paths);
    assert.ok(answer?.ok, JSON.stringify(answer));
    assert.equal(answer.instances.length, 1);
    await relisted;
    const after = await feed.until(
      (status) => status.backends.find((b) => b.server === 'everything')?.restarts === 1,
      'the restart to be pushed',
    );
    assert.notEqual(pidOf(after, 'everything'), pidOf(before, 'everything'));
    assert.equal(pidOf(after, 'memory'), pidOf(before, 'memory'), 'another server is left alone');
    const echo = await client.callTool({ name: 'echo', arguments: { message: 'after the restart' } });
    assert.equal(textOf(echo), 'Echo: after the restart');
    await other.close();
  });

  it("stops a server's instances on request, answers its session with why, and starts them again", async () => {
    world.writeLayer({ everything: EVERYTHING });
    const client = await world.connect('everything');
    const feed = subscribe();
    const stopped = await controlDaemon('stop', world.workspace, 'everything', world.paths);
    assert.ok(stopped?.ok);
    await feed.until((status) => status.backends[0]?.state === 'stopped', 'the stop to be pushed');
    const refused = await client.callTool({ name: 'echo', arguments: { message: 'x' } }).then(
      () => undefined,
      (error: { code?: number; message: string }) => error,
    );
    assert.equal(refused?.code, GatewayErrorCode.backendUnavailable);
    assert.match(refused?.message ?? '', /everything is stopped: stopped by a control request/);

    const started = await controlDaemon('start', world.workspace, 'everything', world.paths);
    assert.ok(started?.ok);
    assert.equal(feed.latest()?.sessions.length, 1, 'the session stayed open');
    const echo = await client.callTool({ name: 'echo', arguments: { message: 'back' } });
    assert.equal(textOf(echo), 'Echo: back');
    const other = await controlDaemon('restart', world.workspace, 'not-there', world.paths);
    assert.deepEqual(other, { ok: true, instances: [] }, 'a server with no instance has nothing to act on');
  });

  it('refuses a control request that names no action, and acts only within the named workspace', async () => {
    world.writeLayer({ everything: EVERYTHING });
    await world.connect('everything');
    const bad = await controlDaemon('explode' as never, world.workspace, 'everything', world.paths);
    assert.equal(bad?.ok, false);
    assert.match(bad && !bad.ok ? bad.error : '', /names an action \(start, stop, restart\)/);
    const elsewhere = await controlDaemon('stop', `${world.workspace}-other`, 'everything', world.paths);
    assert.deepEqual(elsewhere, { ok: true, instances: [] });
    assert.equal((await world.status()).backends[0].state, 'running');
  });

  it('gives the editor an in-process session that starts the daemon, and is labelled by its client name', async () => {
    world.writeLayer({ memory: packageServer(MEMORY_BIN) });
    const transport = new GatewaySessionTransport({
      server: 'memory',
      workspace: world.workspace,
      paths: world.paths,
      daemonCommand: [process.execPath, CLI, 'mcp', 'daemon'],
      env: world.env,
    });
    const editor = new Client({ name: 'Visual Studio Code', version: '1.139.1' }, { capabilities: {} });
    await editor.connect(transport);
    const tools = await editor.listTools();
    assert.ok(tools.tools.some((tool) => tool.name === 'create_entities'));
    const status = await world.status();
    assert.equal(status.sessions[0].client, 'Visual Studio Code 1.139.1');
    assert.equal(status.pid, world.daemonPid(), 'the daemon this session started');
    const feed = subscribe();
    await feed.until((fleet) => fleet.sessions.length === 1, 'the editor session');
    await editor.close();
    await feed.until((fleet) => fleet.sessions.length === 0, 'the editor session to end');
  });

  it('never puts a resolved secret in a pushed status or a control answer, even in a crash reason', async () => {
    const canary = `canary-${newTag()}`;
    world.env.CLAUDE_ENV_SECRET_FIXTURE_TOKEN = canary;
    world.writeLayer({
      everything: { ...EVERYTHING, env: { SECRET_CANARY: '${secret:fixture-token}' } },
      'keyed-broken': {
        command: process.execPath,
        args: [FIXTURE_SERVER, 'exit-at-start', '${secret:fixture-token}'],
        supervision: { maxRestarts: 0 },
      },
    });
    const client = await world.connect('everything');
    const feed = subscribe();
    await feed.until((status) => status.sessions.length === 1, 'the session');
    // A session kept open on the failing server (the SDK client would close on the failed initialize).
    const broken = new GatewaySessionTransport({
      server: 'keyed-broken',
      workspace: world.workspace,
      paths: world.paths,
      daemonCommand: [process.execPath, CLI, 'mcp', 'daemon'],
      env: world.env,
    });
    const refusal = new Promise<string>((resolve) => {
      broken.onmessage = (message) => resolve(JSON.stringify(message));
    });
    await broken.start();
    const initialize = { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } };
    await broken.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: initialize });
    assert.match(await refusal, /keyed-broken is failed/);
    await feed.until(
      (status) => status.backends.some((backend) => backend.server === 'keyed-broken' && backend.state === 'failed'),
      'the failed instance to be pushed',
    );
    const answers = [
      await controlDaemon('restart', world.workspace, 'everything', world.paths),
      await controlDaemon('start', world.workspace, 'keyed-broken', world.paths),
      await controlDaemon('stop', world.workspace, 'keyed-broken', world.paths),
    ];
    await client.callTool({ name: 'echo', arguments: { message: 'x' } });
    await feed.until((status) => status.backends.some((b) => b.recentCalls.length > 0), 'the call');
    const everything = feed.latest()!.backends.find((backend) => backend.server === 'everything')!;
    assert.ok(everything.pid, 'the secret-holding instance runs');
    for (const [where, text] of [
      ['pushed status', feed.lines.join('\n')],
      ['control answers', JSON.stringify(answers)],
      ['refusal', await refusal],
    ]) {
      assert.ok(!text.includes(canary), `the secret appeared in the ${where}`);
    }
    await broken.close();
  });

  it('ends the subscription when the daemon stops', async () => {
    world.writeLayer({ everything: EVERYTHING });
    const client = await world.connect('everything');
    const feed = subscribe();
    await feed.until((status) => status.sessions.length === 1, 'the session');
    await client.close();
    await controlDaemon('stop', world.workspace, 'everything', world.paths);
    await queryDaemon('stop', world.paths);
    assert.equal(await feed.end(), true);
  });
});
