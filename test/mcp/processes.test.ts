import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Supervisor, isAlive, type LogLine } from '@claude-env/mcp';
import { fixture, newTag, taggedProcesses, waitForState, waitUntilGone } from '../helpers/mcp';
import { REPO_ROOT } from '../helpers/paths';

/** Reads the pid file the `grandchild` fixture writes once its children are spawned. */
function readPids(file: string): { server: number; child: number; escaped: number } {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function waitForLog(supervisor: Supervisor, name: string, pattern: RegExp, timeoutMs = 15_000): Promise<LogLine> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no log line matching ${pattern} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onLog = (server: string, line: LogLine) => {
      if (server === name && pattern.test(line.text)) {
        clearTimeout(timer);
        supervisor.off('log', onLog);
        resolve(line);
      }
    };
    supervisor.on('log', onLog);
  });
}

describe('MCP supervisor: processes, output and logs', function () {
  this.timeout(30_000);
  const tag = newTag();
  let supervisor: Supervisor;
  let scratch: string;

  beforeEach(() => {
    supervisor = new Supervisor({ backoffBaseMs: 100, stopGraceMs: 300, logBytes: 256 * 1024 });
    scratch = mkdtempSync(join(tmpdir(), 'claude-env-mcp-'));
  });

  afterEach(async () => {
    await supervisor.dispose();
    rmSync(scratch, { recursive: true, force: true });
    assert.deepEqual(taggedProcesses(tag), [], 'no process of the test may outlive it');
  });

  it('ignores garbage on stdout, logging it, and still completes the handshake', async () => {
    await supervisor.add(fixture('noisy', 'garbage-stdout', tag));
    const status = await supervisor.start('noisy');
    assert.equal(status.state, 'running');
    assert.equal(status.catalog.tools.length, 2);
    const noise = supervisor
      .get('noisy')!
      .logs()
      .filter((line) => line.source === 'stdout');
    assert.ok(noise.some((line) => line.text === 'not a protocol message: this is not json'));
    assert.ok(noise.some((line) => line.text.includes('"json": "but not JSON-RPC"')));
  });

  it('keeps a server that floods 100 MB of stderr within the log bound, and it keeps answering pings', async () => {
    await supervisor.add(fixture('flood', 'flood-stderr', tag));
    let received = 0;
    supervisor.on('log', (name, line) => name === 'flood' && line.source === 'stderr' && received++);
    const done = waitForLog(supervisor, 'flood', /^flood done$/, 25_000);
    assert.equal((await supervisor.start('flood')).state, 'running');
    await done;
    assert.ok(received >= 100 * 1024, `all ${received} lines of 1 KiB went through`);
    const server = supervisor.get('flood')!;
    assert.ok(server.logBytes <= 256 * 1024, `log holds ${server.logBytes} bytes`);
    assert.ok(server.logs().length > 100, 'recent lines are kept');
    assert.ok((await server.ping()) < 1_000);
    assert.ok(process.memoryUsage().rss < 600 * 1024 * 1024, 'the flood was not buffered');
  });

  it('kills a server that ignores SIGTERM with SIGKILL after the grace period', async () => {
    await supervisor.add(fixture('stubborn', 'ignore-sigterm', tag));
    const { pid } = await supervisor.start('stubborn');
    const started = Date.now();
    await supervisor.stop('stubborn');
    const took = Date.now() - started;
    assert.equal(isAlive(pid!), false);
    assert.ok(took >= 500, `stdin close and SIGTERM were each given their grace (${took} ms)`);
    assert.ok(took < 3_000, `then SIGKILL ended it (${took} ms)`);
    const logs = supervisor.get('stubborn')!.logs();
    assert.ok(logs.some((line) => line.text === 'ignoring SIGTERM'));
    assert.ok(logs.some((line) => line.text.includes(`1 needed SIGKILL (${pid})`)));
  });

  it('stops the whole tree: a child in the process group and a grandchild that escaped into its own session', async () => {
    const pidFile = join(scratch, 'pids.json');
    await supervisor.add(fixture('forker', 'grandchild', tag, { env: { PID_FILE: pidFile } }));
    await supervisor.start('forker');
    const pids = readPids(pidFile);
    assert.ok(isAlive(pids.child) && isAlive(pids.escaped));
    await supervisor.stop('forker');
    for (const pid of Object.values(pids)) assert.equal(isAlive(pid), false, `pid ${pid} is gone`);
  });

  it('reaps the children a crashed server left behind before deciding on a restart', async () => {
    const pidFile = join(scratch, 'pids.json');
    await supervisor.add(
      fixture('crasher', 'grandchild', tag, {
        env: { PID_FILE: pidFile, CRASH_AFTER_MS: '150' },
        supervision: { restart: 'never' },
      }),
    );
    await supervisor.start('crasher');
    const pids = readPids(pidFile);
    await waitForState(supervisor, 'crasher', 'crashed');
    for (const pid of Object.values(pids)) assert.equal(isAlive(pid), false, `pid ${pid} is gone`);
    assert.ok(
      supervisor
        .get('crasher')!
        .logs()
        .some((line) => /ended 2 process\(es\) with SIGTERM/.test(line.text)),
    );
  });

  it("redacts a secret value from stderr and from the server's logging notifications", async () => {
    const canary = 'canary-7f3a91c2e5d8';
    await supervisor.add(fixture('secretive', 'ok', tag, { env: { SECRET_CANARY: canary }, secretValues: [canary] }));
    // stderr and stdout are separate pipes: wait for both lines, in whichever order they arrive.
    const logged = Promise.all([
      waitForLog(supervisor, 'secretive', /^using key/),
      waitForLog(supervisor, 'secretive', /^loaded key/),
    ]);
    await supervisor.start('secretive');
    await logged;
    const logs = supervisor.get('secretive')!.logs();
    assert.ok(logs.some((line) => line.source === 'stderr' && line.text === 'loaded key *** from the environment'));
    assert.ok(logs.some((line) => line.source === 'server' && line.level === 'info' && line.text === 'using key ***'));
    assert.ok(!JSON.stringify(logs).includes(canary));
  });

  it('gives the server the full environment of the host plus its own variables, in its own cwd', async () => {
    const probe = join(scratch, 'probe.cjs');
    writeFileSync(
      probe,
      `require('fs').writeFileSync('env.json', JSON.stringify({ cwd: process.cwd(), env: process.env })); require(${JSON.stringify(
        join(REPO_ROOT, 'test/fixtures/mcp/fixture-server.cjs'),
      )});`,
    );
    process.env.CLAUDE_ENV_TEST_HOST_ONLY = 'from-the-host';
    try {
      await supervisor.add({
        ...fixture('probe', 'ok', tag, { env: { OWN: 'own-value' }, cwd: scratch }),
        args: [probe],
      });
      assert.equal((await supervisor.start('probe')).state, 'running');
    } finally {
      delete process.env.CLAUDE_ENV_TEST_HOST_ONLY;
    }
    const seen = JSON.parse(readFileSync(join(scratch, 'env.json'), 'utf8'));
    assert.equal(seen.cwd, scratch);
    assert.equal(seen.env.CLAUDE_ENV_TEST_HOST_ONLY, 'from-the-host');
    assert.equal(seen.env.OWN, 'own-value');
  });

  it('takes every server process along when the host process exits', async () => {
    const pidFile = join(scratch, 'pids.json');
    const host = join(scratch, 'host.ts');
    writeFileSync(
      host,
      `import { Supervisor } from ${JSON.stringify(join(REPO_ROOT, 'mcp/src'))};
import { fixture } from ${JSON.stringify(join(REPO_ROOT, 'test/helpers/mcp'))};
const supervisor = new Supervisor();
void supervisor.add(fixture('forker', 'grandchild', ${JSON.stringify(tag)}, { env: { PID_FILE: ${JSON.stringify(pidFile)} } }))
  .then(() => supervisor.start('forker'))
  .then((status) => { console.log(status.state); process.exit(0); });
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', host], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 0);
    assert.equal(output.trim(), 'running');
    const pids = Object.values(readPids(pidFile));
    assert.deepEqual(
      await waitUntilGone(pids),
      [],
      'the exit hook killed the server, its child and the escaped grandchild',
    );
  });
});
