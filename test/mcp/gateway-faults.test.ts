import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { GatewayErrorCode } from '@claude-env/mcp';
import { FIXTURE_SERVER, waitUntilGone } from '../helpers/mcp';
import { REPO_ROOT as ROOT } from '../helpers/paths';
import { EVERYTHING, useGatewayWorld, textOf } from './gatewayHelpers';

const FLOOD_SERVER = join(ROOT, 'test/fixtures/mcp/flood-stdout.cjs');

/** Resolves at the client's next notification of that schema's kind. */
function next(
  client: Client,
  schema:
    | typeof ToolListChangedNotificationSchema
    | typeof ResourceListChangedNotificationSchema
    | typeof PromptListChangedNotificationSchema,
): Promise<void> {
  return new Promise((resolve) =>
    client.setNotificationHandler(schema as typeof ToolListChangedNotificationSchema, () => resolve()),
  );
}

function fixtureServer(mode: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { command: process.execPath, args: [FIXTURE_SERVER, mode], ...extra };
}

/** Starts a call that runs for `seconds` on server-everything and resolves once the backend is working on it. */
async function longCall(client: Client, seconds: number): Promise<{ call: Promise<unknown> }> {
  let started!: () => void;
  const working = new Promise<void>((resolve) => (started = resolve));
  const call = client.callTool(
    { name: 'trigger-long-running-operation', arguments: { duration: seconds, steps: seconds * 10 } },
    undefined,
    { onprogress: () => started(), timeout: 120_000 },
  );
  call.catch(() => undefined);
  await working;
  return { call };
}

describe('MCP gateway: faults the client survives', function () {
  this.timeout(60_000);
  const world = useGatewayWorld();

  it(
    'keeps the session open when its backend is killed mid-call: the call fails naming the restart, ' +
      'the lists change, tools work again',
    async () => {
      world().writeLayer({ everything: EVERYTHING });
      const client = await world().connect('everything');
      const before = (await world().status()).backends[0];
      const { call } = await longCall(client, 20);
      const toolsChanged = next(client, ToolListChangedNotificationSchema);
      const resourcesChanged = next(client, ResourceListChangedNotificationSchema);
      const promptsChanged = next(client, PromptListChangedNotificationSchema);
      process.kill(before.pid!, 'SIGKILL');
      await assert.rejects(call, (error: Error & { code?: number }) => {
        assert.equal(error.code, GatewayErrorCode.backendRestarted);
        assert.match(error.message, /everything restarted while this request was in flight \(killed by SIGKILL/);
        return true;
      });
      await Promise.all([toolsChanged, resourcesChanged, promptsChanged]);
      const tools = await client.listTools();
      assert.ok(tools.tools.some((tool) => tool.name === 'echo'));
      assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { message: 'back' } })), 'Echo: back');
      const after = (await world().status()).backends[0];
      assert.equal(after.id, before.id, 'the same instance, restarted');
      assert.notEqual(after.pid, before.pid);
      assert.equal(after.restarts, 1);
      assert.ok(after.recentCalls.some((record) => record.outcome === 'restart'));
    },
  );

  it('restarts a backend that stops answering pings, and tells the session to list again', async () => {
    world().writeLayer({
      hung: fixtureServer('hang-pings', { supervision: { pingInterval: '200ms', pingTimeout: '200ms' } }),
    });
    const client = await world().connect('hung');
    await next(client, ToolListChangedNotificationSchema);
    const backend = (await world().status()).backends[0];
    assert.ok(backend.restarts >= 1);
    assert.ok((await client.listTools()).tools.length > 0);
  });

  it('answers with the failure, not a hang, when a crash-looping server ends failed', async () => {
    world().writeLayer({
      broken: fixtureServer('exit-at-start', { supervision: { maxRestarts: 2, crashLoopWindow: '1m' } }),
    });
    const client = world().client('broken');
    await assert.rejects(client.connect(world().transport('broken')), (error: Error & { code?: number }) => {
      assert.equal(error.code, GatewayErrorCode.backendUnavailable);
      assert.match(error.message, /broken is failed: crash loop: 2 restarts .*missing configuration/);
      return true;
    });
  });

  it('answers requests of an open session with the failure once its server crash-looped', async () => {
    world().writeLayer({
      flaky: fixtureServer('crash-after', {
        env: { CRASH_AFTER_MS: '300' },
        supervision: { maxRestarts: 1, crashLoopWindow: '1m' },
      }),
    });
    const client = await world().connect('flaky');
    const deadline = Date.now() + 20_000;
    let failure: (Error & { code?: number }) | undefined;
    // Each listing either succeeds (the server is between crashes) or fails; the last one must name the failure.
    while (!failure && Date.now() < deadline) {
      failure = await client.listTools().then(
        () => undefined,
        (error: Error & { code?: number }) => (error.code === GatewayErrorCode.backendUnavailable ? error : undefined),
      );
    }
    assert.ok(failure, 'the session learns that the server failed');
    assert.match(failure.message, /flaky is failed: crash loop: 1 restarts? .*simulated crash/);
  });

  it('reconnects to a fresh daemon when the daemon is killed with SIGKILL, and the client lists its tools again', async () => {
    world().writeLayer({ everything: EVERYTHING });
    const client = await world().connect('everything');
    const oldDaemon = world().daemonPid()!;
    const oldBackend = (await world().status()).backends[0].pid!;
    const { call } = await longCall(client, 20);
    const toolsChanged = next(client, ToolListChangedNotificationSchema);
    process.kill(oldDaemon, 'SIGKILL');
    await assert.rejects(call, (error: Error & { code?: number }) => {
      assert.equal(error.code, GatewayErrorCode.daemonLost);
      assert.match(error.message, /gateway daemon stopped while this request was in flight/);
      return true;
    });
    await toolsChanged;
    assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { message: 'again' } })), 'Echo: again');
    const newDaemon = world().daemonPid()!;
    assert.notEqual(newDaemon, oldDaemon);
    assert.deepEqual(await waitUntilGone([oldDaemon, oldBackend], 5_000), [], 'the old backend saw its input end');
    assert.equal((await world().status()).sessions.length, 1);
  });

  it('cancels the call and stops its own instance when a client disconnects mid-call', async () => {
    world().writeLayer({ everything: EVERYTHING });
    const client = await world().connect('everything');
    const backendPid = (await world().status()).backends[0].pid!;
    await longCall(client, 20);
    await client.close();
    assert.deepEqual(await waitUntilGone([backendPid], 5_000), []);
    const status = await world().status();
    assert.equal(status.sessions.length, 0);
    assert.equal(status.backends.length, 0);
  });

  it('keeps a shared instance serving the other session when one disconnects mid-call', async () => {
    world().writeLayer({ everything: { ...EVERYTHING, supervision: { share: 'workspace' } } });
    const [leaving, staying] = await Promise.all([world().connect('everything'), world().connect('everything')]);
    await longCall(leaving, 20);
    await leaving.close();
    assert.equal(
      textOf(await staying.callTool({ name: 'echo', arguments: { message: 'still here' } })),
      'Echo: still here',
    );
    const status = await world().status();
    assert.equal(status.backends.length, 1);
    assert.equal(status.backends[0].state, 'running');
    assert.equal(status.sessions.length, 1);
  });

  it('survives a backend flooding its stdout: bounded daemon memory, the call answers, other sessions unaffected', async () => {
    world().writeLayer({
      flood: { command: process.execPath, args: [FLOOD_SERVER] },
      everything: EVERYTHING,
    });
    const [flooding, bystander] = await Promise.all([world().connect('flood'), world().connect('everything')]);
    const flood = flooding.callTool({ name: 'flood', arguments: { megabytes: 100 } }, undefined, { timeout: 60_000 });
    const echo = await bystander.callTool({ name: 'echo', arguments: { message: 'unaffected' } });
    assert.equal(textOf(echo), 'Echo: unaffected');
    assert.equal(textOf(await flood), 'flooded 100 MB');
    assert.equal(textOf(await flooding.callTool({ name: 'echo', arguments: { text: 'after' } })), 'after');
    const rssKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${world().daemonPid()}/status`, 'utf8'))![1]);
    assert.ok(rssKb < 300 * 1024, `daemon peak RSS ${Math.round(rssKb / 1024)} MB for 100 MB of noise`);
  });
});
