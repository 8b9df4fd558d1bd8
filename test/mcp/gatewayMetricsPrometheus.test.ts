import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { startGatewayMetrics, type GatewayMetricsService } from '../../mcp/src/gateway/metrics';
import { tempTree, type TempTree } from '../helpers/workspace';
import { REPO_ROOT as ROOT } from '../helpers/paths';
import { AT, freePort } from './metricsHelpers';

/**
 * A real Prometheus (Debian's package) scrapes the gateway's endpoint. scripts/prometheus-setup.sh installs the
 * package on first use (as root) and keeps its own service from running; the test runs the binary itself with a
 * temporary configuration, storage folder and port.
 */

interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

interface PromTarget {
  labels: Record<string, string>;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

/** Installs Debian's prometheus package when it is missing and returns the binary's path. */
function prometheusBinary(): string {
  const setup = spawnSync('bash', [join(ROOT, 'scripts', 'prometheus-setup.sh')], { encoding: 'utf8' });
  assert.equal(setup.status, 0, `scripts/prometheus-setup.sh failed:\n${setup.stderr}`);
  return setup.stdout.trim().split('\n').pop()!;
}

/** Pids of running Prometheus processes (by executable), other than `except`. */
function otherPrometheusProcesses(binary: string, except: number | undefined): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === except) continue;
    try {
      if (readlinkSync(`/proc/${entry}/exe`) === binary) pids.push(Number(entry));
    } catch {
      // Gone already, or another user's process.
    }
  }
  return pids;
}

/** Polls `read` until `accept` holds, or fails after `ms` with the last value seen. */
async function eventually<T>(
  what: string,
  ms: number,
  read: () => Promise<T>,
  accept: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (accept(last)) return last;
    if (Date.now() > deadline) assert.fail(`${what} within ${ms} ms; last seen: ${JSON.stringify(last)}`);
    // Prometheus exposes no event for "scraped"; its scrape interval is 1 s, so poll at a fraction of it.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('gateway metrics: a real Prometheus scrapes the endpoint', function () {
  this.timeout(120_000);
  let tree: TempTree;
  let service: GatewayMetricsService;
  let prometheus: ChildProcess | undefined;
  let binary: string;
  let api: string;
  let log = '';

  before(async function () {
    binary = prometheusBinary();
    tree = tempTree();
    service = await startGatewayMetrics(
      { prometheus: { port: 0, address: '127.0.0.1' }, secretValues: [] },
      { tokenFile: join(tree.root, 'state', 'metrics-token') },
    );
    const target = `127.0.0.1:${service.prometheus!.port}`;
    // Two jobs against the same endpoint: one configured as docs/gateway-metrics.md says, one without the token.
    tree.write(
      'prometheus.yml',
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        'scrape_configs:',
        '  - job_name: claude-env-mcp',
        '    authorization:',
        `      credentials_file: ${service.prometheus!.tokenFile}`,
        '    static_configs:',
        `      - targets: ['${target}']`,
        '  - job_name: without-token',
        '    static_configs:',
        `      - targets: ['${target}']`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    api = `http://127.0.0.1:${port}/api/v1`;
    prometheus = spawn(
      binary,
      [
        `--config.file=${tree.path('prometheus.yml')}`,
        `--storage.tsdb.path=${tree.path('data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=info',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    prometheus.stderr!.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      prometheus!.stderr!.on('data', (chunk: string) => {
        log += chunk;
        if (log.includes('Server is ready to receive web requests')) resolve();
      });
      prometheus!.once('exit', (code) => reject(new Error(`prometheus exited (${code}):\n${log}`)));
    });
  });

  after(async () => {
    if (prometheus && prometheus.exitCode === null && prometheus.signalCode === null) {
      const exited = once(prometheus, 'exit');
      prometheus.kill('SIGTERM');
      await exited;
    }
    await service?.close();
    tree?.dispose();
  });

  async function query(promql: string): Promise<PromSample[]> {
    const response = await fetch(`${api}/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as { status: string; data: { result: PromSample[] } };
    assert.equal(body.status, 'success', JSON.stringify(body));
    return body.data.result;
  }

  it("leaves no service of the package running besides the test's own Prometheus", () => {
    assert.deepEqual(otherPrometheusProcesses(binary, prometheus?.pid), []);
  });

  it('stores the call counts, latency, restarts, state and sessions it scraped', async () => {
    const observer = service.observer;
    for (const seconds of [0.003, 0.004, 0.2])
      observer.callFinished({
        ...AT,
        server: 'everything',
        method: 'tools/call',
        target: 'echo',
        outcome: 'ok',
        seconds,
      });
    observer.callFinished({
      ...AT,
      server: 'everything',
      method: 'tools/call',
      target: 'echo',
      outcome: 'error',
      seconds: 0.5,
    });
    observer.callFinished({
      ...AT,
      server: 'memory',
      method: 'tools/call',
      target: 'read_graph',
      outcome: 'restart',
      seconds: 2,
    });
    observer.stateChanged({ ...AT, server: 'everything', state: 'running' });
    observer.stateChanged({ ...AT, server: 'memory', state: 'restarting', reason: 'exited with code 1' });
    observer.restarted({ ...AT, server: 'memory', reason: 'crashed' });
    observer.sessionsChanged({ server: 'everything', sessions: 4, instances: 2 });

    const calls = await eventually(
      'Prometheus stores claude_env_mcp_calls_total',
      30_000,
      () => query('claude_env_mcp_calls_total{job="claude-env-mcp"}'),
      (result) => result.length === 3,
    );
    const byOutcome = Object.fromEntries(
      calls.map((sample) => [
        `${sample.metric.server}/${sample.metric.target}/${sample.metric.outcome}`,
        sample.value[1],
      ]),
    );
    assert.deepEqual(byOutcome, {
      'everything/echo/ok': '3',
      'everything/echo/error': '1',
      'memory/read_graph/restart': '1',
    });
    assert.equal(calls[0].metric.method, 'tools/call');

    const [count] = await query('claude_env_mcp_call_duration_seconds_count{server="everything",target="echo"}');
    assert.equal(count.value[1], '4');
    const [fast] = await query(
      'claude_env_mcp_call_duration_seconds_bucket{server="everything",target="echo",le="0.005"}',
    );
    assert.equal(fast.value[1], '2');
    const [median] = await query(
      'histogram_quantile(0.5, sum by (le) (claude_env_mcp_call_duration_seconds_bucket{server="everything"}))',
    );
    assert.ok(Number(median.value[1]) > 0.0025 && Number(median.value[1]) <= 0.25, `median ${median.value[1]}`);

    const [restarts] = await query('claude_env_mcp_restarts_total{server="memory"}');
    assert.equal(restarts.value[1], '1');
    const current = await query('claude_env_mcp_server_state == 1');
    assert.deepEqual(current.map((sample) => `${sample.metric.server}=${sample.metric.state}`).sort(), [
      'everything=running',
      'memory=restarting',
    ]);
    const [sessions] = await query('claude_env_mcp_sessions{server="everything"}');
    assert.equal(sessions.value[1], '4');
    const [instances] = await query('claude_env_mcp_instances{server="everything"}');
    assert.equal(instances.value[1], '2');
  });

  it('sees its scrape refused with 401 when the job has no credentials file', async () => {
    const targets = await eventually(
      'both scrape jobs report their health',
      30_000,
      async () => {
        const response = await fetch(`${api}/targets?state=active`);
        const body = (await response.json()) as { data: { activeTargets: PromTarget[] } };
        return body.data.activeTargets;
      },
      (list) => list.length === 2 && list.every((target) => target.health !== 'unknown'),
    );
    const health = Object.fromEntries(targets.map((target) => [target.labels.job, target]));
    assert.equal(health['claude-env-mcp'].health, 'up', health['claude-env-mcp'].lastError);
    assert.equal(health['without-token'].health, 'down');
    assert.match(health['without-token'].lastError, /401/);
    assert.deepEqual(await query('claude_env_mcp_calls_total{job="without-token"}'), []);
  });

  it('keeps scraping, without a reload, after the daemon restarts with a new token', async () => {
    const { port, tokenFile } = service.prometheus!;
    const oldToken = readFileSync(tokenFile, 'utf8');
    await service.close();
    service = await startGatewayMetrics(
      { prometheus: { port, address: '127.0.0.1' }, secretValues: [] },
      { tokenFile },
    );
    assert.notEqual(readFileSync(tokenFile, 'utf8'), oldToken);
    service.observer.callFinished({
      ...AT,
      server: 'fresh',
      method: 'tools/call',
      target: 'ping',
      outcome: 'ok',
      seconds: 0.001,
    });
    const fresh = await eventually(
      'Prometheus scrapes the restarted daemon with the new token',
      30_000,
      () => query('claude_env_mcp_calls_total{job="claude-env-mcp",server="fresh"}'),
      (result) => result.length === 1,
    );
    assert.equal(fresh[0].value[1], '1');
  });

  it("evaluates every query of the Grafana dashboard, each returning the gateway's data", async () => {
    interface Panel {
      title: string;
      targets?: Array<{ expr: string }>;
      fieldConfig?: { defaults: { mappings?: Array<{ options: Record<string, { text: string }> }> } };
    }
    const dashboard = JSON.parse(readFileSync(join(ROOT, 'docs', 'grafana-claude-env-mcp.json'), 'utf8')) as {
      panels: Panel[];
      templating: { list: Array<{ name: string; definition?: string }> };
    };
    // Grafana's variables, as Grafana would expand them for "All servers" over the last minute.
    const expand = (expr: string) =>
      expr.replaceAll('$__rate_interval', '30s').replaceAll('$__range', '1m').replaceAll('$server', '.*');
    const queries = dashboard.panels.flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({ title: panel.title, expr: expand(target.expr) })),
    );
    assert.ok(queries.length >= 10, `${queries.length} queries`);
    service.observer.stateChanged({ ...AT, server: 'everything', state: 'running' });
    service.observer.stateChanged({ ...AT, server: 'memory', state: 'restarting' });
    service.observer.sessionsChanged({ server: 'everything', sessions: 4, instances: 2 });
    // Rates and quantiles need calls within their window: keep traffic flowing while the panels are read.
    const traffic = setInterval(() => {
      for (const server of ['everything', 'memory']) {
        service.observer.callFinished({
          ...AT,
          server,
          method: 'tools/call',
          target: 'echo',
          outcome: 'ok',
          seconds: 0.004,
        });
        service.observer.callFinished({
          ...AT,
          server,
          method: 'tools/call',
          target: 'echo',
          outcome: 'error',
          seconds: 0.3,
        });
      }
      service.observer.restarted({ ...AT, server: 'memory', reason: 'crashed' });
    }, 100);
    try {
      for (const { title, expr } of queries) {
        const result = await eventually(
          `the dashboard panel "${title}" shows data`,
          30_000,
          () => query(expr),
          (samples) => samples.some((sample) => sample.value[1] !== 'NaN'),
        );
        assert.ok(result.length > 0, title);
      }
    } finally {
      clearInterval(traffic);
    }
    // The state timeline encodes each state as a number and names it back through the panel's value mappings.
    const statePanel = dashboard.panels.find((panel) => panel.title === 'State')!;
    const mappings = Object.assign(
      {},
      ...statePanel.fieldConfig!.defaults.mappings!.map((mapping) => mapping.options),
    ) as Record<string, { text: string }>;
    const encoded = await query(expand(statePanel.targets![0].expr));
    assert.deepEqual(
      Object.fromEntries(encoded.map((sample) => [sample.metric.server, mappings[sample.value[1]]?.text])),
      { everything: 'running', memory: 'restarting' },
    );
    const serverVariable = dashboard.templating.list.find((variable) => variable.name === 'server')!;
    const labelQuery = /^label_values\((\w+), server\)$/.exec(serverVariable.definition ?? '')!;
    const servers = await query(`count by (server) (${labelQuery[1]})`);
    assert.deepEqual(servers.map((sample) => sample.metric.server).sort(), ['everything', 'memory']);
  });
});
