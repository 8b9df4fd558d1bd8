import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { queryDaemon } from '@claude-env/mcp';
import { waitUntilGone } from '../helpers/mcp';
import { CLI, EVERYTHING, MEMORY_BIN, SHIM, packageServer, textOf, useGatewayWorld } from './gatewayHelpers';
import { freePort, httpRequest } from './metricsHelpers';

/** The memory server keeps its graph in a file: one of the test's. */
function memoryFile(root: string): Record<string, unknown> {
  return { env: { MEMORY_FILE_PATH: join(root, 'memory.jsonl') } };
}

/** The one sample of `name{labels}` in a Prometheus text page, or undefined. */
function sample(page: string, name: string, labels: string): number | undefined {
  const line = page.split('\n').find((candidate) => candidate.startsWith(`${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/**
 * The real daemon (started by the shim through the CLI bundle) with metrics turned on by a workspace's layers:
 * SDK clients call tools through shims, and the endpoint the layers asked for counts them.
 */
describe('gateway metrics in the daemon: turned on by the layers, fed by real sessions', function () {
  this.timeout(120_000);
  const world = useGatewayWorld();

  it('counts calls, states and sessions of the servers on the loopback endpoint, behind its token', async () => {
    const port = await freePort();
    world().writeLayer(
      { everything: EVERYTHING, memory: packageServer(MEMORY_BIN, memoryFile(world().root)) },
      { gateway: { metrics: { prometheus: { port } } } },
    );
    const everything = await world().connect('everything');
    const memory = await world().connect('memory');
    for (const message of ['one', 'two', 'three'])
      assert.equal(textOf(await everything.callTool({ name: 'echo', arguments: { message } })), `Echo: ${message}`);
    await memory.callTool({ name: 'read_graph', arguments: {} });
    // An unknown tool: an error the server reports (as a rejection or an `isError` result), counted as one.
    const missing = await everything.callTool({ name: 'no-such-tool', arguments: {} }).catch((error: Error) => error);
    assert.ok(missing instanceof Error || missing.isError === true);

    const tokenFile = world().paths.metricsToken;
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600, 'the token file is readable by its owner only');
    const token = readFileSync(tokenFile, 'utf8').trim();
    const url = `http://127.0.0.1:${port}/metrics`;
    const page = await httpRequest(url, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(page.status, 200, page.body);
    const calls = 'claude_env_mcp_calls_total';
    assert.equal(sample(page.body, calls, 'server="everything",method="tools/call",target="echo",outcome="ok"'), 3);
    assert.equal(sample(page.body, calls, 'server="memory",method="tools/call",target="read_graph",outcome="ok"'), 1);
    assert.equal(
      sample(page.body, calls, 'server="everything",method="tools/call",target="no-such-tool",outcome="error"'),
      1,
    );
    assert.equal(
      sample(
        page.body,
        'claude_env_mcp_call_duration_seconds_count',
        'server="everything",method="tools/call",target="echo"',
      ),
      3,
    );
    assert.equal(sample(page.body, 'claude_env_mcp_server_state', 'server="everything",state="running"'), 1);
    assert.equal(sample(page.body, 'claude_env_mcp_sessions', 'server="memory"'), 1);
    assert.equal(sample(page.body, 'claude_env_mcp_restarts_total', 'server="everything"'), 0);
    assert.doesNotMatch(page.body, /one|two|three/, 'no argument value reaches a metric');

    assert.equal((await httpRequest(url)).status, 401, 'a scrape without the token is refused');
    const wrong = await httpRequest(url, { headers: { Authorization: 'Bearer not-the-token' } });
    assert.equal(wrong.status, 401);
    const log = readFileSync(world().paths.log, 'utf8');
    assert.match(log, new RegExp(`Prometheus on http://127\\.0\\.0\\.1:${port}/metrics \\(token in ${tokenFile}\\)`));
    assert.ok(!log.includes(token), 'the token is never logged');

    // The daemon stops: the endpoint closes and the token file goes with it. The clients leave first, or their
    // shims would start a fresh daemon (what a shim does when its daemon goes away) while the test ends.
    await Promise.all([everything.close(), memory.close()]);
    const pid = world().daemonPid()!;
    await queryDaemon('stop', world().paths);
    assert.deepEqual(await waitUntilGone([pid], 20_000), []);
    assert.ok(!existsSync(tokenFile), 'the token file is removed when the daemon stops');
    await assert.rejects(httpRequest(url), /ECONNREFUSED/);
  });

  it('keeps the first workspace that enabled metrics and logs that a second one asked for others', async () => {
    const [port, otherPort] = [await freePort(), await freePort()];
    world().writeLayer({ everything: EVERYTHING }, { gateway: { metrics: { prometheus: { port } } } });
    const other = join(world().root, 'other');
    mkdirSync(join(other, '.claude-env'), { recursive: true });
    writeFileSync(
      join(other, '.claude-env/project.yaml'),
      JSON.stringify({
        version: 1,
        mcpServers: { everything: EVERYTHING },
        gateway: { metrics: { prometheus: { port: otherPort } } },
      }),
    );
    const first = await world().connect('everything');
    const second = await world().connect('everything', { workspace: other });
    await first.callTool({ name: 'echo', arguments: { message: 'a' } });
    await second.callTool({ name: 'echo', arguments: { message: 'b' } });
    const token = readFileSync(world().paths.metricsToken, 'utf8').trim();
    const page = await httpRequest(`http://127.0.0.1:${port}/metrics`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(
      sample(
        page.body,
        'claude_env_mcp_calls_total',
        'server="everything",method="tools/call",target="echo",outcome="ok"',
      ),
      2,
      'one endpoint counts the calls of every workspace',
    );
    await assert.rejects(httpRequest(`http://127.0.0.1:${otherPort}/metrics`), /ECONNREFUSED/);
    assert.match(
      readFileSync(world().paths.log, 'utf8'),
      /the gateway\.metrics of .*other differ from those in effect/,
    );
  });

  it('reports what ran before a workspace turned metrics on, and counts a restart after kill -9', async () => {
    const port = await freePort();
    // First a workspace without metrics: its instance runs before any endpoint exists.
    const quiet = join(world().root, 'quiet');
    mkdirSync(join(quiet, '.claude-env'), { recursive: true });
    writeFileSync(
      join(quiet, '.claude-env/project.yaml'),
      JSON.stringify({ version: 1, mcpServers: { memory: packageServer(MEMORY_BIN, memoryFile(world().root)) } }),
    );
    await world().connect('memory', { workspace: quiet });
    world().writeLayer({ everything: EVERYTHING }, { gateway: { metrics: { prometheus: { port } } } });
    const everything = await world().connect('everything');
    const scrape = async () => {
      const token = readFileSync(world().paths.metricsToken, 'utf8').trim();
      return (await httpRequest(`http://127.0.0.1:${port}/metrics`, { headers: { Authorization: `Bearer ${token}` } }))
        .body;
    };
    const before = await scrape();
    assert.equal(sample(before, 'claude_env_mcp_server_state', 'server="memory",state="running"'), 1);
    assert.equal(sample(before, 'claude_env_mcp_sessions', 'server="memory"'), 1);

    const instance = async () => (await world().status()).backends.find((backend) => backend.server === 'everything');
    const pid = (await instance())!.pid!;
    // The first listing of the instance may tell the session too, late on a busy machine: only the listing of the
    // instance that replaced the killed one counts.
    const relisted = new Promise<void>((resolve) =>
      everything.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
        const now = await instance();
        if (now?.pid !== undefined && now.pid !== pid && now.state === 'running') resolve();
      }),
    );
    process.kill(pid, 'SIGKILL');
    await relisted;
    const after = await scrape();
    assert.equal(sample(after, 'claude_env_mcp_restarts_total', 'server="everything"'), 1);
    assert.equal(sample(after, 'claude_env_mcp_server_state', 'server="everything",state="running"'), 1);
  });

  it('keeps the OpenTelemetry code out of the CLI and shim bundles, in a file of its own', () => {
    for (const bundle of [CLI, SHIM]) assert.doesNotMatch(readFileSync(bundle, 'utf8'), /@opentelemetry|MeterProvider/);
    assert.match(readFileSync(join(CLI, '../gateway-metrics.js'), 'utf8'), /MeterProvider/);
    assert.match(readFileSync(CLI, 'utf8'), /import\("\.\/gateway-metrics\.js"\)/);
  });

  it('starts no endpoint and writes no token for layers without gateway.metrics', async () => {
    world().writeLayer({ everything: EVERYTHING });
    const client = await world().connect('everything');
    await client.callTool({ name: 'echo', arguments: { message: 'quiet' } });
    assert.ok(!existsSync(world().paths.metricsToken));
    assert.doesNotMatch(readFileSync(world().paths.log, 'utf8'), /metrics/);
  });
});
