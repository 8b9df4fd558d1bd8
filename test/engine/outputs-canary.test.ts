import { strict as assert } from 'node:assert';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan, diffOutputs, planApply, renderOutputs } from '../../engine/src/outputs';
import {
  ChainSecretProvider,
  EnvironmentSecretProvider,
  Redactor,
  SecretsFileProvider,
  checkSecrets,
  claudeCodeVariables,
  resolveServer,
} from '../../engine/src/secrets';
import { exampleWorkspace, type ExampleWorkspace } from '../helpers/examples';

// Distinct values per source, so a leak names its path through the engine.
const CANARY = {
  environment: 'canary-env-secret-7f3a9c1e5b',
  secretsFile: 'canary-file-secret-2d8e4b6a0c',
  fileReference: 'canary-token-file-9b1d3f5e7a',
  variable: 'canary-variable-4c6e8a0b2d',
};

describe('resolved secrets never reach written files', () => {
  let example: ExampleWorkspace;
  afterEach(() => example.dispose());

  it('keeps canary values out of every rendered file, diff, diagnostic, state and backup', async () => {
    example = exampleWorkspace({
      '.claude-env/project.yaml': [
        'version: 1',
        'source:',
        '  path: ../../org',
        'teams: [web]',
        'outputs:',
        '  claudeSettings: both',
        '  vscodeMcpJson: true',
        'settings:',
        '  env:',
        '    SHARED_TOKEN: ${secret:shared-token}',
        'mcpServers:',
        '  everything:',
        '    command: npx',
        '    args: ["-y", "@modelcontextprotocol/server-everything", "--token=${file:keys/token.txt}"]',
        '    env:',
        '      FROM_ENV: ${env:CANARY_VARIABLE}',
        '      SHARED: ${secret:shared-token}',
        '',
      ].join('\n'),
      'keys/token.txt': `${CANARY.fileReference}\n`,
    });
    const secretsFile = join(example.root, 'user', 'secrets.env');
    writeFileSync(secretsFile, `shared-token=${CANARY.secretsFile}\n`);
    chmodSync(secretsFile, 0o600);
    const ctx = {
      workspace: example.workspace,
      secrets: new ChainSecretProvider([
        new EnvironmentSecretProvider({ CLAUDE_ENV_SECRET_MAGIC_API_KEY: CANARY.environment }),
        new SecretsFileProvider(secretsFile),
      ]),
      environment: { CANARY_VARIABLE: CANARY.variable },
    };
    const env = example.load();

    // The canaries are really reachable: the spawned servers get them.
    const magic = await resolveServer(
      env.servers.find((server) => server.name === 'magic')!,
      ctx,
    );
    assert.equal(magic.server?.env.API_KEY, CANARY.environment);
    const everything = await resolveServer(
      env.servers.find((server) => server.name === 'everything')!,
      ctx,
    );
    assert.equal(everything.server?.args[2], `--token=${CANARY.fileReference}`);
    assert.deepEqual(everything.server?.env, {
      FROM_ENV: CANARY.variable,
      SHARED: CANARY.secretsFile,
      FILE_KEYS_TOKEN_TXT: CANARY.fileReference,
      SHARED_TOKEN: CANARY.secretsFile,
    });

    const diagnostics = await checkSecrets(env, ctx);
    const outputs = renderOutputs(env);
    // Apply once, then force over a hand edit so that state and a backup exist too.
    await applyPlan(await planApply(example.workspace, outputs));
    example.write('.mcp.json', '{"edited": true}\n');
    const plan = await planApply(example.workspace, outputs);
    const diff = diffOutputs(plan);
    const result = await applyPlan(plan, { force: true });
    assert.ok(result.targets.some((target) => target.backup));

    const written = example
      .files()
      .filter((file) => file.startsWith('workspace/') && file !== 'workspace/keys/token.txt')
      .map((file) => [file, readFileSync(join(example.root, file), 'utf8')]);
    assert.ok(written.some(([file]) => file === 'workspace/.claude/settings.json'));
    const haystacks: Array<[string, string]> = [
      ...outputs.map((output): [string, string] => [`rendered ${output.path}`, output.content]),
      ...written.map(([file, text]): [string, string] => [`written ${file}`, text]),
      ['diff', diff],
      ['diagnostics', JSON.stringify(diagnostics)],
      ['apply result', JSON.stringify(result)],
    ];
    for (const [where, text] of haystacks) {
      for (const canary of Object.values(CANARY))
        assert.equal(text.includes(canary), false, `${canary} leaked into ${where}`);
    }
    // What the files hold instead: references in each target's syntax.
    assert.match(example.read('.mcp.json'), /"API_KEY": "\$\{MAGIC_API_KEY\}"/);
    assert.match(example.read('.vscode/mcp.json'), /"API_KEY": "\$\{input:magic-api-key\}"/);
  });

  it('redacts every resolved value from a log line', async () => {
    example = exampleWorkspace();
    const env = example.load();
    const magic = await resolveServer(
      env.servers.find((server) => server.name === 'magic')!,
      {
        workspace: example.workspace,
        secrets: new EnvironmentSecretProvider({ CLAUDE_ENV_SECRET_MAGIC_API_KEY: CANARY.environment }),
      },
    );
    const redactor = new Redactor(magic.secretValues);
    const line = `spawn npx with API_KEY=${CANARY.environment} {"key":"${CANARY.environment}"}`;
    assert.equal(redactor.redact(line), 'spawn npx with API_KEY=*** {"key":"***"}');
  });
});

describe('claudeCodeVariables', () => {
  let example: ExampleWorkspace;
  afterEach(() => example.dispose());

  it('gives the variables that .mcp.json and the settings name for secrets and files, skipping refused servers', async () => {
    example = exampleWorkspace({
      '.claude-env/local.yaml': [
        'version: 1',
        'settings:',
        '  env:',
        '    GH: ${file:~/.gh-token}',
        'mcpServers:',
        '  scraper-unvetted:',
        '    command: npx',
        '    env:',
        '      KEY: ${secret:never-needed}',
        '',
      ].join('\n'),
    });
    writeFileSync(join(example.root, 'user', '.gh-token'), 'gh-123\n');
    const { variables, problems } = await claudeCodeVariables(example.load(), {
      workspace: example.workspace,
      secrets: new EnvironmentSecretProvider({ CLAUDE_ENV_SECRET_MAGIC_API_KEY: 'mk-1' }),
      home: join(example.root, 'user'),
    });
    assert.deepEqual(variables, { FILE_GH_TOKEN: 'gh-123', MAGIC_API_KEY: 'mk-1' });
    assert.deepEqual(problems, []);
  });

  it('names what it could not resolve', async () => {
    example = exampleWorkspace();
    const { variables, problems } = await claudeCodeVariables(example.load(), {
      workspace: example.workspace,
      secrets: new EnvironmentSecretProvider({}),
    });
    assert.deepEqual(variables, {});
    assert.equal(problems.length, 1);
    assert.match(problems[0], /\$\{secret:magic-api-key\}.*CLAUDE_ENV_SECRET_MAGIC_API_KEY/);
  });
});
