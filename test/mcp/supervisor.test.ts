import { strict as assert } from 'node:assert';
import { Supervisor, UNTRUSTED_REASON } from '@claude-env/mcp';
import { collectUntil, fixture, newTag, taggedProcesses, waitForState } from '../helpers/mcp';

describe('MCP supervisor: lifecycle and restart policy', function () {
  this.timeout(20_000);
  const tag = newTag();
  let supervisor: Supervisor;

  beforeEach(() => {
    supervisor = new Supervisor({ backoffBaseMs: 100, backoffMaxMs: 5_000, stopGraceMs: 300 });
  });

  afterEach(async () => {
    await supervisor.dispose();
    assert.deepEqual(taggedProcesses(tag), [], 'no process of the test may outlive it');
  });

  it('starts a well-behaved server to running with its handshake time and tool list, and stops it', async () => {
    await supervisor.add(fixture('ok', 'ok', tag));
    const status = await supervisor.start('ok');
    assert.equal(status.state, 'running');
    assert.deepEqual(
      status.catalog.tools.map((tool) => tool.name),
      ['echo', 'add'],
    );
    assert.ok(status.metrics.handshakeMs! > 0);
    assert.equal(status.serverInfo?.name, 'fixture-ok');
    assert.ok(status.pid && taggedProcesses(tag).includes(status.pid));
    const latency = await supervisor.get('ok')!.ping();
    assert.ok(latency >= 0 && latency < 1_000);
    await supervisor.stop('ok');
    assert.equal(supervisor.get('ok')!.state, 'stopped');
    assert.deepEqual(taggedProcesses(tag), []);
  });

  it('restarts a server that exits at start with doubling delays until the crash-loop cap marks it failed', async () => {
    // Jitter pinned to zero here (the restart policy test covers it) so that the planned delays are exact.
    supervisor = new Supervisor({ backoffBaseMs: 100, stopGraceMs: 300, random: () => 0.5 });
    await supervisor.add(
      fixture('flaky', 'exit-at-start', tag, {
        supervision: { restart: 'on-failure', maxRestarts: 3, crashLoopWindowMs: 60_000 },
      }),
    );
    const events = collectUntil(supervisor, 'flaky', (event) => event.state === 'failed');
    void supervisor.start('flaky');
    const seen = await events;
    const failed = seen[seen.length - 1];
    assert.match(failed.reason, /crash loop: 3 restarts/);
    assert.match(failed.reason, /exited with code 3: error: missing configuration, giving up/);
    assert.equal(supervisor.get('flaky')!.status().metrics.restarts, 3);
    assert.equal(seen.filter((event) => event.state === 'crashed').length, 4, 'first run plus three restarts');
    const restarting = seen.filter((event) => event.state === 'restarting');
    const planned = restarting.map((event) => Number(/restart \d+ in (\d+) ms$/.exec(event.reason)![1]));
    assert.deepEqual(planned, [100, 200, 400]);
    // And the supervisor really waited: from each `restarting` to the next `starting`.
    restarting.forEach((event, index) => {
      const next = seen.slice(seen.indexOf(event) + 1).find((later) => later.state === 'starting')!;
      assert.ok(
        next.time - event.time >= planned[index] - 2,
        `waited ${next.time - event.time} ms of ${planned[index]}`,
      );
    });
  });

  it('restarts a server that crashes after running, under "always", and detects each crash from the exit', async () => {
    await supervisor.add(
      fixture('crashy', 'crash-after', tag, {
        env: { CRASH_AFTER_MS: '150' },
        supervision: { restart: 'always', maxRestarts: 2, crashLoopWindowMs: 60_000 },
      }),
    );
    const events = collectUntil(supervisor, 'crashy', (event) => event.state === 'failed');
    void supervisor.start('crashy');
    const seen = await events;
    assert.equal(seen.filter((event) => event.state === 'running').length, 3);
    const crashes = seen.filter((event) => event.state === 'crashed');
    assert.equal(crashes.length, 3);
    assert.match(crashes[0].reason, /exited with code 1: fatal: simulated crash/);
    assert.equal(supervisor.get('crashy')!.status().metrics.restarts, 2);
  });

  it('leaves a crashed server crashed when its restart policy is "never"', async () => {
    await supervisor.add(
      fixture('once', 'crash-after', tag, { env: { CRASH_AFTER_MS: '100' }, supervision: { restart: 'never' } }),
    );
    await supervisor.start('once');
    const crashed = await waitForState(supervisor, 'once', 'crashed');
    assert.match(crashed.reason, /exited with code 1/);
    assert.equal(supervisor.get('once')!.status().metrics.restarts, 0);
    assert.equal(supervisor.get('once')!.state, 'crashed');
  });

  it('marks a server that stops answering pings degraded, then hung, kills it and restarts it', async () => {
    await supervisor.add(
      fixture('hung', 'hang-pings', tag, {
        supervision: { pingIntervalMs: 100, pingTimeoutMs: 200, restart: 'on-failure', maxRestarts: 1 },
      }),
    );
    const events = collectUntil(supervisor, 'hung', (event) => event.state === 'failed', 10_000);
    await supervisor.start('hung');
    const seen = await events;
    const states = seen.map((event) => event.state);
    assert.ok(
      states.indexOf('degraded') !== -1 && states.indexOf('degraded') < states.indexOf('crashed'),
      states.join(' → '),
    );
    assert.match(
      seen.find((event) => event.state === 'crashed')!.reason,
      /not answering pings \(2 ping\(s\) in a row failed/,
    );
    assert.ok(states.includes('restarting'));
    assert.deepEqual(taggedProcesses(tag), [], 'the hung process was killed');
  });

  it('marks a server with slow pings degraded, and running again once its pings are fast', async () => {
    await supervisor.add(
      fixture('sluggish', 'slow-pings', tag, {
        env: { SLOW_PINGS: '2', PING_DELAY_MS: '600' },
        supervision: { pingIntervalMs: 50, pingTimeoutMs: 1_000 },
      }),
    );
    const events = collectUntil(
      supervisor,
      'sluggish',
      (event, seen) => event.state === 'running' && seen.some((e) => e.state === 'degraded'),
    );
    await supervisor.start('sluggish');
    const seen = await events;
    const degraded = seen.find((event) => event.state === 'degraded')!;
    assert.match(degraded.reason, /^slow ping: \d+ ms \(timeout 1 s\)$/);
    assert.equal(seen[seen.length - 1].reason, 'pings answered in time again');
    const metrics = supervisor.get('sluggish')!.status().metrics;
    assert.ok(metrics.lastPingMs! < 500 && metrics.medianPingMs! > 0);
    assert.equal(metrics.failedPings, 0);
  });

  it('fails at once, without retrying, when the command does not exist', async () => {
    await supervisor.add(fixture('typo', 'ok', tag, { supervision: { restart: 'always' } }));
    // Same definition, command replaced by one that is nowhere on PATH.
    const server = { ...supervisor.get('typo')!.server, command: 'claude-env-no-such-command', args: [] };
    await supervisor.add(server);
    const status = await supervisor.start('typo');
    assert.equal(status.state, 'failed');
    assert.equal(status.reason, 'command not found: claude-env-no-such-command');
    assert.equal(status.metrics.restarts, 0);
  });

  it('reports a server slower than its startup timeout and kills it', async () => {
    await supervisor.add(
      fixture('slow', 'slow-start', tag, {
        env: { START_DELAY_MS: '10000' },
        supervision: { startupTimeoutMs: 300, restart: 'never' },
      }),
    );
    const started = Date.now();
    const status = await supervisor.start('slow');
    assert.equal(status.state, 'crashed');
    assert.match(status.reason, /no MCP handshake within 300 ms/);
    assert.ok(Date.now() - started < 3_000, 'the timeout, not the server, decided');
    assert.deepEqual(taggedProcesses(tag), []);
  });

  it('stops cleanly, without a restart, a server that exits with code 0 under "on-failure"', async () => {
    await supervisor.add(
      fixture('done', 'crash-after', tag, {
        env: { CRASH_AFTER_MS: '100', EXIT_CODE: '0' },
        supervision: { restart: 'on-failure' },
      }),
    );
    await supervisor.start('done');
    const stopped = await waitForState(supervisor, 'done', 'stopped');
    assert.match(stopped.reason, /exited with code 0/);
    assert.equal(supervisor.get('done')!.status().metrics.restarts, 0);
  });

  it('refreshes the tool list when the server sends list_changed', async () => {
    await supervisor.add(fixture('growing', 'list-changed', tag));
    const listed = new Promise<number>((resolve) =>
      supervisor.on('lists', (event) => event.name === 'growing' && event.count === 3 && resolve(event.count)),
    );
    await supervisor.start('growing');
    assert.equal(await listed, 3);
    assert.deepEqual(
      supervisor
        .get('growing')!
        .status()
        .catalog.tools.map((tool) => tool.name),
      ['echo', 'add', 'late'],
    );
  });

  it('never starts a server blocked by policy, and blocks running servers when the workspace is not trusted', async () => {
    await supervisor.add(fixture('refused', 'ok', tag), { blockedReason: 'not in policy.servers.allowed (base.yaml)' });
    await supervisor.add(fixture('trusted', 'ok', tag));
    const refused = await supervisor.start('refused');
    assert.equal(refused.state, 'blocked');
    assert.equal(refused.reason, 'not in policy.servers.allowed (base.yaml)');
    assert.equal((await supervisor.start('trusted')).state, 'running');

    await supervisor.setWorkspaceTrusted(false);
    assert.equal(supervisor.get('trusted')!.state, 'blocked');
    assert.equal(supervisor.get('trusted')!.reason, UNTRUSTED_REASON);
    assert.deepEqual(taggedProcesses(tag), [], 'blocking stopped the running server');
    assert.equal((await supervisor.start('trusted')).state, 'blocked');

    await supervisor.setWorkspaceTrusted(true);
    assert.equal(supervisor.get('trusted')!.state, 'stopped');
    assert.equal(supervisor.get('refused')!.state, 'blocked', 'policy still refuses it');
  });
});
