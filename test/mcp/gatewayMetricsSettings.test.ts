import { strict as assert } from 'node:assert';
import { checkSecrets, defaultSecretProvider } from '@claude-env/engine';
import { resolveMetricsSettings } from '../../mcp/src/gateway/metrics';
import { mergeTexts } from '../helpers/stack';

const BASE = `version: 1
gateway:
  metrics:
    otlp:
      endpoint: http://collector.internal:4318
      headers:
        Authorization: Bearer \${secret:otlp-token}
      interval: 15s
policy:
  locked: [gateway.metrics.otlp]
`;

/** The default provider over `CLAUDE_ENV_SECRET_*` variables only (its secrets file is in a home that does not exist). */
const secrets = (values: Record<string, string>) =>
  defaultSecretProvider(
    Object.fromEntries(Object.entries(values).map(([name, value]) => [`CLAUDE_ENV_SECRET_${name}`, value])),
    '/nonexistent-home',
  );

describe('gateway metrics: settings from the layers', () => {
  it('merges a team collector with a personal Prometheus port, and resolves the header secret in memory', async () => {
    const env = mergeTexts([
      { kind: 'base', text: BASE },
      { kind: 'user', text: 'version: 1\ngateway:\n  metrics:\n    prometheus:\n      port: 9464\n' },
    ]);
    assert.deepEqual(
      env.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    const { settings, problems } = await resolveMetricsSettings(env.value.gateway, {
      workspace: '/ws',
      secrets: secrets({ OTLP_TOKEN: 'collector-secret-value' }),
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {
      prometheus: { port: 9464, address: '127.0.0.1' },
      otlp: {
        endpoint: 'http://collector.internal:4318',
        headers: { Authorization: 'Bearer collector-secret-value' },
        intervalMs: 15_000,
      },
      secretValues: ['collector-secret-value'],
    });
  });

  it('lets the base layer lock the collector so that a user layer cannot redirect the push', () => {
    const user = 'version: 1\ngateway:\n  metrics:\n    otlp:\n      endpoint: http://attacker.example:4318\n';
    const env = mergeTexts([
      { kind: 'base', text: BASE },
      { kind: 'user', text: user },
    ]);
    const otlp = (env.value.gateway as { metrics: { otlp: { endpoint: string } } }).metrics.otlp;
    assert.equal(otlp.endpoint, 'http://collector.internal:4318');
    assert.ok(
      env.diagnostics.some((d) => d.severity === 'error' && d.code?.startsWith('policy.') && d.file.includes('user')),
      JSON.stringify(env.diagnostics),
    );
  });

  it('reports a bad port, address or interval at its line through the layer schema', () => {
    const text = `version: 1
gateway:
  metrics:
    prometheus:
      port: 99999
      address: 0.0.0.0
    otlp:
      endpoint: collector:4318
      interval: 10ms
    pushgateway: {}
`;
    const env = mergeTexts([{ kind: 'project', text }]);
    const lines = env.diagnostics.filter((d) => d.code?.startsWith('schema.')).map((d) => d.range.start.line);
    assert.deepEqual([...new Set(lines)].sort(), [4, 5, 7, 8, 9]);
  });

  it('warns about a collector token written in clear, as it does for server headers', async () => {
    const text = `version: 1
gateway:
  metrics:
    otlp:
      endpoint: http://collector:4318
      headers:
        Authorization: Bearer glpat-abcdefghijklmnopqrstuvwx
`;
    const env = mergeTexts([{ kind: 'project', text }]);
    const diagnostics = await checkSecrets(env, { workspace: '/ws', secrets: secrets({}) });
    const literal = diagnostics.find((d) => d.code === 'secret.literal');
    assert.ok(literal, JSON.stringify(diagnostics));
    assert.match(literal.message, /`gateway\.metrics\.otlp\.headers`/);
    assert.equal(literal.range.start.line, 6);
  });

  it('leaves OTLP off with a message naming the reference when the header secret is not set, never a value', async () => {
    const env = mergeTexts([{ kind: 'base', text: BASE }]);
    const diagnostics = await checkSecrets(env, { workspace: '/ws', secrets: secrets({}) });
    assert.ok(diagnostics.some((d) => d.code === 'secret.unresolved' && d.message.includes('otlp-token')));
    const { settings, problems } = await resolveMetricsSettings(env.value.gateway, {
      workspace: '/ws',
      secrets: secrets({}),
    });
    assert.equal(settings.otlp, undefined);
    assert.equal(problems.length, 1);
    assert.match(
      problems[0],
      /^gateway\.metrics\.otlp\.headers\.Authorization: .*\$\{secret:otlp-token\}.* OTLP push is off\.$/,
    );
  });

  it('is off when no layer sets gateway.metrics', async () => {
    const env = mergeTexts([{ kind: 'project', text: 'version: 1\nmcpServers: {}\n' }]);
    assert.equal(env.value.gateway, undefined);
    const { settings, problems } = await resolveMetricsSettings(env.value.gateway, {
      workspace: '/ws',
      secrets: secrets({}),
    });
    assert.deepEqual(settings, { secretValues: [] });
    assert.deepEqual(problems, []);
  });
});
