import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { controlDaemon, healthStoreDir, queryDaemon, readServerHealth, type ServerHealthReport } from '@claude-env/mcp';
import { waitUntilGone } from '../helpers/mcp';
import { CLI, EVERYTHING, textOf, useGatewayWorld, type GatewayWorld } from './gatewayHelpers';

const CANARY = 'CANARY-health-4b1d9e';

/** Stops the world's daemon over its socket and waits for its process to end (it flushes the history on the way). */
async function stopDaemon(world: GatewayWorld): Promise<void> {
  const pid = world.daemonPid();
  await queryDaemon('stop', world.paths);
  assert.deepEqual(await waitUntilGone(pid ? [pid] : [], 15_000), [], 'the daemon stopped');
}

function healthCli(world: GatewayWorld, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, 'mcp', 'health', '--cwd', world.workspace, ...args], {
    env: world.env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function echo(client: Client, times: number, message = 'hello'): Promise<void> {
  for (let index = 0; index < times; index++)
    assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { message } })), `Echo: ${message}`);
}

describe('MCP gateway: server health history', function () {
  this.timeout(90_000);
  const world = useGatewayWorld();

  it('records calls, an error, a kill -9 restart and the downtime, and reads them back after the daemon stopped', async () => {
    world().writeLayer({ everything: { ...EVERYTHING, env: { HEALTH_TEST_TOKEN: CANARY } } });
    const client = await world().connect('everything');
    await echo(client, 20, CANARY);
    const failed = await client.callTool({ name: 'no-such-tool', arguments: { secret: CANARY } }).then(
      (result) => (result as { isError?: boolean }).isError === true,
      () => true,
    );
    assert.ok(failed, 'an unknown tool fails');
    const listed = new Promise<void>((resolve) =>
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()),
    );
    const [backend] = (await world().status()).backends;
    process.kill(backend.pid!, 'SIGKILL');
    await listed;
    await echo(client, 5);
    await client.close();
    await stopDaemon(world());

    const report = await readServerHealth({ window: 'day', env: world().env, workspace: world().workspace });
    assert.equal(report.store.dir, healthStoreDir(world().env));
    assert.equal(report.store.damagedRecords, 0);
    assert.equal(report.servers.length, 1);
    const [server] = report.servers;
    assert.equal(server.server, 'everything');
    assert.equal(server.workspace, world().workspace);
    assert.equal(server.calls, 26);
    assert.equal(server.errors, 1);
    assert.equal(server.restarts, 1);
    assert.ok(server.uptime! > 0 && server.uptime! < 1, `uptime ${server.uptime}`);
    assert.ok(server.observedSeconds > 0);
    assert.ok(server.p50Ms! > 0 && server.p95Ms! >= server.p50Ms!, `p50 ${server.p50Ms}, p95 ${server.p95Ms}`);
    assert.equal(server.lastState?.state, 'stopped');
    assert.equal(server.buckets.length, 24);
    // All of it within the last minute or two: the last bucket, or the last two when an hour began meanwhile.
    const recent = server.buckets.slice(-2).reduce((sum, bucket) => sum + bucket.calls, 0);
    assert.equal(recent, 26);

    const cli = healthCli(world(), '--json');
    assert.equal(cli.status, 0, cli.stderr);
    const printed = JSON.parse(cli.stdout) as ServerHealthReport;
    assert.deepEqual(printed.servers, JSON.parse(JSON.stringify(report.servers)));

    // Neither the tool arguments nor the server's environment reached the store.
    const dir = healthStoreDir(world().env);
    const stored = readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8'));
    assert.ok(stored.join('').length > 0);
    assert.ok(!stored.join('').includes(CANARY));
  });

  it('shows what a running daemon holds: `mcp health` asks it to write first', async () => {
    world().writeLayer({ everything: EVERYTHING });
    const client = await world().connect('everything');
    await echo(client, 3);
    const shown = healthCli(world());
    assert.equal(shown.status, 0, shown.stderr);
    assert.match(shown.stdout, /^MCP server health over the last 24 hours/);
    const row = shown.stdout.split('\n').find((line) => line.startsWith('everything'));
    assert.ok(row, shown.stdout);
    // SERVER UPTIME RESTARTS CALLS ERRORS: up since it started, no restart, three calls, no error.
    assert.match(row, /^everything\s+\d+(\.\d)? %\s+0\s+3\s+0\s+/);
    assert.match(healthCli(world(), '--all').stdout, new RegExp(`everything\\s+${world().workspace}`));
    assert.doesNotMatch(healthCli(world(), '--workspace', world().root).stdout, /^everything/m);
  });

  it('shows a server that runs without calls as up when asked, not only once its five minutes end', async () => {
    world().writeLayer({ everything: EVERYTHING });
    await world().connect('everything');
    const report = await readServerHealth({ window: 'day', env: world().env, workspace: world().workspace });
    const [server] = report.servers;
    assert.equal(server?.calls, 0, JSON.stringify(server));
    assert.ok(server.uptime !== undefined && server.uptime > 0, `uptime ${server.uptime}`);
    assert.equal(server.lastState?.state, 'running');
  });

  it('counts a restart asked for over the control socket (from the editor or the CLI) as a restart', async () => {
    world().writeLayer({ everything: EVERYTHING });
    const client = await world().connect('everything');
    await echo(client, 1);
    const listed = new Promise<void>((resolve) =>
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()),
    );
    const answer = await controlDaemon('restart', world().workspace, 'everything', world().paths);
    assert.ok(answer?.ok, JSON.stringify(answer));
    await listed;
    await echo(client, 1);
    const report = await readServerHealth({ window: 'day', env: world().env, workspace: world().workspace });
    assert.equal(report.servers[0]?.restarts, 1, JSON.stringify(report.servers[0]));
    assert.equal(report.servers[0]?.calls, 2);
  });

  it('says nothing was recorded, and refuses --workspace with --all', () => {
    const empty = healthCli(world());
    assert.equal(empty.status, 0, empty.stderr);
    assert.match(empty.stdout, /Nothing recorded/);
    const both = healthCli(world(), '--all', '--workspace', world().workspace);
    assert.equal(both.status, 2);
    assert.match(both.stderr, /--workspace and --all exclude each other/);
  });

  it('records nothing with CLAUDE_ENV_GATEWAY_HEALTH=off', async () => {
    world().env.CLAUDE_ENV_GATEWAY_HEALTH = 'off';
    world().writeLayer({ everything: EVERYTHING });
    const client = await world().connect('everything');
    await echo(client, 2);
    await client.close();
    await stopDaemon(world());
    assert.equal(existsSync(healthStoreDir(world().env)), false);
  });
});
