import { strict as assert } from 'node:assert';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  connectOrStart,
  healthStoreDir,
  NO_OBSERVER,
  startDaemon,
  WIRE_VERSION,
  type RunningDaemon,
} from '@claude-env/mcp';
import { fixture, newTag, stdioServer, taggedProcesses, waitUntilGone } from '../helpers/mcp';
import { REPO_ROOT as ROOT } from '../helpers/paths';
import { CLI, GatewayWorld, MEMORY_BIN, THINKING_BIN, packageServer, textOf, useGatewayWorld } from './gatewayHelpers';
import { GatewaySocketTransport } from './socketTransport';

const FLOOD_SERVER = join(ROOT, 'test/fixtures/mcp/flood-stdout.cjs');

describe('MCP gateway at scale: 100 sessions opening at once', function () {
  this.timeout(300_000);
  const world = useGatewayWorld();

  it('lists tools in 100 concurrent sessions (10 through shims), one shared instance and one per memory session', async () => {
    world().writeLayer({
      thinking: packageServer(THINKING_BIN, { supervision: { share: 'workspace' } }),
      // The memory server keeps its graph in a file: one of the test's, not the package's.
      memory: packageServer(MEMORY_BIN, { env: { MEMORY_FILE_PATH: join(world().root, 'memory.jsonl') } }),
    });
    // The daemon as a shim starts it (the CLI bundle, detached); then every session opens at the same moment.
    (await connectOrStart(world().paths, [process.execPath, CLI, 'mcp', 'daemon'], world().env)).destroy();
    const plan = Array.from({ length: 100 }, (_, index) => ({
      server: index % 2 === 0 ? 'thinking' : 'memory',
      viaShim: index % 10 === 0,
    }));
    const clients = await Promise.all(
      plan.map(async ({ server, viaShim }, index) => {
        if (viaShim) return world().connect(server, { name: `shim-${index}` });
        const client = new Client({ name: `socket-${index}`, version: '1.0.0' }, { capabilities: {} });
        await client.connect(new GatewaySocketTransport(world().paths, server, world().workspace));
        return client;
      }),
    );
    const listed = await Promise.all(clients.map((client) => client.listTools()));
    plan.forEach(({ server }, index) => {
      const names = listed[index].tools.map((tool) => tool.name);
      assert.ok(names.includes(server === 'thinking' ? 'sequentialthinking' : 'read_graph'), `session ${index}`);
    });

    const status = await world().status();
    assert.equal(status.sessions.length, 100);
    const thinking = status.backends.filter((backend) => backend.server === 'thinking');
    const memory = status.backends.filter((backend) => backend.server === 'memory');
    assert.equal(thinking.length, 1, 'the 50 thinking sessions share one instance');
    assert.equal(thinking[0].sessions.length, 50);
    assert.equal(memory.length, 50, 'each memory session has its own instance');
    assert.equal(new Set(memory.map((backend) => backend.pid)).size, 50);

    // Every session is served by its instance: a call from each memory session.
    const memoryClients = clients.filter((_, index) => plan[index].server === 'memory');
    const graphs = await Promise.all(
      memoryClients.map((client) => client.callTool({ name: 'read_graph', arguments: {} })),
    );
    assert.ok(graphs.every((graph) => /"entities"/.test(textOf(graph))));

    await Promise.all(clients.map((client) => client.close()));
    // Every memory instance ends with its session; the shared one stays warm until the daemon stops (dispose).
    const after = await world().status();
    assert.equal(after.sessions.length, 0);
    assert.deepEqual(
      after.backends.map((backend) => backend.server),
      ['thinking'],
    );
  });
});

/** Resolves with the first log line that matches. */
function logWatch(): { log: (line: string) => void; next: (pattern: RegExp) => Promise<string> } {
  const lines: string[] = [];
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  return {
    log(line) {
      lines.push(line);
      for (const waiter of [...waiting])
        if (waiter.pattern.test(line)) {
          waiting.splice(waiting.indexOf(waiter), 1);
          waiter.resolve(line);
        }
    },
    next(pattern) {
      const seen = lines.find((line) => pattern.test(line));
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiting.push({ pattern, resolve }));
    },
  };
}

describe('MCP gateway: a client that stops reading while its backend floods', function () {
  this.timeout(120_000);
  let world: GatewayWorld;
  let daemon: RunningDaemon | undefined;

  beforeEach(() => {
    world = new GatewayWorld(newTag());
  });

  afterEach(async () => {
    await daemon?.stop();
    daemon = undefined;
    assert.deepEqual(await waitUntilGone(taggedProcesses(world.tag), 10_000), []);
    assert.deepEqual(await world.dispose(), []);
  });

  it('is disconnected once its unread bytes pass the cap; the daemon stays bounded and serves others', async () => {
    const watch = logWatch();
    const maxUnreadBytes = 1024 * 1024;
    const server = stdioServer('flood', process.execPath, [FLOOD_SERVER], world.tag);
    daemon = await startDaemon({
      paths: world.paths,
      health: { dir: healthStoreDir(world.env) },
      resolver: async () => ({ server }),
      maxUnreadBytes,
      log: watch.log,
    });
    assert.ok(daemon);

    // A raw client: initializes, then stops reading and asks for 32 MB of notifications.
    const socket = connect(world.paths.socket);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const hello = { gateway: WIRE_VERSION, kind: 'connect', server: 'flood', workspace: world.workspace, clientPid: 1 };
    socket.write(`${JSON.stringify(hello)}\n`);
    const initialize = {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'sleeper', version: '1' },
    };
    socket.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: initialize })}\n`);
    await new Promise<void>((resolve) => {
      let text = '';
      const onData = (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (!text.includes('\n')) return;
        socket.off('data', onData);
        resolve();
      };
      socket.on('data', onData);
    });
    socket.pause();
    socket.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    const call = { name: 'notify', arguments: { megabytes: 32 } };
    socket.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: call })}\n`);

    const line = await watch.next(/left \d+ KiB unread/);
    assert.match(
      line,
      /^session 1 \(flood\): the client left \d+ KiB unread, over the 1024 KiB limit; disconnected it/,
    );
    const unread = Number(/left (\d+) KiB/.exec(line)![1]) * 1024;
    assert.ok(unread < maxUnreadBytes + 256 * 1024, `held ${unread} bytes: one message past the cap at most`);

    // The session is gone with its own instance; what the client still gets is what the kernel had buffered.
    const status = await world.status();
    assert.equal(status.sessions.length, 0);
    assert.equal(status.backends.length, 0);
    let received = 0;
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    socket.on('error', () => undefined);
    socket.resume();
    await new Promise((resolve) => socket.once('close', resolve));
    assert.ok(received < 16 * 1024 * 1024, `the client got ${received} bytes of the 32 MB flood`);

    // The daemon serves the next client as before.
    const client = new Client({ name: 'reader', version: '1' }, { capabilities: {} });
    await client.connect(new GatewaySocketTransport(world.paths, 'flood', world.workspace));
    assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { text: 'still here' } })), 'still here');
    await client.close();
  });
});

describe('MCP gateway: a session still opening when the daemon stops', function () {
  this.timeout(60_000);
  const world = useGatewayWorld();

  it('starts no instance once the fleet has stopped, and refuses that session with the reason', async () => {
    const watch = logWatch();
    const server = stdioServer('memory', process.execPath, [MEMORY_BIN], world().tag);
    let layersAsked!: () => void;
    const asked = new Promise<void>((resolve) => (layersAsked = resolve));
    let answerLayers!: () => void;
    const answered = new Promise<void>((resolve) => (answerLayers = resolve));
    const daemon = await startDaemon({
      paths: world().paths,
      health: { dir: healthStoreDir(world().env) },
      resolver: async () => (layersAsked(), await answered, { server }),
      log: watch.log,
    });
    assert.ok(daemon);
    const socket = connect(world().paths.socket);
    socket.on('error', () => undefined);
    const hello = {
      gateway: WIRE_VERSION,
      kind: 'connect',
      server: 'memory',
      workspace: world().workspace,
      clientPid: 1,
    };
    socket.write(`${JSON.stringify(hello)}\n`);
    await asked;

    // The layers answer only after the fleet has stopped: that late session must not start a server.
    await daemon.stop('test');
    answerLayers();
    assert.match(
      await watch.next(/refused memory/),
      /the gateway daemon is stopping: the gateway daemon stopped \(test\)/,
    );
    assert.deepEqual(await waitUntilGone(taggedProcesses(world().tag), 2_000), []);
  });
});

describe('MCP gateway: an instance still stopping when the daemon stops', function () {
  this.timeout(60_000);
  const world = useGatewayWorld();

  it('waits for the instance of a session that just ended before it counts as stopped', async () => {
    // Ignores SIGTERM and the end of stdin: only the SIGKILL after two long graces ends it.
    const server = fixture('stubborn', 'ignore-sigterm', world().tag);
    let sessionEnded!: () => void;
    const ended = new Promise<void>((resolve) => (sessionEnded = resolve));
    const daemon = await startDaemon({
      paths: world().paths,
      health: false,
      resolver: async () => ({ server }),
      tuning: { stopGraceMs: 3_000 },
      observer: {
        ...NO_OBSERVER,
        sessionsChanged: (event) => event.sessions === 0 && event.instances === 0 && sessionEnded(),
      },
    });
    assert.ok(daemon);
    const client = new Client({ name: 'short-lived', version: '1' }, { capabilities: {} });
    await client.connect(new GatewaySocketTransport(world().paths, 'stubborn', world().workspace));
    assert.equal((await client.listTools()).tools.length, 2);
    await client.close();
    await ended; // its instance left the fleet and is stopping, for several seconds

    await daemon.stop('test');
    assert.deepEqual(await waitUntilGone(taggedProcesses(world().tag), 500), []);
  });
});
