/**
 * Gateway benchmark: `node --import tsx bench/gateway.ts [--runs N] [--calls N] [--steady S]` (after `npm run build`:
 * it runs the shim and daemon bundles as a client would).
 *
 * 1. Per-call overhead: N `tools/call` of server-everything's echo through shim + daemon, and against the same
 *    server spawned directly over stdio; per run the median call of each way, runs interleaved.
 * 2. New session to tools listed: a session of a shared, warm instance through the shim, against spawning the
 *    server directly (connect, initialize, tools/list).
 * 3. Shim start: wall time of the whole shim process (connect to the running daemon, hello, exit at end of input)
 *    against `node -e 0`; the RSS of a shim holding a session.
 * 4. The daemon holding 20 sessions × 5 servers (one instance per session, the default): its CPU over an idle
 *    period and its RSS, and the RSS of its 100 instances, against 100 processes spawned directly.
 * 5. Crash to tools available again: kill -9 of the instance, until the client got list_changed and listed tools.
 * Writes bench/results/gateway.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { newTag } from '../test/helpers/mcp';
import { EVERYTHING, GatewayWorld, MEMORY_BIN, SHIM, THINKING_BIN, packageServer } from '../test/mcp/gatewayHelpers';
import { GatewaySocketTransport } from '../test/mcp/socketTransport';
import { echoMedian, median, numberArgument, report, runMain } from './stats';

const ROOT = join(__dirname, '..');
const FIXTURE = join(ROOT, 'test/fixtures/mcp/fixture-server.cjs');

const RUNS = numberArgument('runs', 5);
const CALLS = numberArgument('calls', 1_000);
const STEADY_S = numberArgument('steady', 10);

/** Resident set size of a process, in MiB. */
function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
  return line ? Number(line[1]) / 1024 : NaN;
}

/** User + system CPU seconds of a process so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (CLK_TCK 100)
}

/** server-everything spawned by the SDK client itself, with the same environment the daemon gives it. */
async function directClient(env: Record<string, string>, args = EVERYTHING.args): Promise<Client> {
  const transport = new StdioClientTransport({ command: process.execPath, args, env, stderr: 'pipe' });
  const client = new Client({ name: 'bench-direct', version: '0' }, { capabilities: {} });
  await client.connect(transport);
  return client;
}

async function perCallOverhead(world: GatewayWorld) {
  world.writeLayer({ everything: EVERYTHING });
  const direct = await directClient(world.env);
  const gateway = await world.connect('everything');
  await echoMedian(direct, 50); // warm both: JIT, file cache
  await echoMedian(gateway, 50);
  const samples = { direct: [] as number[], gateway: [] as number[] };
  for (let run = 0; run < RUNS; run++) {
    const order: ('direct' | 'gateway')[] = run % 2 ? ['gateway', 'direct'] : ['direct', 'gateway'];
    for (const way of order) samples[way].push(await echoMedian(way === 'direct' ? direct : gateway, CALLS));
  }
  await direct.close();
  await gateway.close();
  const directMs = median(samples.direct);
  const gatewayMs = median(samples.gateway);
  return {
    calls: CALLS,
    runMediansMs: samples,
    directMs,
    gatewayMs,
    ratio: gatewayMs / directMs,
    addedMicroseconds: (gatewayMs - directMs) * 1000,
  };
}

async function newSession(world: GatewayWorld) {
  world.writeLayer({ everything: { ...EVERYTHING, supervision: { share: 'workspace' } } });
  const warm = await world.connect('everything'); // keeps the shared instance warm
  const samples = { direct: [] as number[], shared: [] as number[] };
  const ways = {
    direct: async () => {
      const started = performance.now();
      const client = await directClient(world.env);
      await client.listTools();
      const elapsed = performance.now() - started;
      await client.close();
      return elapsed;
    },
    shared: async () => {
      const started = performance.now();
      const client = await world.connect('everything');
      await client.listTools();
      const elapsed = performance.now() - started;
      await client.close();
      return elapsed;
    },
  };
  for (let run = 0; run < RUNS * 2; run++) {
    const order: ('direct' | 'shared')[] = run % 2 ? ['shared', 'direct'] : ['direct', 'shared'];
    for (const way of order) samples[way].push(await ways[way]());
  }
  await warm.close();
  const directMs = median(samples.direct);
  const sharedMs = median(samples.shared);
  return { samplesMs: samples, directMs, sharedMs, ratio: sharedMs / directMs };
}

async function shimStart(world: GatewayWorld) {
  world.writeLayer({ everything: { ...EVERYTHING, supervision: { share: 'workspace' } } });
  const holder = await world.connect('everything'); // the daemon runs; the shim only connects
  const time = (args: string[]) => {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { env: world.env, input: '' });
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${String(result.stderr)}`);
    return performance.now() - started;
  };
  const samples = { shim: [] as number[], node: [] as number[] };
  const shimArgs = [SHIM, 'everything', '--cwd', world.workspace];
  time(shimArgs);
  for (let run = 0; run < RUNS * 4; run++) {
    if (run % 2) samples.node.push(time(['-e', '0']));
    samples.shim.push(time(shimArgs));
    if (!(run % 2)) samples.node.push(time(['-e', '0']));
  }
  // RSS of a shim holding a session, against an idle Node.
  const transport = world.transport('everything');
  const client = world.client('everything');
  await client.connect(transport);
  await client.listTools();
  const shimRss = rssMiB(transport.pid!);
  const idle = spawn(process.execPath, ['-e', "process.stdout.write('up\\n'); setInterval(() => {}, 1e6)"], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await once(idle.stdout!, 'data');
  const nodeRss = rssMiB(idle.pid!);
  idle.kill('SIGKILL');
  await once(idle, 'exit');
  await client.close();
  await holder.close();
  const shimMs = median(samples.shim);
  const nodeMs = median(samples.node);
  return { samplesMs: samples, shimMs, nodeMs, ratio: shimMs / nodeMs, shimRssMiB: shimRss, idleNodeRssMiB: nodeRss };
}

type ServerSpec = { command: string; args: string[]; env?: Record<string, string> };

async function heldFleet(world: GatewayWorld) {
  const servers: Record<string, ServerSpec> = {
    everything: EVERYTHING,
    memory: packageServer(MEMORY_BIN, { env: { MEMORY_FILE_PATH: join(world.root, 'memory.jsonl') } }) as ServerSpec,
    thinking: packageServer(THINKING_BIN) as ServerSpec,
    filesystem: {
      command: process.execPath,
      args: [join(ROOT, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js'), world.workspace],
    },
    fixture: { command: process.execPath, args: [FIXTURE, 'ok'] },
  };
  world.writeLayer(servers);
  const first = await world.connect('fixture'); // starts the daemon
  const daemonPid = world.daemonPid()!;
  const sessions: Client[] = [];
  for (let round = 0; round < 20; round++) {
    const opened = await Promise.all(
      Object.keys(servers).map(async (name) => {
        const client = new Client({ name: `bench-${round}`, version: '0' }, { capabilities: {} });
        await client.connect(new GatewaySocketTransport(world.paths, name, world.workspace));
        await client.listTools();
        return client;
      }),
    );
    sessions.push(...opened);
  }
  await first.close();
  const status = await world.status();
  const instancePids = status.backends.map((backend) => backend.pid!).filter(Boolean);
  const cpuBefore = cpuSeconds(daemonPid);
  const wallBefore = performance.now();
  await new Promise((resolve) => setTimeout(resolve, STEADY_S * 1000));
  const cpu = cpuSeconds(daemonPid) - cpuBefore;
  const wall = (performance.now() - wallBefore) / 1000;
  const daemonRss = rssMiB(daemonPid);
  const instancesRss = instancePids.reduce((sum, pid) => sum + rssMiB(pid), 0);
  await Promise.all(sessions.map((client) => client.close()));

  // The same 100 processes, each spawned directly by its own client.
  const direct: Client[] = [];
  const directPids: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (const server of Object.values(servers)) {
      const transport = new StdioClientTransport({
        command: server.command,
        args: server.args,
        env: { ...world.env, ...server.env },
        stderr: 'pipe',
      });
      const client = new Client({ name: 'bench-direct', version: '0' }, { capabilities: {} });
      await client.connect(transport);
      direct.push(client);
      directPids.push(transport.pid!);
    }
  }
  const directRss = directPids.reduce((sum, pid) => sum + rssMiB(pid), 0);
  await Promise.all(direct.map((client) => client.close()));
  return {
    sessions: sessions.length,
    instances: instancePids.length,
    steadySeconds: STEADY_S,
    daemonCpuPercentOfOneCore: (cpu / wall) * 100,
    daemonRssMiB: daemonRss,
    instancesRssMiB: instancesRss,
    daemonPlusInstancesRssMiB: daemonRss + instancesRss,
    directProcesses: directPids.length,
    directRssMiB: directRss,
  };
}

/** Each run a new session, so a new instance: every kill meets the first restart's backoff, not a grown one. */
async function crashToAvailable(world: GatewayWorld) {
  world.writeLayer({ everything: EVERYTHING });
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const client = await world.connect('everything');
    const pid = (await world.status()).backends[0].pid!;
    let changes = 0;
    let wake = () => {};
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changes++;
      wake();
    });
    const started = performance.now();
    process.kill(pid, 'SIGKILL');
    // Available again: a list_changed, then a listing that succeeds (one that reached the instance before its
    // crash was seen fails with "restarted"; the list_changed of the restarted instance follows).
    for (let seen = 0; ;) {
      if (changes === seen) await new Promise<void>((resolve) => (wake = resolve));
      seen = changes;
      const listed = await client.listTools().then(
        () => true,
        () => false,
      );
      if (listed) break;
    }
    samples.push(performance.now() - started);
    await client.close();
  }
  return { samplesMs: samples, medianMs: median(samples), restartBackoffMs: '500 ± 20 %' };
}

/** Each part in a world of its own: its own daemon, so no part measures another's leftovers. */
async function inWorld<T>(part: (world: GatewayWorld) => Promise<T>): Promise<T> {
  const world = new GatewayWorld(newTag(), { idleTimeout: '10m' });
  try {
    return await part(world);
  } finally {
    const left = await world.dispose();
    if (left.length) console.error(`left ${left.length} processes behind (killed)`);
  }
}

async function main(): Promise<void> {
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    runs: RUNS,
    perCall: await inWorld(perCallOverhead),
    newSession: await inWorld(newSession),
    shimStart: await inWorld(shimStart),
    fleet: await inWorld(heldFleet),
    crash: await inWorld(crashToAvailable),
  };
  const f = (ms: number) => `${ms.toFixed(ms < 10 ? 3 : 1)} ms`;
  const mib = (value: number) => `${value.toFixed(1)} MiB`;
  const { perCall, newSession: session, shimStart: shim, fleet, crash } = results;
  const rows: [string, string][] = [
    [`tools/call echo, median of ${perCall.calls}: direct stdio`, f(perCall.directMs)],
    [`tools/call echo, median of ${perCall.calls}: shim + daemon`, f(perCall.gatewayMs)],
    ['per-call ratio gateway / direct (goal ≤ 1.1)', perCall.ratio.toFixed(3)],
    ['per-call added at the median (goal < 1000 µs)', `${perCall.addedMicroseconds.toFixed(0)} µs`],
    ['new session to tools listed: direct spawn', f(session.directMs)],
    ['new session to tools listed: shared warm instance', f(session.sharedMs)],
    ['new-session ratio shared / direct (goal ≤ 0.1)', session.ratio.toFixed(3)],
    ['shim start (whole process) / node -e 0', `${f(shim.shimMs)} / ${f(shim.nodeMs)} (${shim.ratio.toFixed(2)}×)`],
    ['shim RSS holding a session / idle node', `${mib(shim.shimRssMiB)} / ${mib(shim.idleNodeRssMiB)}`],
    [
      `daemon, 20 sessions × 5 servers (${fleet.sessions}): CPU idle over ${fleet.steadySeconds} s`,
      `${fleet.daemonCpuPercentOfOneCore.toFixed(2)} % of one core`,
    ],
    ['daemon RSS / its instances RSS', `${mib(fleet.daemonRssMiB)} / ${mib(fleet.instancesRssMiB)}`],
    [
      `daemon + ${fleet.instances} instances / ${fleet.directProcesses} direct processes`,
      `${mib(fleet.daemonPlusInstancesRssMiB)} / ${mib(fleet.directRssMiB)}`,
    ],
    [
      `the same with a shim per session (${fleet.sessions} × shim RSS)`,
      mib(fleet.daemonPlusInstancesRssMiB + fleet.sessions * shim.shimRssMiB),
    ],
    ['kill -9 to tools listed again (median)', f(crash.medianMs)],
  ];
  report('gateway', `gateway benchmark (${RUNS} runs, node ${process.version})`, rows, results);
}

runMain(main);
