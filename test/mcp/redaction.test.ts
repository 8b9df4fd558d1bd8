import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Supervisor, type LogLine } from '@claude-env/mcp';
import { cliPath } from '../helpers/cli';
import { isolatedEnv } from '../helpers/env';
import { tempFolder, workspaceWith } from '../helpers/workspace';
import { rawControls } from '../helpers/hostileText';
import { TEST_TAG_VAR, newTag, stdioServer, taggedProcesses } from '../helpers/mcp';
import { REPO_ROOT as ROOT } from '../helpers/paths';

const ECHO_SERVER = join(ROOT, 'test/fixtures/mcp/echo-secret-server.cjs');

/** A secret with every character that changes its JSON, URL and base64 forms: quote, slash, plus, space, é, &. */
const SECRET = 'Tok"en/+é&= 42\\z-9f3Kq';

/**
 * What of the secret `text` reveals, found by decoding it independently of the redaction code: as written,
 * after undoing JSON escaping (once and twice) and URL-encoding, and inside every base64 or base64url run.
 */
function revealed(text: string, secret = SECRET): string[] {
  const found: string[] = [];
  const unjson = (value: string) => value.replace(/\\(["\\/])/g, '$1');
  const unurl = (value: string) => {
    try {
      return decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      return value.replace(/%([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    }
  };
  const views: Record<string, string> = {
    plain: text,
    json: unjson(text),
    'json twice': unjson(unjson(text)),
    url: unurl(text),
  };
  for (const run of text.match(/[A-Za-z0-9+/_-]{8,}={0,2}/g) ?? []) {
    views[`base64 ${run}`] = Buffer.from(run, 'base64').toString('utf8');
    views[`base64url ${run}`] = Buffer.from(run, 'base64url').toString('utf8');
  }
  // The first and last two characters may share a base64 group with their neighbours: the middle must not show.
  const middle = secret.slice(2, -2);
  for (const [view, decoded] of Object.entries(views)) if (decoded.includes(middle)) found.push(view);
  return found;
}

function assertHidden(text: string, what: string): void {
  assert.deepEqual(revealed(text), [], `${what} reveals the secret:\n${text}`);
}

describe('a server that echoes its secret back', function () {
  this.timeout(60_000);
  const tag = newTag();

  afterEach(() => assert.deepEqual(taggedProcesses(tag), [], 'no server process outlives a test'));

  it('checks itself: the revealing decoder finds the secret in every form the server sends', () => {
    const forms = [
      SECRET,
      JSON.stringify({ token: SECRET }),
      JSON.stringify({ m: JSON.stringify({ token: SECRET }) }),
      `?token=${encodeURIComponent(SECRET)}`,
      `Basic ${Buffer.from(`user:${SECRET}`).toString('base64')}`,
      Buffer.from(`{"k":"${SECRET}"}`).toString('base64url'),
    ];
    for (const form of forms) assert.notDeepEqual(revealed(form), [], form);
  });

  describe('as the extension reads the supervisor', () => {
    let supervisor: Supervisor;
    afterEach(() => supervisor.dispose());

    it('keeps its tools, resources, prompts, server info, logs and stderr redacted', async () => {
      supervisor = new Supervisor();
      await supervisor.add(
        stdioServer('echo', process.execPath, [ECHO_SERVER, 'echo'], tag, {
          env: { ECHO_SECRET: SECRET },
          secretValues: [SECRET],
        }),
      );
      const done = logLineMatching(supervisor, /echo done/);
      const status = await supervisor.start('echo');
      assert.equal(status.state, 'running', status.reason);
      const lines = await done;
      const after = supervisor.get('echo')!.status();
      assert.equal(after.catalog.tools.length, 2);
      assert.equal(after.catalog.resources.length, 1);
      assert.equal(after.catalog.prompts.length, 1);
      assert.equal(after.catalog.tools[0].name, '***');
      assertHidden(JSON.stringify(after), 'the status (catalog, server info)');
      const logs = supervisor.get('echo')!.logs();
      assert.ok(logs.length >= lines.length && logs.some((line) => line.source === 'stderr'));
      assert.ok(logs.filter((line) => line.source === 'server').length >= 8, 'every log notification arrived');
      assertHidden(JSON.stringify(logs), 'the log');
    });

    it('redacts the error a server answers a ping with', async () => {
      supervisor = new Supervisor();
      const server = await supervisor.add(
        stdioServer('pinger', process.execPath, [ECHO_SERVER, 'fail-ping'], tag, {
          env: { ECHO_SECRET: SECRET },
          secretValues: [SECRET],
        }),
      );
      await server.start();
      const error = await server.ping().then(
        () => undefined,
        (failure: Error) => failure,
      );
      assert.ok(error, 'the ping failed');
      assert.match(error.message, /ping refused for \{"token":"\*\*\*"\}/);
    });
  });

  describe('a stderr line longer than the supervisor keeps whole', () => {
    let supervisor: Supervisor;
    afterEach(() => supervisor.dispose());

    it('is cut only outside the secret, so no part of a secret across a 64 KiB cut shows', async () => {
      // 1 MB without a newline: the pipe delivers it in 64 KiB reads, and each cut of an over-long fragment falls
      // inside one of the back-to-back secrets unless it is placed with them in mind.
      const script =
        'const s = process.env.ECHO_SECRET + "|"; process.stderr.write(s.repeat(45000) + "\\n", ' +
        '() => process.stderr.write("long line written\\n")); process.stdin.resume();';
      supervisor = new Supervisor();
      await supervisor.add(
        stdioServer('flood', process.execPath, ['-e', script], tag, {
          env: { ECHO_SECRET: SECRET },
          secretValues: [SECRET],
        }),
      );
      const done = logLineMatching(supervisor, /long line written/);
      void supervisor.start('flood').catch(() => undefined);
      await done;
      const stderr = supervisor
        .get('flood')!
        .logs()
        .filter((line) => line.source === 'stderr' && line.text !== 'long line written');
      assert.ok(stderr.length >= 8, `the line was cut into ${stderr.length} parts`);
      // Redacted, the secrets are `***` between the separators; a part holding a piece of a secret has other text.
      for (const line of stderr) assert.match(line.text, /^[*|]*( …\[truncated\])?$/, line.text.slice(0, 200));
    });
  });

  describe('through the CLI', () => {
    let workspace: string;
    let home: string;
    before(() => {
      // Padding that makes the 160-character "starting …" line end in the middle of the secret.
      const base = `${process.execPath} ${ECHO_SERVER} echo --pad= --token=`.length;
      const pad = 'p'.repeat(Math.max(0, 160 - 8 - base));
      const server = (mode: string) => [
        `    command: ${JSON.stringify(process.execPath)}`,
        `    args: [${JSON.stringify(ECHO_SERVER)}, ${mode}, "--pad=${pad}", "--token=\${secret:echo-token}"]`,
        '    env:',
        `      ${TEST_TAG_VAR}: ${tag}`,
      ];
      workspace = workspaceWith({
        '.claude-env/project.yaml': [
          'version: 1',
          'mcpServers:',
          '  echo:',
          ...server('echo'),
          '  pinger:',
          ...server('fail-ping'),
          '  lister:',
          ...server('fail-list'),
          '',
        ].join('\n'),
      });
      home = tempFolder('claude-env-home-');
    });

    const env = () => isolatedEnv(home, { CLAUDE_ENV_SECRET_ECHO_TOKEN: SECRET });

    it('mcp check --json prints the tools and the failures with the secret masked', () => {
      const run = spawnSync(process.execPath, [cliPath(), 'mcp', 'check', '--json', '--cwd', workspace], {
        env: env(),
        encoding: 'utf8',
        timeout: 60_000,
      });
      assertHidden(run.stdout + run.stderr, 'mcp check --json');
      const report = JSON.parse(run.stdout) as {
        servers: Array<{ name: string; result: string; reason: string; status?: { tools: string[] } }>;
      };
      const byName = Object.fromEntries(report.servers.map((server) => [server.name, server]));
      assert.equal(byName.echo.result, 'ok', byName.echo.reason);
      assert.deepEqual(byName.echo.status?.tools, ['***', 'callback']);
      assert.equal(byName.pinger.result, 'degraded');
      assert.match(byName.pinger.reason, /ping failed: .*\*\*\*/);
    });

    for (const json of [false, true]) {
      const command = ['mcp', 'run', ...(json ? ['--json'] : []), '--logs'];
      it(
        `${command.join(' ')} prints the command line, every log line and every error with the secret ` +
          `masked and escapes escaped`,
        async () => {
          const output = await runUntil(command, workspace, env(), [/echo done/, /listing tools failed/]);
          assertHidden(output, command.join(' '));
          assert.match(output, /starting .*--token=\*\*\*/, 'the cut command line shows the mask, not half the secret');
          assert.match(output, /listing tools failed: .*cannot list with token \*\*\*/);
          if (json) for (const line of output.trim().split('\n')) JSON.parse(line);
          assert.deepEqual(rawControls(output), [], 'the terminal escapes the server logged are printed escaped');
          assert.ok(output.includes('\\u001b]52;c;'), output);
        },
      );
    }
  });
});

/** Resolves with the log lines seen until one matches `pattern` (rejects after 20 s, a guard, not a sleep). */
function logLineMatching(supervisor: Supervisor, pattern: RegExp): Promise<LogLine[]> {
  return new Promise((resolve, reject) => {
    const seen: LogLine[] = [];
    const timer = setTimeout(() => reject(new Error(`no log line ${pattern}: ${JSON.stringify(seen)}`)), 20_000);
    supervisor.on('log', (_name, line) => {
      seen.push(line);
      if (pattern.test(line.text)) {
        clearTimeout(timer);
        resolve(seen);
      }
    });
  });
}

/** Runs the built CLI until its output matches every pattern, then stops it with SIGINT; resolves with all output. */
function runUntil(args: string[], cwd: string, env: NodeJS.ProcessEnv, patterns: RegExp[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath(), ...args, '--cwd', cwd], { env });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ${patterns.join(' and ')} within 30 s:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (patterns.every((pattern) => pattern.test(output)) && child.exitCode === null && !child.killed)
        child.kill('SIGINT');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}
