import { strict as assert } from 'node:assert';
import {
  EffectiveEnvironmentRequest,
  ExplainRequest,
  LayerStackRequest,
  StackChangedNotification,
  WorkspacesRequest,
  type EffectiveEnvironmentResult,
  type ExplainResult,
  type LayerStackResult,
  type StackChangedParams,
  type WorkspacesResult,
} from '@claude-env/protocol';
import { yaml } from '../helpers/carets';
import { BASE, LOCAL, lspSession, PROJECT, TEAM } from '../helpers/lspSession';
import { MASKED_VALUE } from '../../language-server/src/secretMask';

describe('claudeEnv/ custom requests', function () {
  const session = lspSession(this);

  it('returns the effective environment with JSON provenance, reflecting an unsaved buffer', async () => {
    await session.start();
    const { client, tree } = session;
    await client.open(
      tree.uri(LOCAL),
      yaml`
      version: 1
      settings:
        model: claude-opus-4-1-unsaved
    `,
    );
    const result = await client.request<EffectiveEnvironmentResult>(EffectiveEnvironmentRequest.method, {
      uri: tree.uri('repo'),
    });
    assert.equal(result.workspace, tree.path('repo'));
    assert.equal(result.value.settings.model, 'claude-opus-4-1-unsaved');
    const model = result.tree.children?.settings.children?.model;
    assert.ok(model);
    assert.equal(model.origin.kind, 'local');
    assert.equal(model.origin.uri, tree.uri(LOCAL));
    assert.deepEqual(
      model.overridden.map((origin) => origin.label),
      ['team web', 'base'],
    );
    assert.deepEqual(
      result.servers.map((server) => server.name),
      ['context7'],
    );
    assert.deepEqual(
      result.tree.children?.settings.children?.permissions.children?.allow.itemOrigins?.map((origin) => origin.kind),
      ['team', 'project'],
    );
    assert.deepEqual(
      result.tree.children?.settings.contributors?.map((origin) => origin.kind),
      ['team', 'project', 'local'],
    );
  });

  it('explains a dotted path with the file and line that set it', async () => {
    await session.start();
    const { client, tree } = session;
    const result = await client.request<ExplainResult>(ExplainRequest.method, {
      uri: tree.uri(PROJECT),
      path: 'settings.model',
    });
    assert.equal(result.found, true);
    assert.equal(result.node?.value, 'claude-haiku-4-5');
    assert.equal(result.text.split('\n')[1], '  set by local at .claude-env/local.yaml:3');
    const missing = await client.request<ExplainResult>(ExplainRequest.method, {
      uri: tree.uri(PROJECT),
      path: 'settings.nope',
    });
    assert.equal(missing.found, false);
  });

  it('lists the layer stack with each file’s state and problem count', async () => {
    await session.start();
    const { client, tree } = session;
    await client.open(tree.uri(LOCAL), 'version: 1\nsettings:\n  cleanupPeriodDays: 7\n');
    const result = await client.request<LayerStackResult>(LayerStackRequest.method, { uri: tree.uri(LOCAL) });
    assert.deepEqual(
      result.layers.map((layer) => [layer.kind, layer.file, layer.state, layer.openInEditor, layer.problems.errors]),
      [
        ['base', tree.path(BASE), 'ok', false, 0],
        ['team', tree.path(TEAM), 'ok', false, 0],
        ['project', tree.path(PROJECT), 'ok', false, 0],
        ['local', tree.path(LOCAL), 'invalid', true, 1],
      ],
    );
    assert.equal(result.problems.errors, 1);
  });

  it('reads the user layer from the folder the client names', async () => {
    await session.start(
      { 'home/claude-env/user.yaml': 'version: 1\nsettings:\n  outputStyle: terse\n' },
      {},
      (tree) => ({
        userConfigDir: tree.path('home/claude-env'),
      }),
    );
    const { client, tree } = session;
    const result = await client.request<LayerStackResult>(LayerStackRequest.method, { uri: tree.uri(PROJECT) });
    assert.deepEqual(
      result.layers.map((layer) => layer.kind),
      ['base', 'team', 'project', 'user', 'local'],
    );
    assert.equal(result.layers[3].file, tree.path('home/claude-env/user.yaml'));
  });

  it('lists the workspaces under the editor folders and notifies when a stack changes', async () => {
    await session.start();
    const { client, tree } = session;
    const list = await client.request<WorkspacesResult>(WorkspacesRequest.method, {});
    assert.deepEqual(
      list.workspaces.map((workspace) => workspace.workspace),
      [tree.path('repo')],
    );

    await client.open(tree.uri(LOCAL), tree.text(LOCAL));
    await client.change(tree.uri(LOCAL), 'version: 1\nsettings:\n  cleanupPeriodDays: 7\n');
    const last = await client.waitForNotification<StackChangedParams>(
      StackChangedNotification.method,
      (params) => params.problems.errors > 0,
    );
    assert.equal(last.workspace, tree.path('repo'));
    assert.deepEqual(last.changedFiles, [tree.path(LOCAL)]);
    assert.equal(last.problems.errors, 1);
  });

  it('masks literal credentials in the effective environment and in explanations, as hover does', async () => {
    // Built at run time so that no scanner mistakes the fixture for a leaked key.
    const anthropic = `sk-ant-${'a1B2c3D4e5F6g7H8'.repeat(2)}`;
    const github = `ghp_${'Zx9Yw8Vu7Ts6Rq5Po4Nm'.repeat(2)}`;
    const bearer = `${'Qk7Lm2Np9Rs4Tv6Wx8Yz3Ab5Cd1Ef'}`;
    const overridden = `sk-ant-${'z9Y8x7W6v5U4t3S2'.repeat(2)}`;
    await session.start({
      [PROJECT]: [
        'version: 1',
        'source:',
        '  path: ../../org',
        'settings:',
        '  env:',
        `    ANTHROPIC_API_KEY: ${overridden}`,
        '    REFERENCE: ${secret:team-token}',
        'mcpServers:',
        '  leaky:',
        '    command: node',
        `    args: ["--token", "${github}"]`,
        '    env:',
        `      API_KEY: ${anthropic}`,
        '  remote:',
        '    type: http',
        '    url: https://mcp.example.com/mcp',
        '    headers:',
        `      Authorization: Bearer ${bearer}`,
        '',
      ].join('\n'),
      [LOCAL]: `version: 1\nsettings:\n  env:\n    ANTHROPIC_API_KEY: ${anthropic}\n`,
    });
    const { client, tree } = session;
    const result = await client.request<EffectiveEnvironmentResult>(EffectiveEnvironmentRequest.method, {
      uri: tree.uri('repo'),
    });
    const explained = await client.request<ExplainResult>(ExplainRequest.method, {
      uri: tree.uri(PROJECT),
      path: 'settings.env.ANTHROPIC_API_KEY',
    });
    for (const [what, answer] of [
      ['effectiveEnvironment', result],
      ['explain', explained],
    ] as const) {
      const text = JSON.stringify(answer);
      for (const literal of [anthropic, github, bearer, overridden]) {
        assert.ok(!text.includes(literal), `${what} returned ${literal.slice(0, 8)}… in clear`);
      }
      assert.ok(text.includes(MASKED_VALUE), what);
    }
    const env = result.value.settings.env as Record<string, string>;
    assert.equal(env.ANTHROPIC_API_KEY, MASKED_VALUE);
    assert.equal(env.REFERENCE, '${secret:team-token}', 'references stay as written');
    const leaky = result.servers.find((server) => server.name === 'leaky');
    assert.deepEqual(leaky?.args, ['--token', MASKED_VALUE]);
    assert.equal(leaky?.command, 'node');
    assert.equal(leaky?.env?.API_KEY, MASKED_VALUE);
    assert.equal(explained.node?.overridden[0]?.value, MASKED_VALUE);
    assert.match(explained.text, /^settings\.env\.ANTHROPIC_API_KEY = •••••• \(literal credential hidden\)$/m);
  });
});
