import { strict as assert } from 'node:assert';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { readServerHealth } from '@claude-env/mcp';
import { serversData } from '../../extension/src/dashboard/serversData';
import { FakeClock, StoreWorld } from '../mcp/health/healthHelpers';

const NOW = Date.parse('2026-03-20T12:30:00Z');

describe('the dashboard’s server history, as the page gets it', () => {
  let world: StoreWorld;
  afterEach(() => world.dispose());

  it('marks the servers of the project open through a symlink, and names workspaces and files, not paths', async () => {
    world = new StoreWorld();
    const real = join(world.root, 'projects', 'web');
    mkdirSync(real, { recursive: true });
    const linked = join(world.root, 'web-link');
    symlinkSync(real, linked);
    const clock = new FakeClock(NOW - 60_000);
    const recorder = world.recorder(clock);
    for (const [server, workspace] of [
      ['everything', real],
      ['memory', '/home/dev/other'],
    ]) {
      recorder.stateChanged({ server, workspace, instance: `${server}#1`, state: 'running' });
      recorder.callFinished({ server, workspace, method: 'tools/call', target: 't', outcome: 'ok', seconds: 0.002 });
    }
    clock.now = NOW;
    recorder.flush();
    const now = new Date(NOW);
    const day = await readServerHealth({ window: 'day', dir: world.dir, now });
    const week = await readServerHealth({ window: 'week', dir: world.dir, now });
    week.store.problems = [`${join(world.dir, '2026-03-18.jsonl')} is a symbolic link`, `${world.dir} is not a folder`];

    const data = serversData(day, week, { folder: linked, supervisor: 'gateway', env: {} });
    assert.deepEqual(
      data.day.servers.map((server) => [server.server, server.workspaceName, server.thisProject, server.calls]),
      [
        ['memory', 'other', false, 1],
        ['everything', 'web', true, 1],
      ],
    );
    assert.equal(data.projectName, 'web-link');
    assert.deepEqual(data.problems, ['2026-03-18.jsonl is a symbolic link', 'the history folder is not a folder']);
    assert.ok(!JSON.stringify(data).includes(world.root), 'no path of the machine reaches the page');
    assert.equal(data.recordingOff, false);
    assert.equal(
      serversData(day, week, {
        folder: undefined,
        supervisor: 'inProcess',
        env: {
          CLAUDE_ENV_GATEWAY_HEALTH: 'OFF',
        },
      }).recordingOff,
      true,
    );
  });
});
