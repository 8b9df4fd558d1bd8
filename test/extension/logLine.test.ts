import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { Supervisor, type LogLine } from '@claude-env/mcp';
import { formatLogLine } from '../../extension/src/mcp/logLine';
import { HOSTILE_TEXT, rawControls } from '../helpers/hostileText';
import { newTag, stdioServer, taggedProcesses } from '../helpers/mcp';
import { REPO_ROOT } from '../helpers/paths';

/**
 * The lines of a server's output channel in the extension, formatted from what a real supervisor kept of a real
 * server that logs terminal escapes and bidirectional overrides: every control character shows as `\uXXXX`, and
 * one record is one line.
 */
const ECHO_SERVER = join(REPO_ROOT, 'test/fixtures/mcp/echo-secret-server.cjs');

describe('extension server log lines', function () {
  this.timeout(60_000);
  const tag = newTag();
  let supervisor: Supervisor | undefined;

  afterEach(async () => {
    await supervisor?.dispose();
    supervisor = undefined;
    assert.deepEqual(taggedProcesses(tag), [], 'no server process outlives a test');
  });

  it('escapes the control characters a server logged, in the text and the level', async () => {
    supervisor = new Supervisor();
    await supervisor.add(
      stdioServer('echo', process.execPath, [ECHO_SERVER, 'echo'], tag, { env: { ECHO_SECRET: 'Tok-1234-secret' } }),
    );
    const done = new Promise<void>((resolve) =>
      supervisor!.on('log', (_name: string, line: LogLine) => line.text.includes('echo done') && resolve()),
    );
    await supervisor.start('echo');
    await done;
    const formatted = supervisor.get('echo')!.logs().map(formatLogLine);
    assert.ok(
      formatted.some((line) => line.includes('\\u001b]52;c;Y3VybCBldmlsIHwgc2g=\\u0007')),
      formatted.join('\n'),
    );
    assert.ok(formatted.some((line) => line.includes('\\u202eevil')));
    for (const line of formatted) assert.deepEqual(rawControls(line), [], line);
  });

  it('shows each hostile text escaped, and a record with line breaks as one line', () => {
    for (const { name, text } of HOSTILE_TEXT) {
      const line = formatLogLine({ time: 0, source: 'server', level: `info${text}`, text: `said ${text}` });
      assert.deepEqual(rawControls(line), [], name);
    }
    const forged = formatLogLine({ time: 0, source: 'stderr', text: 'ok\n1970-01-01T00:00:00.000Z [stderr] forged' });
    assert.equal(forged, '1970-01-01T00:00:00.000Z [stderr] ok\\n1970-01-01T00:00:00.000Z [stderr] forged');
  });
});
