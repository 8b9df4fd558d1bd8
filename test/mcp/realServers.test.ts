import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedServer } from '../../engine/src/types';
import { Supervisor } from '@claude-env/mcp';
import { newTag, npmServer, taggedProcesses } from '../helpers/mcp';

/**
 * The reference fleet and the official example servers, from the npm registry (pinned devDependencies), started
 * with this Node from node_modules: offline and without npx.
 */
describe('MCP supervisor: real servers from the npm registry', function () {
  this.timeout(30_000);
  const tag = newTag();
  let supervisor: Supervisor;
  let scratch: string;

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'claude-env-real-'));
  });

  beforeEach(() => {
    supervisor = new Supervisor({ stopGraceMs: 1_000 });
  });

  afterEach(async () => {
    await supervisor.dispose();
    assert.deepEqual(taggedProcesses(tag), [], 'no process of the test may outlive it');
  });

  after(() => rmSync(scratch, { recursive: true, force: true }));

  async function expectRunning(server: ResolvedServer, tools: string[]): Promise<void> {
    await supervisor.add(server);
    const status = await supervisor.start(server.name);
    assert.equal(status.state, 'running', status.reason);
    const names = status.catalog.tools.map((tool) => tool.name);
    for (const tool of tools) assert.ok(names.includes(tool), `${server.name} lists ${tool} (has ${names.join(', ')})`);
    assert.ok(status.metrics.handshakeMs! > 0);
    assert.ok((await supervisor.get(server.name)!.ping()) < 1_000);
    const pid = status.pid!;
    await supervisor.stop(server.name);
    assert.equal(supervisor.get(server.name)!.state, 'stopped');
    assert.ok(!taggedProcesses(tag).includes(pid));
  }

  it('supervises server-everything over stdio, with its tools, resources and prompts', async () => {
    await supervisor.add(
      npmServer('everything', '@modelcontextprotocol/server-everything/dist/index.js', ['stdio'], tag),
    );
    const status = await supervisor.start('everything');
    assert.equal(status.state, 'running', status.reason);
    assert.ok(status.catalog.tools.some((tool) => tool.name === 'echo'));
    assert.ok(status.catalog.resources.length > 0);
    assert.ok(status.catalog.prompts.length > 0);
    assert.equal(status.serverInfo?.name, 'mcp-servers/everything');
  });

  it('supervises server-memory with its data file in a temporary folder', () =>
    expectRunning(
      npmServer('memory', '@modelcontextprotocol/server-memory/dist/index.js', [], tag, {
        env: { MEMORY_FILE_PATH: join(scratch, 'memory.jsonl') },
      }),
      ['create_entities', 'read_graph'],
    ));

  it('supervises server-filesystem restricted to one folder', () =>
    expectRunning(npmServer('filesystem', '@modelcontextprotocol/server-filesystem/dist/index.js', [scratch], tag), [
      'read_text_file',
      'list_allowed_directories',
    ]));

  it('supervises Sequential Thinking', () =>
    expectRunning(
      npmServer('sequential-thinking', '@modelcontextprotocol/server-sequential-thinking/dist/index.js', [], tag),
      ['sequentialthinking'],
    ));

  it('supervises Context7', () =>
    expectRunning(npmServer('context7', '@upstash/context7-mcp/dist/index.js', [], tag), ['resolve-library-id']));

  it('supervises Playwright MCP and lists its tools without a browser', () =>
    expectRunning(npmServer('playwright', '@playwright/mcp/cli.js', ['--headless', '--isolated'], tag), [
      'browser_navigate',
      'browser_snapshot',
    ]));

  it("reports Magic without an API key as failed with the server's own explanation, promptly and without retrying", async () => {
    // Empty values shadow any key of the host, and the endpoint points at a closed loopback port: this test must
    // never reach the network.
    const noKey = { API_KEY: '', TWENTY_FIRST_API_KEY: '', API_KEY_21ST: '', MCP_URL_21ST: 'http://127.0.0.1:9/mcp' };
    await supervisor.add(
      npmServer('magic', '@21st-dev/magic/dist/index.js', [], tag, {
        env: noKey,
        supervision: { restart: 'on-failure', startupTimeoutMs: 10_000 },
      }),
    );
    const started = Date.now();
    const status = await supervisor.start('magic');
    assert.equal(status.state, 'failed');
    assert.match(
      status.reason,
      /^the server refused the handshake \(-32001\): Not authenticated - your API key is missing/,
    );
    assert.match(status.reason, /; stderr: No API key found/);
    assert.equal(status.metrics.restarts, 0, 'the same key cannot work on a second try');
    assert.ok(Date.now() - started < 5_000, 'no hang: it fails well before the startup timeout');
  });
});
