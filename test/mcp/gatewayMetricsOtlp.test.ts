import { strict as assert } from 'node:assert';
import { defaultSecretProvider } from '@claude-env/engine';
import {
  CALL_DURATION_BUCKETS,
  METRIC_NAMES,
  otlpMetricsUrl,
  resolveMetricsSettings,
  startGatewayMetrics,
  type GatewayMetricsService,
} from '../../mcp/src/gateway/metrics';
import { tempTree, type TempTree } from '../helpers/workspace';
import { AT, attributesOf, metricIn, OtlpReceiver } from './metricsHelpers';

const COLLECTOR_TOKEN = 'otlp-collector-token-7f3a9c';

describe('gateway metrics: OTLP push to a collector', () => {
  let tree: TempTree;
  let receiver: OtlpReceiver;
  let service: GatewayMetricsService | undefined;
  const logged: string[] = [];

  beforeEach(async () => {
    tree = tempTree();
    receiver = await OtlpReceiver.start();
    logged.length = 0;
  });

  afterEach(async () => {
    await service?.close();
    service = undefined;
    await receiver.close();
    tree.dispose();
  });

  /** Starts the metrics from a `gateway` block as the layers would give it, the token in the secret store. */
  async function start(interval: string, extraHeaders: Record<string, string> = {}): Promise<GatewayMetricsService> {
    const environment = { CLAUDE_ENV_SECRET_OTLP_TOKEN: COLLECTOR_TOKEN, HOME: tree.root };
    const { settings, problems } = await resolveMetricsSettings(
      {
        metrics: {
          otlp: {
            endpoint: receiver.endpoint,
            headers: { Authorization: 'Bearer ${secret:otlp-token}', ...extraHeaders },
            interval,
          },
        },
      },
      { workspace: tree.root, secrets: defaultSecretProvider(environment, tree.root), environment },
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(settings.secretValues, [COLLECTOR_TOKEN]);
    service = await startGatewayMetrics(settings, {
      tokenFile: tree.path('unused-token'),
      version: '9.9.9',
      log: (line) => logged.push(line),
    });
    return service;
  }

  it('pushes the calls, latency histogram, restarts, state and sessions as OTLP/HTTP JSON with the resolved header', async () => {
    const metrics = await start('60s');
    metrics.observer.callFinished({
      ...AT,
      server: 'everything',
      method: 'tools/call',
      target: 'echo',
      outcome: 'ok',
      seconds: 0.003,
    });
    metrics.observer.callFinished({
      ...AT,
      server: 'everything',
      method: 'tools/call',
      target: 'echo',
      outcome: 'error',
      seconds: 0.7,
    });
    metrics.observer.callFinished({
      ...AT,
      server: 'everything',
      method: 'resources/read',
      target: 'test://static/resource/3',
      outcome: 'ok',
      seconds: 0.01,
    });
    metrics.observer.stateChanged({ ...AT, server: 'everything', state: 'degraded', reason: 'ping took 6 s' });
    metrics.observer.restarted({ ...AT, server: 'everything', reason: 'hang' });
    metrics.observer.sessionsChanged({ server: 'everything', sessions: 5, instances: 1 });
    await metrics.flush();
    await receiver.waitFor(1);

    const [push] = receiver.received;
    assert.equal(push.path, '/v1/metrics');
    assert.match(String(push.headers['content-type']), /^application\/json/);
    assert.equal(push.headers.authorization, `Bearer ${COLLECTOR_TOKEN}`);

    const resource = Object.fromEntries(
      push.body.resourceMetrics[0].resource.attributes.map((a) => [a.key, a.value.stringValue]),
    );
    assert.equal(resource['service.name'], 'claude-env-mcp-gateway');
    assert.equal(resource['service.version'], '9.9.9');

    const calls = metricIn(push.body, METRIC_NAMES.calls)!;
    assert.equal(calls.sum!.isMonotonic, true);
    const callPoints: Array<Record<string, string | number>> = calls.sum!.dataPoints.map((point) => ({
      ...attributesOf(point),
      value: Number(point.asDouble ?? point.asInt),
    }));
    assert.deepEqual(
      callPoints.sort((a, b) => `${a.target}/${a.outcome}`.localeCompare(`${b.target}/${b.outcome}`)),
      [
        { server: 'everything', method: 'tools/call', target: 'echo', outcome: 'error', value: 1 },
        { server: 'everything', method: 'tools/call', target: 'echo', outcome: 'ok', value: 1 },
        { server: 'everything', method: 'resources/read', target: 'test://static', outcome: 'ok', value: 1 },
      ],
    );

    const duration = metricIn(push.body, METRIC_NAMES.callDuration)!;
    assert.equal(duration.unit, 's');
    const echo = duration.histogram!.dataPoints.find((point) => attributesOf(point).target === 'echo')!;
    assert.deepEqual(attributesOf(echo), { server: 'everything', method: 'tools/call', target: 'echo' });
    assert.equal(Number(echo.count), 2);
    assert.ok(Math.abs(echo.sum! - 0.703) < 1e-9);
    assert.deepEqual(echo.explicitBounds, CALL_DURATION_BUCKETS);

    const restarts = metricIn(push.body, METRIC_NAMES.restarts)!;
    assert.deepEqual(
      restarts.sum!.dataPoints.map((p) => [attributesOf(p).server, Number(p.asDouble ?? p.asInt)]),
      [['everything', 1]],
    );
    const state = metricIn(push.body, METRIC_NAMES.serverState)!;
    const current = state.gauge!.dataPoints.filter((p) => Number(p.asDouble ?? p.asInt) === 1).map(attributesOf);
    assert.deepEqual(current, [{ server: 'everything', state: 'degraded' }]);
    assert.equal(state.gauge!.dataPoints.length, 8);
    const sessions = metricIn(push.body, METRIC_NAMES.sessions)!;
    assert.equal(Number(sessions.gauge!.dataPoints[0].asDouble ?? sessions.gauge!.dataPoints[0].asInt), 5);
    const instances = metricIn(push.body, METRIC_NAMES.instances)!;
    assert.equal(Number(instances.gauge!.dataPoints[0].asDouble ?? instances.gauge!.dataPoints[0].asInt), 1);

    assert.ok(!JSON.stringify(push.body).includes('resource/3'));
    assert.ok(!JSON.stringify(push.body).includes('ping took'));
  });

  it('pushes again by itself at the configured interval, cumulatively', async () => {
    const metrics = await start('1s');
    metrics.observer.callFinished({
      ...AT,
      server: 'memory',
      method: 'tools/call',
      target: 'read_graph',
      outcome: 'ok',
      seconds: 0.002,
    });
    await receiver.waitFor(1);
    metrics.observer.callFinished({
      ...AT,
      server: 'memory',
      method: 'tools/call',
      target: 'read_graph',
      outcome: 'ok',
      seconds: 0.002,
    });
    await receiver.waitFor(3);
    const latest = receiver.received[receiver.received.length - 1].body;
    const point = metricIn(latest, METRIC_NAMES.calls)!.sum!.dataPoints[0];
    assert.equal(Number(point.asDouble ?? point.asInt), 2);
  }).timeout(20_000);

  it('pushes what is left when the daemon stops', async () => {
    const metrics = await start('60s');
    metrics.observer.callFinished({
      ...AT,
      server: 'memory',
      method: 'prompts/get',
      target: 'summary',
      outcome: 'ok',
      seconds: 0.01,
    });
    await metrics.close();
    service = undefined;
    assert.equal(receiver.received.length, 1);
    const point = metricIn(receiver.received[0].body, METRIC_NAMES.calls)!.sum!.dataPoints[0];
    assert.deepEqual(attributesOf(point), {
      server: 'memory',
      method: 'prompts/get',
      target: 'summary',
      outcome: 'ok',
    });
  });

  it("sends only the layers' headers, not OTEL_EXPORTER_OTLP_HEADERS inherited from the client that started the daemon", async () => {
    process.env.OTEL_EXPORTER_OTLP_HEADERS = 'x-claude-code-collector=other-collector-secret';
    process.env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT = 'http://127.0.0.1:9/elsewhere';
    try {
      const metrics = await start('60s', { 'X-Team': 'platform' });
      metrics.observer.restarted({ ...AT, server: 'memory', reason: 'crashed' });
      await metrics.flush();
      await receiver.waitFor(1);
    } finally {
      delete process.env.OTEL_EXPORTER_OTLP_HEADERS;
      delete process.env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT;
    }
    const { headers } = receiver.received[0];
    assert.equal(headers['x-claude-code-collector'], undefined);
    assert.equal(headers['x-team'], 'platform');
  });

  it('logs a refused push once per attempt, without the header values', async () => {
    receiver.status = 401;
    const metrics = await start('60s');
    metrics.observer.restarted({ ...AT, server: 'memory', reason: 'crashed' });
    await metrics.flush().catch(() => undefined);
    await receiver.waitFor(1);
    assert.equal(logged.length, 1, logged.join('\n'));
    assert.match(logged[0], /^OTLP metrics export failed: /);
    assert.ok(!logged[0].includes(COLLECTOR_TOKEN));
  });

  it('appends /v1/metrics to a collector endpoint as OTEL_EXPORTER_OTLP_ENDPOINT does, and keeps a full URL', () => {
    assert.equal(otlpMetricsUrl('http://collector:4318'), 'http://collector:4318/v1/metrics');
    assert.equal(otlpMetricsUrl('https://otel.example.com/otlp/'), 'https://otel.example.com/otlp/v1/metrics');
    assert.equal(otlpMetricsUrl('http://collector:4318/v1/metrics'), 'http://collector:4318/v1/metrics');
  });
});
