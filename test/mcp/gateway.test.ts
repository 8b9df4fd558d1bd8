import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { GatewayErrorCode } from '@claude-env/mcp';
import {
  CLI,
  EVERYTHING,
  useGatewayWorld,
  MEMORY_BIN,
  SHIM,
  THINKING_BIN,
  packageServer,
  textOf,
} from './gatewayHelpers';

/**
 * The gateway with Claude Code-shaped clients: the MCP SDK's client over the shim's stdio, real servers from
 * node_modules behind the daemon, each test in its own runtime folder (so with its own daemon).
 */
describe('MCP gateway: sessions through the shim and the daemon', function () {
  this.timeout(60_000);
  const world = useGatewayWorld();

  it("answers initialize with the backend's own serverInfo and capabilities, and forwards tools/call", async () => {
    world().writeLayer({ everything: EVERYTHING });
    const client = await world().connect('everything');
    assert.equal(client.getServerVersion()?.name, 'mcp-servers/everything');
    assert.ok(client.getServerCapabilities()?.tools);
    assert.ok(client.getServerCapabilities()?.resources);
    const tools = await client.listTools();
    assert.ok(tools.tools.some((tool) => tool.name === 'echo'));
    const result = await client.callTool({ name: 'echo', arguments: { message: 'through the gateway' } });
    assert.equal(textOf(result), 'Echo: through the gateway');
    const status = await world().status();
    assert.equal(status.backends.length, 1);
    assert.equal(status.backends[0].state, 'running');
    assert.deepEqual(
      status.backends[0].recentCalls.map((call) => [call.method, call.target, call.outcome]),
      [['tools/call', 'echo', 'ok']],
    );
    assert.equal(status.sessions[0].client, 'test-everything 1.0.0');
  });

  it('routes progress notifications to the session whose request asked for them, under its own token', async () => {
    world().writeLayer({ everything: { ...EVERYTHING, supervision: { share: 'workspace' } } });
    const [first, second] = await Promise.all([world().connect('everything'), world().connect('everything')]);
    const progressOf = (client: typeof first, seen: number[]) =>
      client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } }, undefined, {
        onprogress: (progress) => seen.push(progress.progress),
      });
    const firstSeen: number[] = [];
    const secondSeen: number[] = [];
    await Promise.all([progressOf(first, firstSeen), progressOf(second, secondSeen)]);
    // Each session sees exactly the progress of its own call; a mix-up would double one list and empty the other.
    // This server sends its last step right around its answer, so a client (direct ones too) may or may not see
    // step 3 before the answer ends the request: [1, 2] or [1, 2, 3], each step once, in order.
    for (const seen of [firstSeen, secondSeen]) {
      assert.ok(seen.length >= 2, `progress seen: ${seen.join(', ')}`);
      assert.deepEqual(seen, [1, 2, 3].slice(0, seen.length));
    }
    const status = await world().status();
    assert.equal(status.backends.length, 1, 'both sessions used the one shared instance');
  });

  it('serves two and ten concurrent sessions, each with its own instance by default', async () => {
    world().writeLayer({ everything: EVERYTHING });
    const two = await Promise.all([world().connect('everything'), world().connect('everything')]);
    assert.equal((await world().status()).backends.length, 2);
    const eight = await Promise.all(Array.from({ length: 8 }, () => world().connect('everything')));
    const all = [...two, ...eight];
    const echoes = await Promise.all(
      all.map((client, index) => client.callTool({ name: 'echo', arguments: { message: `session ${index}` } })),
    );
    assert.deepEqual(
      echoes.map(textOf),
      all.map((_, index) => `Echo: session ${index}`),
    );
    const status = await world().status();
    assert.equal(status.sessions.length, 10);
    assert.equal(status.backends.length, 10);
    assert.equal(new Set(status.backends.map((backend) => backend.pid)).size, 10, 'ten processes');
    assert.ok(status.backends.every((backend) => backend.sessions.length === 1));
  });

  it("keeps each session's state apart by default, and shares one warm instance with share: workspace", async () => {
    const thought = (n: number, total: number) => ({
      name: 'sequentialthinking',
      arguments: { thought: `step ${n}`, thoughtNumber: n, totalThoughts: total, nextThoughtNeeded: n < total },
    });
    const historyLength = (result: unknown) => JSON.parse(textOf(result)).thoughtHistoryLength as number;

    world().writeLayer({ thinking: packageServer(THINKING_BIN) });
    const [alone, other] = await Promise.all([world().connect('thinking'), world().connect('thinking')]);
    await alone.callTool(thought(1, 3));
    await alone.callTool(thought(2, 3));
    assert.equal(historyLength(await other.callTool(thought(1, 3))), 1, 'the other session has its own history');
    await Promise.all([alone.close(), other.close()]);

    world().writeLayer({ thinking: packageServer(THINKING_BIN, { supervision: { share: 'workspace' } }) });
    const [a, b] = await Promise.all([world().connect('thinking'), world().connect('thinking')]);
    await a.callTool(thought(1, 3));
    await a.callTool(thought(2, 3));
    assert.equal(historyLength(await b.callTool(thought(3, 3))), 3, 'one instance holds both sessions’ thoughts');
    const shared = (await world().status()).backends.filter((backend) => backend.share === 'workspace');
    assert.equal(shared.length, 1);
    assert.equal(shared[0].sessions.length, 2);
  });

  it('keeps the shared instance warm when its sessions end, and a new session finds it running', async () => {
    world().writeLayer({ thinking: packageServer(THINKING_BIN, { supervision: { share: 'workspace' } }) });
    const first = await world().connect('thinking');
    const pid = (await world().status()).backends[0].pid;
    await first.close();
    const second = await world().connect('thinking');
    await second.listTools();
    const status = await world().status();
    assert.equal(status.backends.length, 1);
    assert.equal(status.backends[0].pid, pid, 'the same process served the second session');
  });

  it('gives the memory server one instance per session and stops it when the session ends', async () => {
    world().writeLayer({
      memory: packageServer(MEMORY_BIN, { env: { MEMORY_FILE_PATH: join(world().root, 'memory.jsonl') } }),
    });
    const [a, b] = await Promise.all([world().connect('memory'), world().connect('memory')]);
    await a.callTool({
      name: 'create_entities',
      arguments: { entities: [{ name: 'gateway', entityType: 'component', observations: ['forwards MCP'] }] },
    });
    const graph = JSON.parse(textOf(await b.callTool({ name: 'read_graph', arguments: {} })));
    assert.equal(graph.entities[0].name, 'gateway', 'the memory server keeps its graph in its file, shared by design');
    const before = await world().status();
    assert.equal(before.backends.length, 2);
    await a.close();
    const after = await world().status();
    assert.equal(after.backends.length, 1, "the closed session's instance was stopped");
    assert.equal(after.sessions.length, 1);
  });

  it('refuses a server the layers block with an error naming the rule', async () => {
    world().writeLayer({ everything: EVERYTHING }, {}, { policy: { servers: { denied: ['every*'] } } });
    const client = world().client('everything');
    await assert.rejects(client.connect(world().transport('everything')), (error: Error & { code?: number }) => {
      assert.equal(error.code, GatewayErrorCode.backendUnavailable);
      assert.match(error.message, /everything is blocked: Server 'everything' is denied by .*base\.yaml/);
      return true;
    });
  });

  it('refuses an unknown server with the names it knows', async () => {
    world().writeLayer({ everything: EVERYTHING });
    const client = world().client('nothing');
    await assert.rejects(
      client.connect(world().transport('nothing')),
      /no MCP server named `nothing` .*known: everything/,
    );
  });

  it('tells the sessions of a server that its tools changed', async () => {
    world().writeLayer({
      changing: {
        command: process.execPath,
        args: [join(__dirname, '../fixtures/mcp/fixture-server.cjs'), 'list-changed'],
      },
    });
    const client = await world().connect('changing');
    const changed = new Promise<void>((resolve) =>
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()),
    );
    await changed;
    const tools = await client.listTools();
    assert.ok(tools.tools.some((tool) => tool.name === 'late'));
  });

  it('is what apply writes for outputs.mcpVia: gateway, and the written entry is a working server for a client', async () => {
    world().writeLayer({ everything: EVERYTHING }, { outputs: { mcpVia: 'gateway' } });
    const apply = () =>
      spawnSync(process.execPath, [CLI, 'apply', '--cwd', world().workspace], { env: world().env, encoding: 'utf8' });
    assert.equal(apply().status, 0);
    const written = readFileSync(join(world().workspace, '.mcp.json'), 'utf8');
    const entry = JSON.parse(written).mcpServers.everything;
    assert.deepEqual(entry, {
      type: 'stdio',
      command: process.execPath,
      args: [SHIM, 'everything', '--cwd', world().workspace],
      env: {},
    });
    assert.match(apply().stdout, /unchanged \.mcp\.json/);
    assert.equal(readFileSync(join(world().workspace, '.mcp.json'), 'utf8'), written, 'byte for byte the same');

    const client = world().client('everything');
    await client.connect(new StdioClientTransport({ command: entry.command, args: entry.args, env: world().env }));
    assert.ok((await client.listTools()).tools.some((tool) => tool.name === 'echo'));
  });

  it('shows the fleet in `claude-env mcp status`: instances, state, sessions and the last calls', async () => {
    world().writeLayer({
      everything: EVERYTHING,
      thinking: packageServer(THINKING_BIN, { supervision: { share: 'workspace' } }),
    });
    const [everything] = await Promise.all([
      world().connect('everything'),
      world().connect('thinking'),
      world().connect('thinking'),
    ]);
    await everything.callTool({ name: 'echo', arguments: { message: 'counted-argument' } });
    await everything.readResource({ uri: 'demo://resource/static/document/architecture.md' });
    await everything.callTool({ name: 'no-such-tool', arguments: { secret: 'not-kept' } }).catch(() => undefined);
    const status = spawnSync(process.execPath, [CLI, 'mcp', 'status'], { env: world().env, encoding: 'utf8' });
    assert.equal(status.status, 0, status.stderr);
    assert.match(status.stdout, /^Gateway daemon pid \d+, up since .*, 3 session\(s\)/);
    assert.match(
      status.stdout,
      /^everything#\d+ +\S+ +session +running +\d+ +1 +0 +3 \(last no-such-tool [\d.]+ ms error\)/m,
    );
    assert.match(status.stdout, /^thinking#\d+ +\S+ +workspace +running +\d+ +2 +0 +0 /m);
    // The last calls, one line each: time, method, name, duration, outcome.
    assert.match(status.stdout, /^Last calls \(at most 5 per instance/m);
    const calls = status.stdout.split('\n').filter((line) => /^everything#\d+ +\d\d:\d\d:\d\d\.\d{3} /.test(line));
    assert.equal(calls.length, 3, status.stdout);
    assert.match(calls[0], / tools\/call +echo +[\d.]+ ms +ok$/);
    assert.match(calls[1], / resources\/read +demo:\/\/resource\/static\/document\/architecture\.md +[\d.]+ ms +ok$/);
    assert.match(calls[2], / tools\/call +no-such-tool +[\d.]+ ms +error$/);
    const jsonText = spawnSync(process.execPath, [CLI, 'mcp', 'status', '--json'], {
      env: world().env,
      encoding: 'utf8',
    }).stdout;
    const json = JSON.parse(jsonText);
    assert.equal(json.running, true);
    assert.equal(json.backends.length, 2);
    const backend = json.backends.find((entry: { server: string }) => entry.server === 'everything');
    assert.deepEqual(
      backend.recentCalls.map((call: { method: string; target: string; outcome: string; ms: number }) => [
        call.method,
        call.target,
        call.outcome,
        typeof call.ms,
      ]),
      [
        ['tools/call', 'echo', 'ok', 'number'],
        ['resources/read', 'demo://resource/static/document/architecture.md', 'ok', 'number'],
        ['tools/call', 'no-such-tool', 'error', 'number'],
      ],
    );
    for (const output of [status.stdout, jsonText]) assert.doesNotMatch(output, /counted-argument|not-kept/);
  });

  it('says so when no daemon runs, and starts none', () => {
    const status = spawnSync(process.execPath, [CLI, 'mcp', 'status'], { env: world().env, encoding: 'utf8' });
    assert.match(status.stdout, /^No gateway daemon is running/);
    assert.equal(world().daemonPid(), undefined);
  });
});
