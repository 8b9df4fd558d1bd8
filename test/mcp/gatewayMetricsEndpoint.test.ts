import { strict as assert } from 'node:assert';
import { readFileSync, statSync, existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import {
  GatewayMetrics,
  startGatewayMetrics,
  startPrometheusEndpoint,
  type GatewayMetricsService,
} from '../../mcp/src/gateway/metrics';
import { tempTree, type TempTree } from '../helpers/workspace';
import { AT, httpRequest } from './metricsHelpers';

/** A non-loopback IPv4 address of this machine, if it has one. */
function externalAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces()))
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  return undefined;
}

describe('gateway metrics: the Prometheus endpoint', () => {
  let tree: TempTree;
  let service: GatewayMetricsService;
  let url: string;
  let port: number;
  let token: string;
  let bearer: Record<string, string>;

  beforeEach(async () => {
    tree = tempTree();
    service = await startGatewayMetrics(
      { prometheus: { port: 0, address: '127.0.0.1' }, secretValues: [] },
      { tokenFile: join(tree.root, 'state', 'metrics-token') },
    );
    url = service.prometheus!.url;
    port = service.prometheus!.port;
    token = readFileSync(service.prometheus!.tokenFile, 'utf8').trim();
    bearer = { Authorization: `Bearer ${token}` };
  });

  afterEach(async () => {
    await service.close();
    tree.dispose();
  });

  it('writes a random per-daemon token to a file only its owner can read, and removes it on close', async () => {
    const tokenFile = service.prometheus!.tokenFile;
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    const second = await startPrometheusEndpoint({ port: 0, tokenFile: join(tree.root, 'second-token') });
    try {
      assert.notEqual(readFileSync(second.tokenFile, 'utf8').trim(), token);
    } finally {
      await second.close();
      await second.reader.shutdown();
    }
    assert.equal(existsSync(second.tokenFile), false);
  });

  it('answers 401 without the token or with a wrong one, and serves the metrics with it', async () => {
    service.observer.callFinished({
      ...AT,
      server: 'memory',
      method: 'tools/call',
      target: 'read_graph',
      outcome: 'ok',
      seconds: 0.004,
    });
    const anonymous = await httpRequest(url);
    assert.equal(anonymous.status, 401);
    assert.match(String(anonymous.headers['www-authenticate']), /^Bearer /);
    assert.doesNotMatch(anonymous.body, /claude_env_mcp/);
    assert.equal((await httpRequest(url, { headers: { Authorization: `Bearer ${token}x` } })).status, 401);
    assert.equal((await httpRequest(url, { headers: { Authorization: token } })).status, 401);

    const scrape = await httpRequest(url, { headers: bearer });
    assert.equal(scrape.status, 200);
    assert.match(String(scrape.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.match(
      scrape.body,
      /^claude_env_mcp_calls_total\{server="memory",method="tools\/call",target="read_graph",outcome="ok"\} 1$/m,
    );
  });

  it('refuses a foreign Origin or Host with 403, even with the token (DNS rebinding)', async () => {
    const refused: Array<Record<string, string>> = [
      { Origin: 'https://evil.example' },
      { Origin: 'null' },
      { Origin: `http://127.0.0.1:${port + 1}` },
      { Origin: `http://localhost.evil.example:${port}` },
      { Host: `evil.example:${port}` },
      { Host: `127.0.0.1.nip.io:${port}` },
      { Host: `localhost:${port + 1}` },
      { Host: 'localhost' },
    ];
    for (const headers of refused) {
      const answer = await httpRequest(url, { headers: { ...bearer, ...headers } });
      assert.equal(answer.status, 403, `expected 403 for ${JSON.stringify(headers)}`);
      assert.doesNotMatch(answer.body, /claude_env_mcp/);
    }
    for (const host of [`localhost:${port}`, `LOCALHOST:${port}`, `127.0.0.1:${port}`]) {
      const answer = await httpRequest(url, { headers: { ...bearer, Host: host, Origin: `http://${host}` } });
      assert.equal(answer.status, 200, `expected 200 for Host ${host}`);
    }
  });

  it('leaves the endpoint off and says why when its port is taken, and the observer still works', async () => {
    const logged: string[] = [];
    const second = await startGatewayMetrics(
      { prometheus: { port, address: '127.0.0.1' }, secretValues: [] },
      { tokenFile: join(tree.root, 'second-token'), log: (line) => logged.push(line) },
    );
    try {
      assert.equal(second.prometheus, undefined);
      assert.equal(logged.length, 1);
      assert.match(
        logged[0],
        new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE.*the Prometheus endpoint is off\\.$`),
      );
      assert.equal(existsSync(join(tree.root, 'second-token')), false);
      second.observer.restarted({ ...AT, server: 'memory', reason: 'crashed' });
    } finally {
      await second.close();
    }
    // The first daemon's endpoint and token are untouched.
    assert.equal((await httpRequest(url, { headers: bearer })).status, 200);
  });

  it('serves only GET and HEAD of /metrics', async () => {
    assert.equal((await httpRequest(url.replace('/metrics', '/'), { headers: bearer })).status, 404);
    assert.equal((await httpRequest(`${url}/x`, { headers: bearer })).status, 404);
    const post = await httpRequest(url, { method: 'POST', headers: bearer });
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
    const head = await httpRequest(url, { method: 'HEAD', headers: bearer });
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
  });

  it('listens on the loopback address only', async function () {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    await assert.rejects(
      startPrometheusEndpoint({ port: 0, address: '0.0.0.0' as '127.0.0.1', tokenFile: join(tree.root, 'x') }),
      /loopback address only/,
    );
    const external = externalAddress();
    if (!external) return; // A machine with loopback alone has no other interface to try.
    await assert.rejects(
      httpRequest(url, { headers: { ...bearer, Host: `127.0.0.1:${port}` }, connectTo: external }),
      /ECONNREFUSED/,
    );
  });

  it('binds ::1 when asked, accepting [::1] as Host and unreachable over IPv4', async () => {
    const v6 = await startPrometheusEndpoint({ port: 0, address: '::1', tokenFile: join(tree.root, 'v6-token') });
    const metrics = new GatewayMetrics({ readers: [v6.reader] });
    try {
      const v6Bearer = { Authorization: `Bearer ${readFileSync(v6.tokenFile, 'utf8').trim()}` };
      assert.equal(v6.url, `http://[::1]:${v6.port}/metrics`);
      assert.equal((await httpRequest(v6.url, { headers: v6Bearer })).status, 200);
      assert.equal((await httpRequest(v6.url, { headers: { ...v6Bearer, Host: `[::2]:${v6.port}` } })).status, 403);
      await assert.rejects(httpRequest(v6.url, { headers: v6Bearer, connectTo: '127.0.0.1' }), /ECONNREFUSED/);
    } finally {
      await v6.close();
      await metrics.shutdown();
    }
  });

  it('keeps argument values, credentials and resource paths out of the labels', async () => {
    const weird = [
      'echo {"message":"hunter2-argument"}',
      'sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345',
      'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789',
      'tool\nclaude_env_mcp_calls_total{server="forged"} 99',
      'x'.repeat(200),
      'naïve-tool',
      '',
    ];
    for (const target of weird)
      service.observer.callFinished({
        ...AT,
        server: 'everything',
        method: 'tools/call',
        target,
        outcome: 'ok',
        seconds: 0.01,
      });
    service.observer.callFinished({
      ...AT,
      server: 'everything',
      method: 'resources/read',
      target: 'https://alice:p4ssw0rd-in-uri@api.example.com/users/42/profile?token=uri-token-value',
      outcome: 'ok',
      seconds: 0.02,
    });
    service.observer.callFinished({
      ...AT,
      server: 'everything',
      method: 'resources/read',
      target: 'test://static/resource/17',
      outcome: 'error',
      seconds: 0.02,
    });
    service.observer.callFinished({
      ...AT,
      server: 'everything',
      method: 'prompts/get',
      target: 'simple_prompt',
      outcome: 'ok',
      seconds: 0.001,
    });
    service.observer.stateChanged({
      ...AT,
      server: 'everything',
      state: 'crashed',
      reason: 'exited with API_KEY=sk-reason-secret-value',
    });
    service.observer.callFinished({
      ...AT,
      server: 'sk-ant-api03-servernamesecret0123456789',
      method: 'tools/call',
      target: 'x',
      outcome: 'ok',
      seconds: 1,
    });

    const text = (await httpRequest(url, { headers: bearer })).body;
    for (const leaked of [
      'hunter2',
      'sk-ant',
      'ghp_',
      'forged',
      'xxxxxxxx',
      'naïve',
      'alice',
      'p4ssw0rd',
      'users/42',
      'uri-token-value',
      'resource/17',
      'sk-reason',
    ])
      assert.ok(!text.includes(leaked), `metrics text contains ${leaked}`);
    assert.match(
      text,
      /^claude_env_mcp_calls_total\{server="everything",method="tools\/call",target="\(invalid\)",outcome="ok"\} 7$/m,
    );
    assert.match(text, /target="https:\/\/api\.example\.com",outcome="ok"\} 1$/m);
    assert.match(text, /target="test:\/\/static",outcome="error"\} 1$/m);
    assert.match(text, /target="simple_prompt",outcome="ok"\} 1$/m);
    assert.match(
      text,
      /^claude_env_mcp_calls_total\{server="\(invalid\)",method="tools\/call",target="x",outcome="ok"\} 1$/m,
    );
    assert.match(text, /^claude_env_mcp_server_state\{server="everything",state="crashed"\} 1$/m);
  });

  it('folds targets past the cap into (other) so that a chatty client cannot grow the series without bound', async () => {
    for (let index = 0; index < 250; index++)
      service.observer.callFinished({
        ...AT,
        server: 'memory',
        method: 'tools/call',
        target: `tool_${index}`,
        outcome: 'ok',
        seconds: 0.001,
      });
    const text = (await httpRequest(url, { headers: bearer })).body;
    const series = text.split('\n').filter((line) => line.startsWith('claude_env_mcp_calls_total{'));
    assert.equal(series.length, 101);
    assert.ok(series.some((line) => line.includes('target="tool_99"')));
    assert.ok(!series.some((line) => line.includes('target="tool_100"')));
    assert.ok(
      series.includes(
        'claude_env_mcp_calls_total{server="memory",method="tools/call",target="(other)",outcome="ok"} 150',
      ),
    );
  });

  it('reports every state of a server as 0 or 1, with 1 for the current one only', async () => {
    service.observer.stateChanged({ ...AT, server: 'memory', state: 'starting' });
    service.observer.stateChanged({ ...AT, server: 'memory', state: 'running' });
    service.observer.sessionsChanged({ server: 'memory', sessions: 3, instances: 2 });
    service.observer.restarted({ ...AT, server: 'memory', reason: 'crashed' });
    const text = (await httpRequest(url, { headers: bearer })).body;
    const states = text.split('\n').filter((line) => line.startsWith('claude_env_mcp_server_state{server="memory"'));
    assert.equal(states.length, 8);
    assert.deepEqual(
      states.filter((line) => line.endsWith(' 1')),
      ['claude_env_mcp_server_state{server="memory",state="running"} 1'],
    );
    assert.match(text, /^claude_env_mcp_sessions\{server="memory"\} 3$/m);
    assert.match(text, /^claude_env_mcp_instances\{server="memory"\} 2$/m);
    assert.match(text, /^claude_env_mcp_restarts_total\{server="memory"\} 1$/m);
  });
});
