import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { Stream } from 'node:stream';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { newTag, FIXTURE_SERVER } from '../helpers/mcp';
import { REPO_ROOT as ROOT } from '../helpers/paths';
import { textOf, useGatewayWorld } from './gatewayHelpers';

/** Resolves with the accumulated text once it matches. */
function untilMatch(stream: Stream, pattern: RegExp): Promise<string> {
  let text = '';
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (pattern.test(text)) resolve(text);
    });
  });
}

/**
 * What an instance logs reaches its client as it would from a server the client started itself: its MCP log
 * notifications as `notifications/message`, its stderr on the shim's stderr; both redacted.
 */
describe('MCP gateway: server logs reach the session, redacted', function () {
  this.timeout(60_000);
  const world = useGatewayWorld();

  it("forwards the instance's notifications/message and stderr lines without the secret it quotes", async () => {
    const canary = `canary-${newTag()}`;
    world().env.CLAUDE_ENV_SECRET_FIXTURE_TOKEN = canary;
    world().writeLayer({
      logged: {
        command: process.execPath,
        args: [FIXTURE_SERVER, 'log-on-call'],
        env: { SECRET_CANARY: '${secret:fixture-token}' },
      },
    });
    const client = world().client('logged');
    const transport = world().transport('logged');
    const stderr = untilMatch(transport.stderr!, /stderr: echoing hello-log/);
    const logged = new Promise<{ level: string; logger?: string; data: unknown }>((resolve) =>
      client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => resolve(notification.params)),
    );
    await client.connect(transport);
    assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { text: 'hello-log' } })), 'hello-log');

    const message = await logged;
    assert.equal(message.level, 'warning');
    assert.equal(message.logger, 'logged');
    assert.match(String(message.data), /^log: echoing hello-log with key /);
    assert.ok(!String(message.data).includes(canary), 'the secret is redacted in the notification');
    const text = await stderr;
    assert.match(text, /stderr: echoing hello-log with key /);
    assert.ok(!text.includes(canary), "the secret is redacted on the shim's stderr");
  });

  it('keeps answering while its client leaves the forwarded stderr unread, and says how many lines it dropped', async () => {
    world().writeLayer({
      flood: { command: process.execPath, args: [join(ROOT, 'test/fixtures/mcp/flood-stdout.cjs')] },
    });
    const client = world().client('flood');
    const transport = world().transport('flood');
    await client.connect(transport);
    // Nobody reads the shim's stderr while 8 MB of it arrive: a shim writing synchronously would block here.
    assert.equal(
      textOf(await client.callTool({ name: 'stderr', arguments: { megabytes: 8 } }, undefined, { timeout: 60_000 })),
      'wrote 8 MB to stderr',
    );
    assert.equal(textOf(await client.callTool({ name: 'echo', arguments: { text: 'awake' } })), 'awake');
    const text = await untilMatch(transport.stderr!, /\d+ stderr line\(s\) dropped: the client did not read them/);
    assert.ok(text.length < 2 * 1024 * 1024, `the shim held ${text.length} bytes of stderr, not 8 MB`);
  });
});
