/**
 * The MCP Servers view on the gateway: `node --import tsx bench/gateway-view.ts [--runs N]` (after `npm run build`).
 *
 * 1. Restart from the view to tools listed again, as the client sees it: a `control` restart through the daemon
 *    until the shim client receives `notifications/tools/list_changed`, against the same restart of
 *    server-everything by an in-process supervisor until its tools are listed. Interleaved run by run; medians.
 * 2. A change reaching the view: a new session on a warm shared instance, from the client's connect to its
 *    `initialize` answered, and to the subscription's push that shows it by its name (changes are gathered for
 *    50 ms).
 * Writes bench/results/gateway-view.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_SUPERVISION } from '../engine/src/types';
import { Supervisor, controlDaemon, subscribeDaemon, type FleetStatus } from '@claude-env/mcp';
import { newTag } from '../test/helpers/mcp';
import { EVERYTHING, GatewayWorld } from '../test/mcp/gatewayHelpers';

const ROOT = join(__dirname, '..');
const index = process.argv.indexOf('--runs');
const RUNS = index === -1 ? 15 : Number(process.argv[index + 1]);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main(): Promise<void> {
  const world = new GatewayWorld(newTag());
  world.writeLayer({ everything: EVERYTHING, shared: { ...EVERYTHING, supervision: { share: 'workspace' } } });
  const supervisor = new Supervisor({ clientName: 'bench' });
  try {
    const client = await world.connect('everything', { name: 'bench-client' });
    await supervisor.add({
      name: 'everything',
      type: 'stdio',
      command: EVERYTHING.command,
      args: EVERYTHING.args,
      env: {},
      cwd: ROOT,
      headers: {},
      supervision: { ...DEFAULT_SUPERVISION },
      secretValues: [],
    });
    await supervisor.start('everything');

    const throughDaemon: number[] = [];
    const inProcess: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      let started = performance.now();
      const relisted = new Promise<void>((resolve) =>
        client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()),
      );
      await controlDaemon('restart', world.workspace, 'everything', world.paths);
      await relisted;
      throughDaemon.push(performance.now() - started);

      started = performance.now();
      const listed = new Promise<void>((resolve) => {
        const onLists = (event: { kind: string }) => {
          if (event.kind !== 'tools') return;
          supervisor.off('lists', onLists);
          resolve();
        };
        supervisor.on('lists', onLists);
      });
      await supervisor.restart('everything');
      await listed;
      inProcess.push(performance.now() - started);
    }

    let latest: FleetStatus | undefined;
    let wake: (() => void) | undefined;
    const subscription = subscribeDaemon(
      (status) => {
        latest = status;
        wake?.();
      },
      () => undefined,
      world.paths,
    );
    const pushed: number[] = [];
    const initialized: number[] = [];
    await (await world.connect('shared', { name: 'warm-up' })).close();
    for (let run = 0; run < RUNS; run++) {
      const name = `session-${run}`;
      const started = performance.now();
      const session = await world.connect('shared', { name });
      initialized.push(performance.now() - started);
      await new Promise<void>((resolve) => {
        wake = () => {
          if (!latest?.sessions.some((candidate) => candidate.client === `${name} 1.0.0`)) return;
          wake = undefined;
          resolve();
        };
        wake();
      });
      pushed.push(performance.now() - started);
      await session.close();
    }
    subscription.close();

    const results = {
      runs: RUNS,
      restartToToolsListedMs: {
        throughDaemonFromView: median(throughDaemon),
        inProcessSupervisor: median(inProcess),
        ratio: median(throughDaemon.map((value, run) => value / inProcess[run])),
      },
      newSessionOnWarmSharedInstanceMs: { initializeAnswered: median(initialized), shownByTheViewPush: median(pushed) },
    };
    const { restartToToolsListedMs: restart, newSessionOnWarmSharedInstanceMs: push } = results;
    console.log(
      `restart to tools listed again: through the daemon ${restart.throughDaemonFromView.toFixed(0)} ms, ` +
        `in-process ${restart.inProcessSupervisor.toFixed(0)} ms (median of pairs ${restart.ratio.toFixed(2)}x)`,
    );
    console.log(
      `new session on a warm shared instance: initialize answered ${push.initializeAnswered.toFixed(0)} ms, ` +
        `shown by the view's push ${push.shownByTheViewPush.toFixed(0)} ms after connect`,
    );
    const folder = join(ROOT, 'bench/results');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'gateway-view.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`wrote ${join('bench/results', 'gateway-view.json')}`);
  } finally {
    await supervisor.dispose();
    await world.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
