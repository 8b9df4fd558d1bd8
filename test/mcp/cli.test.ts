import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/src/cli';
import type { CliIo } from '../../cli/src/command';
import { COMMANDS } from '../../cli/src/commands';
import { mcpRun, resolveTargets, selectTargets } from '../../cli/src/commands/mcp';
import { mcpCommand } from '../../cli/src/commands/mcp-command';
import { loadEnvironment } from '@claude-env/engine';
import { defaultSecretProvider } from '../../engine/src/secrets';
import { createPalette } from '../../cli/src/format/colour';
import { FIXTURE_SERVER, TEST_TAG_VAR, newTag, taggedProcesses } from '../helpers/mcp';
import { REPO_ROOT } from '../helpers/paths';
import { whenFileAppears } from '../helpers/workspace';

const commands = COMMANDS.some((command) => command.name === 'mcp') ? COMMANDS : [...COMMANDS, mcpCommand];

/** Runs one `claude-env` command line in this process and captures what it prints. */
async function cli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const palette = createPalette(false);
  const io: CliIo = {
    out: (text) => (out += text),
    err: (text) => (err += text),
    env: { ...process.env, ...env },
    outColour: palette,
    errColour: palette,
  };
  const code = await runCli(argv, io, { commands, version: 'test', processCwd: REPO_ROOT });
  return { code, out, err };
}

/**
 * A workspace with an org base that denies `*-unvetted`, and a project layer with one server per outcome. Every
 * server carries the test tag so that the leftover scan finds its processes.
 */
/** Written by the slow server as soon as it runs, relative to the workspace's parent. */
const SLOW_STARTED = 'slow.started';

function makeWorkspace(root: string, tag: string): string {
  const node = JSON.stringify(process.execPath);
  const fixture = JSON.stringify(FIXTURE_SERVER);
  mkdirSync(join(root, 'org'), { recursive: true });
  writeFileSync(join(root, 'org/base.yaml'), 'version: 1\npolicy:\n  servers:\n    denied: ["*-unvetted"]\n');
  const workspace = join(root, 'repo');
  mkdirSync(join(workspace, '.claude-env'), { recursive: true });
  const server = (mode: string, extra = '') =>
    `    command: ${node}\n    args: [${fixture}, ${mode}]\n    env:\n      ${TEST_TAG_VAR}: ${tag}\n${extra}`;
  writeFileSync(
    join(workspace, '.claude-env/project.yaml'),
    [
      'version: 1',
      'source:',
      '  path: ../../org',
      'mcpServers:',
      '  good:',
      server('ok', '    supervision:\n      required: true\n'),
      '  broken:',
      server('exit-at-start', '    supervision:\n      required: true\n'),
      '  slow:',
      server(
        'slow-start',
        `      START_DELAY_MS: "10000"\n      STARTED_FILE: ${JSON.stringify(join(root, SLOW_STARTED))}\n`,
      ),
      '  keyed:',
      server('ok', '      API_KEY: ${secret:missing-key}\n'),
      '  tool-unvetted:',
      server('ok'),
    ].join('\n'),
  );
  return workspace;
}

describe('claude-env mcp list, check and run', function () {
  this.timeout(20_000);
  const tag = newTag();
  let scratch: string;
  let workspace: string;

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'claude-env-cli-mcp-'));
    workspace = makeWorkspace(scratch, tag);
  });

  afterEach(() => assert.deepEqual(taggedProcesses(tag), [], 'no server process outlives a command'));

  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('lists each server with its policy state and the line that defines it, starting nothing', async () => {
    const { code, out } = await cli(['mcp', 'list', '--json', '--cwd', workspace]);
    assert.equal(code, 0);
    const servers = JSON.parse(out).servers as Array<{
      name: string;
      state: string;
      reason: string;
      definedAt: string;
    }>;
    const byName = Object.fromEntries(servers.map((server) => [server.name, server]));
    assert.equal(byName.good.state, 'allowed');
    assert.equal(byName.good.definedAt, '.claude-env/project.yaml:5');
    assert.equal(byName['tool-unvetted'].state, 'blocked');
    assert.match(byName['tool-unvetted'].reason, /unvetted/);
    assert.equal(byName.keyed.state, 'unresolved');
    assert.match(byName.keyed.reason, /missing-key/);
    const table = await cli(['mcp', 'list', '--cwd', workspace]);
    assert.match(table.out, /^NAME\s+TYPE\s+COMMAND \/ URL\s+POLICY/);
    assert.match(table.out, /\ntool-unvetted\s+stdio\s+.*blocked/);
  });

  it('checks a healthy required server: handshake, tools, ping, exit 0', async () => {
    const { code, out } = await cli(['mcp', 'check', 'good', '--cwd', workspace]);
    assert.equal(code, 0, out);
    assert.match(out, /^SERVER\s+RESULT\s+REQUIRED\s+HANDSHAKE\s+TOOLS\s+PING\s+REASON\n/);
    assert.match(out, /\ngood\s+ok\s+yes\s+\d+ ms\s+2\s+\d+ ms\n/);
    assert.match(out, /1 of 1 server ok\n$/);
  });

  it('exits 1 when a required server fails, and reports every server with its reason', async () => {
    const { code, out } = await cli(['mcp', 'check', '--json', '--timeout', '2s', '--cwd', workspace]);
    assert.equal(code, 1);
    const report = JSON.parse(out);
    assert.equal(report.ok, false);
    const byName = Object.fromEntries(report.servers.map((server: { name: string }) => [server.name, server]));
    assert.equal(byName.good.result, 'ok');
    assert.deepEqual(byName.good.status.tools, ['echo', 'add']);
    assert.equal(byName.broken.result, 'crashed');
    assert.match(byName.broken.reason, /exited with code 3: error: missing configuration/);
    assert.equal(byName.slow.result, 'crashed');
    assert.match(byName.slow.reason, /no MCP handshake within 2 s/);
    assert.equal(byName.keyed.result, 'unresolved');
    assert.equal(byName['tool-unvetted'].result, 'blocked');
  });

  it('applies --timeout and refuses a malformed one', async () => {
    const { code, out } = await cli(['mcp', 'check', 'slow', '--timeout', '300ms', '--cwd', workspace]);
    // Named on the command line, the server counts as required: its failure is the command's.
    assert.match(out, /slow\s+crashed\s+yes\s+.*no MCP handshake within 300 ms/);
    assert.equal(code, 1);
    const bad = await cli(['mcp', 'check', '--timeout', 'soon', '--cwd', workspace]).catch((error: Error) => error);
    assert.ok(bad instanceof Error && /--timeout must be a duration/.test(bad.message));
  });

  it('exits 1 when a server named on the command line fails, though it is not marked required', async () => {
    const named = await cli(['mcp', 'check', 'good', 'keyed', '--json', '--cwd', workspace]);
    assert.equal(named.code, 1, named.out);
    const report = JSON.parse(named.out) as { ok: boolean; servers: Array<{ name: string; required: boolean }> };
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.servers.map((server) => [server.name, server.required]),
      [
        ['good', true],
        ['keyed', true],
      ],
    );
  });

  it('refuses an unknown server name with a suggestion', async () => {
    const error = await cli(['mcp', 'check', 'gooood', '--cwd', workspace]).catch((failure: Error) => failure);
    assert.ok(error instanceof Error);
    assert.match(error.message, /no MCP server named `gooood` \(did you mean good\?\)/);
  });

  it('prints JSON lines with --json and exits 1 when a required server ended failed', async () => {
    const environment = loadEnvironment(workspace, { env: process.env });
    const targets = selectTargets(
      await resolveTargets(environment, {
        workspace,
        secrets: defaultSecretProvider(process.env),
        environment: process.env,
      }),
      ['good', 'broken'],
      'mcp run',
    );
    let out = '';
    const events: Array<Record<string, unknown>> = [];
    const stop = new AbortController();
    const palette = createPalette(false);
    // mcpRun reports through its output only: each write is one event, so decide on each write.
    const onOut = (text: string) => {
      out += text;
      events.push(JSON.parse(text));
      const seen = (name: string, state: string) =>
        events.some((event) => event.name === name && event.state === state);
      if (!stop.signal.aborted && seen('broken', 'failed') && seen('good', 'running')) stop.abort();
    };
    const io: CliIo = { out: onOut, err: () => undefined, env: process.env, outColour: palette, errColour: palette };
    const code = await mcpRun(
      { json: true, logs: false, tuning: { backoffBaseMs: 10, stopGraceMs: 300 } },
      targets,
      io,
      stop.signal,
    );
    assert.equal(code, 1);
    const states = events.filter((event) => event.event === 'state');
    const broken = states.filter((event) => event.name === 'broken').map((event) => event.state);
    assert.deepEqual(broken.slice(0, 4), ['starting', 'crashed', 'restarting', 'starting']);
    assert.equal(broken[broken.length - 1], 'failed');
    assert.ok(states.every((event) => typeof event.time === 'string' && typeof event.reason === 'string'));
    assert.match(out.trimEnd().split('\n').pop()!, /"event":"stopped","servers":2/);
  });

  it('runs in the foreground, prints state changes, and stops every server on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'test/fixtures/mcp/cli-host.ts'), 'mcp', 'run', 'good', '--cwd', workspace],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        out += chunk;
        if (/good: running/.test(out)) resolve();
      });
      void exited.then((code) => reject(new Error(`mcp run exited early with ${code}: ${out}${err}`)));
    });
    assert.equal(taggedProcesses(tag).length, 1, 'the server runs while mcp run does');
    child.kill('SIGTERM');
    assert.equal(await exited, 0, err);
    assert.match(out, /good: starting - starting /);
    assert.match(out, /good: running - ready in/);
    assert.match(out, /good: stopped - stopped by request\nstopped 1 server\(s\)\n$/);
  });

  it('stops the servers it started and exits 130 when a check is interrupted with SIGINT', async () => {
    const startedFile = join(scratch, SLOW_STARTED);
    rmSync(startedFile, { force: true });
    const started = whenFileAppears(startedFile, 10_000);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(REPO_ROOT, 'test/fixtures/mcp/cli-host.ts'),
        'mcp',
        'check',
        'slow',
        '--timeout',
        '60s',
        '--cwd',
        workspace,
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // The check prints nothing until it is done; the file the slow server writes when it runs says it started.
    await started;
    assert.equal(taggedProcesses(tag).length, 1, 'the slow server was started');
    child.kill('SIGINT');
    assert.equal(await exited, 130);
    assert.match(out, /slow\s+stopped\s+yes\s+.*stopped by request/);
  });
});
