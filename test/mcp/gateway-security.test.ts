import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, lstatSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayErrorCode } from '@claude-env/mcp';
import { FIXTURE_SERVER, newTag, waitUntilGone } from '../helpers/mcp';
import { CLI, EVERYTHING, useGatewayWorld, SHIM } from './gatewayHelpers';

const OTHER_USER = 'claude-env-other';

/** A real second Unix user (created once; the suite runs as root, as the dev container's tests do). */
function otherUser(): { uid: number; gid: number } {
  assert.equal(process.getuid?.(), 0, 'this suite creates a second Unix user and must run as root');
  if (spawnSync('id', ['-u', OTHER_USER]).status !== 0) {
    assert.equal(spawnSync('useradd', ['-m', OTHER_USER]).status, 0, `useradd ${OTHER_USER}`);
  }
  const uid = Number(spawnSync('id', ['-u', OTHER_USER], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', OTHER_USER], { encoding: 'utf8' }).stdout.trim());
  return { uid, gid };
}

/** Runs `node -e script args…` as the other user and returns its stdout. */
function asOtherUser(script: string, args: string[], env: Record<string, string> = {}): string {
  const envArgs = Object.entries(env).map(([key, value]) => `${key}=${value}`);
  const result = spawnSync(
    'runuser',
    [
      '-u',
      OTHER_USER,
      '--',
      '/usr/bin/env',
      '-i',
      'PATH=/usr/bin:/bin',
      ...envArgs,
      process.execPath,
      '-e',
      script,
      ...args,
    ],
    { encoding: 'utf8', timeout: 20_000 },
  );
  return `${result.stdout}${result.stderr}`;
}

describe('MCP gateway: the socket is private to its user', function () {
  this.timeout(60_000);
  const world = useGatewayWorld();

  it('keeps the socket 0600 in a 0700 folder owned by the user', async () => {
    world().writeLayer({ everything: EVERYTHING });
    await world().connect('everything');
    const folder = lstatSync(world().paths.dir);
    const socket = lstatSync(world().paths.socket);
    assert.equal(folder.mode & 0o777, 0o700);
    assert.equal(socket.mode & 0o777, 0o600);
    assert.ok(socket.isSocket());
    assert.equal(folder.uid, process.getuid!());
    assert.equal(socket.uid, process.getuid!());
  });

  it('refuses another Unix user: it cannot connect to the socket, and its shim refuses the folder', async () => {
    const other = otherUser();
    world().writeLayer({ everything: EVERYTHING });
    await world().connect('everything');
    // Only the gateway's own folder may stand in the way: the folders above it are opened to everyone.
    for (const dir of [world().root, world().env.XDG_RUNTIME_DIR]) chmodSync(dir, 0o755);
    const probe =
      "require('net').connect(process.argv[1]).on('connect', () => { console.log('CONNECTED'); process.exit(0); })" +
      ".on('error', (error) => { console.log(error.code); process.exit(0); })";
    assert.equal(asOtherUser(probe, [world().paths.socket]).trim(), 'EACCES');

    // The other user's shim, pointed at this user's runtime folder, refuses it before trying to connect.
    const shim = join(world().root, 'mcp-connect.js');
    copyFileSync(SHIM, shim);
    chmodSync(shim, 0o644);
    const initialize = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'intruder', version: '1' } },
    });
    const runShim =
      "const { spawn } = require('child_process');" +
      "const child = spawn(process.execPath, [process.argv[1], 'everything', '--cwd', '/'], { stdio: ['pipe', 'pipe', 'ignore'] });" +
      "child.stdout.on('data', (data) => { process.stdout.write(data); child.kill(); });" +
      'child.stdin.write(process.argv[2] + "\\n");';
    const answer = asOtherUser(runShim, [shim, initialize], {
      XDG_RUNTIME_DIR: world().env.XDG_RUNTIME_DIR,
      HOME: `/home/${OTHER_USER}`,
    });
    const response = JSON.parse(answer.split('\n')[0]);
    assert.equal(response.error.code, GatewayErrorCode.daemonLost);
    assert.match(
      response.error.message,
      new RegExp(`belongs to uid ${process.getuid!()}, not to this user \\(uid ${other.uid}\\)`),
    );
    assert.equal((await world().status()).sessions.length, 1, 'the intruder opened no session');
  });

  it('refuses a gateway folder that other users may write to', async () => {
    world().writeLayer({ everything: EVERYTHING });
    mkdirSync(world().paths.dir, { recursive: true });
    chmodSync(world().paths.dir, 0o777);
    const client = world().client('everything');
    await assert.rejects(
      client.connect(world().transport('everything')),
      /is writable by other users \(mode 777\); refusing/,
    );
    assert.equal(world().daemonPid(), undefined, 'no daemon was started in it');
  });

  it('refuses a gateway folder owned by someone else', async () => {
    const other = otherUser();
    world().writeLayer({ everything: EVERYTHING });
    mkdirSync(world().paths.dir, { recursive: true, mode: 0o700 });
    chownSync(world().paths.dir, other.uid, other.gid);
    const client = world().client('everything');
    await assert.rejects(client.connect(world().transport('everything')), new RegExp(`belongs to uid ${other.uid}`));
  });

  it('never puts a resolved secret in a client message, the status or the daemon log', async () => {
    const canary = `canary-${newTag()}`;
    world().env.CLAUDE_ENV_SECRET_FIXTURE_TOKEN = canary;
    world().writeLayer({
      keyed: {
        command: process.execPath,
        args: [FIXTURE_SERVER, 'ok', '${secret:fixture-token}'],
        env: { SECRET_CANARY: '${secret:fixture-token}' },
      },
      'keyed-broken': {
        command: process.execPath,
        args: [FIXTURE_SERVER, 'exit-at-start', '${secret:fixture-token}'],
        supervision: { maxRestarts: 0 },
      },
    });
    const transport = world().transport('keyed');
    const seen: string[] = [];
    const client = world().client('keyed');
    await client.connect(transport);
    const forward = transport.onmessage!;
    transport.onmessage = (message) => {
      seen.push(JSON.stringify(message));
      forward(message);
    };
    await client.listTools();
    await client.ping();
    const broken = world().client('keyed-broken');
    const failure = await broken.connect(world().transport('keyed-broken')).then(
      () => 'connected',
      (error: Error) => error.message,
    );
    assert.match(failure, /keyed-broken is failed/);
    const fleet = await world().status();
    const keyed = fleet.backends.find((backend) => backend.server === 'keyed')!;
    const environ = readFileSync(`/proc/${keyed.pid}/environ`, 'latin1').split('\0');
    assert.ok(environ.includes(`SECRET_CANARY=${canary}`), "the secret is in the backend's environment");
    const status = JSON.stringify(fleet);
    for (const [where, text] of [
      ['client messages', seen.join('\n')],
      ['failure', failure],
      ['status', status],
      ['daemon log', readFileSync(world().paths.log, 'utf8')],
    ]) {
      assert.ok(!text.includes(canary), `the secret appeared in the ${where}`);
    }
  });
});

describe('MCP gateway: one daemon per user', function () {
  this.timeout(60_000);
  const world = useGatewayWorld({ idleTimeout: '1s' });

  function startDaemon(): Promise<string> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, 'mcp', 'daemon'], {
        env: world().env,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      child.stdout.once('data', (data: Buffer) => resolve(data.toString('utf8').split(' ')[0]));
    });
  }

  it('starts one daemon when two start at the same moment; the second finds the first', async () => {
    world().writeLayer({ everything: EVERYTHING });
    const answers = await Promise.all([startDaemon(), startDaemon(), startDaemon()]);
    assert.deepEqual(answers.sort(), ['ready:', 'running:', 'running:']);
    assert.equal(statSync(world().paths.pid).isFile(), true);
  });

  it('stops itself and its servers after the idle timeout with no client, and removes its socket', async () => {
    world().writeLayer({ everything: { ...EVERYTHING, supervision: { share: 'workspace' } } });
    const client = await world().connect('everything');
    const daemon = world().daemonPid()!;
    const backend = (await world().status()).backends[0].pid!;
    await client.close();
    assert.deepEqual(await waitUntilGone([daemon, backend], 15_000), []);
    assert.throws(() => lstatSync(world().paths.socket), /ENOENT/);
  });
});
