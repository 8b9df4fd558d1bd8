/**
 * `claude-env mcp daemon` ends its process after a stop even when something in it still holds the event loop (a
 * library's timer, a pipe a server left open): a daemon nobody can reach any more must not stay behind.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, useGatewayWorld } from './gatewayHelpers';

describe('MCP gateway daemon: exits after a stop', function () {
  this.timeout(60_000);
  const world = useGatewayWorld();

  it('exits after a stop request although a stray timer still holds its event loop, and says what was open', async () => {
    world().writeLayer({});
    const stray = join(world().root, 'stray-timer.cjs');
    writeFileSync(stray, 'setInterval(() => {}, 60_000);\n');
    const daemon = spawn(process.execPath, ['--require', stray, CLI, 'mcp', 'daemon'], {
      cwd: world().workspace,
      env: world().env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    daemon.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = once(daemon, 'exit');
    const [ready] = (await once(daemon.stdout.setEncoding('utf8'), 'data')) as [string];
    assert.match(ready, /^ready: listening on /);

    const stop = spawnSync(process.execPath, [CLI, 'mcp', 'daemon', '--stop'], { env: world().env, encoding: 'utf8' });
    assert.equal(stop.status, 0, stop.stderr);
    assert.match(stop.stdout, /the gateway daemon is stopping/);
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0, stderr);
    assert.match(stderr, /gateway: stopping: stopped by request/);
    assert.match(stderr, /gateway: exiting: still open after stop: .*Timeout/);
  });
});
