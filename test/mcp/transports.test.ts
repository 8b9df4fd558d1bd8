import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_SUPERVISION, type ResolvedServer } from '../../engine/src/types';
import { Supervisor, isAlive } from '@claude-env/mcp';
import { TEST_TAG_VAR, newTag, taggedProcesses, waitForState } from '../helpers/mcp';
import { REPO_ROOT } from '../helpers/paths';

const EVERYTHING = join(REPO_ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const LOOPBACK_ONLY = join(REPO_ROOT, 'test/fixtures/mcp/loopback-only.cjs');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts server-everything in an HTTP mode on 127.0.0.1 and resolves once it says it listens. */
async function startHttpEverything(
  mode: 'streamableHttp' | 'sse',
  tag: string,
): Promise<{ process: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--require', LOOPBACK_ONLY, EVERYTHING, mode], {
    env: { ...process.env, PORT: String(port), [TEST_TAG_VAR]: tag },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      if (/listening on port|running on port/i.test(stderr)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server-everything ${mode} exited with ${code}: ${stderr}`)));
  });
  return { process: child, port };
}

function urlServer(name: string, type: 'http' | 'sse', url: string): ResolvedServer {
  return {
    name,
    type,
    url,
    args: [],
    env: {},
    cwd: REPO_ROOT,
    headers: { 'X-Claude-Env-Test': 'yes' },
    supervision: { ...DEFAULT_SUPERVISION, pingIntervalMs: 100, pingTimeoutMs: 300, restart: 'never' },
    secretValues: [],
  };
}

describe('MCP supervisor: streamable HTTP and SSE', function () {
  this.timeout(20_000);
  const tag = newTag();
  let supervisor: Supervisor;
  let server: ChildProcess | undefined;

  beforeEach(() => {
    supervisor = new Supervisor();
  });

  afterEach(async () => {
    await supervisor.dispose();
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGKILL');
      await exited;
    }
    server = undefined;
    assert.deepEqual(taggedProcesses(tag), []);
  });

  it('connects to a streamable HTTP server, lists its tools and pings it', async () => {
    const started = await startHttpEverything('streamableHttp', tag);
    server = started.process;
    await supervisor.add(urlServer('everything-http', 'http', `http://127.0.0.1:${started.port}/mcp`));
    const status = await supervisor.start('everything-http');
    assert.equal(status.state, 'running', status.reason);
    assert.ok(status.catalog.tools.some((tool) => tool.name === 'echo'));
    assert.equal(status.pid, undefined, 'the supervisor owns no process for a URL server');
    assert.ok((await supervisor.get('everything-http')!.ping()) < 1_000);
  });

  it('connects to an SSE server, lists its tools and pings it', async () => {
    const started = await startHttpEverything('sse', tag);
    server = started.process;
    await supervisor.add(urlServer('everything-sse', 'sse', `http://127.0.0.1:${started.port}/sse`));
    const status = await supervisor.start('everything-sse');
    assert.equal(status.state, 'running', status.reason);
    assert.ok(status.catalog.tools.some((tool) => tool.name === 'echo'));
    assert.ok((await supervisor.get('everything-sse')!.ping()) < 1_000);
  });

  it('notices that an HTTP server went away', async () => {
    const started = await startHttpEverything('streamableHttp', tag);
    server = started.process;
    await supervisor.add(urlServer('vanishing', 'http', `http://127.0.0.1:${started.port}/mcp`));
    assert.equal((await supervisor.start('vanishing')).state, 'running');
    const pid = server.pid!;
    server.kill('SIGKILL');
    const crashed = await waitForState(supervisor, 'vanishing', 'crashed');
    assert.match(crashed.reason, /not answering pings|connection closed/);
    assert.equal(isAlive(pid), false);
  });

  it('fails a URL server that nothing listens on, with the connection error as the reason', async () => {
    const port = await freePort();
    await supervisor.add(urlServer('nobody', 'http', `http://127.0.0.1:${port}/mcp`));
    const status = await supervisor.start('nobody');
    assert.equal(status.state, 'crashed');
    assert.match(status.reason, /fetch failed|ECONNREFUSED/);
  });
});
