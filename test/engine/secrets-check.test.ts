import { strict as assert } from 'node:assert';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic, Position } from '@claude-env/engine';
import {
  EnvironmentSecretProvider,
  SecretsFileProvider,
  ChainSecretProvider,
  checkSecrets,
  credentialReason,
  findLiteralSecrets,
  suggestSecretName,
} from '../../engine/src/secrets';
import { exampleWorkspace, type ExampleWorkspace } from '../helpers/examples';

/** Zero-based position of `needle` in `text`. */
function positionOf(text: string, needle: string): Position {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} not found`);
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

const PROJECT = `version: 1
source:
  path: ../../org
teams: [web]
settings:
  env:
    ANTHROPIC_API_KEY: sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz012345
    LOG_DIR: /var/log/storefront
    BUILD_COMMIT: 3f786850e387550fdab836ed7e6dc881de23001b
  permissions:
    allow:
      - Bash(npm run build)
      - Bash(\${env:MISSING_TOOL})
mcpServers:
  everything:
    command: npx
    args: ["-y", "@modelcontextprotocol/server-everything", "\${env:MISSING_ARG}"]
    env:
      TOKEN: \${env:DEFINED}
      OPTIONAL: \${env:UNSET:-}
      BROKEN: \${foo}
      ESCAPED: $\${HOME}
  memory:
    type: http
    url: https://mcp.example.com/mcp
    headers:
      Authorization: Bearer ghp_abcdefghijklmnopqrstuvwxyz0123456789
  scraper-unvetted:
    command: npx
    env:
      KEY: \${secret:never-needed}
      LEAKED: sk-ant-api03-ZZZZZZZZZZZZZZZZZZZZZZZZZZ999
`;

describe('checkSecrets', () => {
  let example: ExampleWorkspace;
  let diagnostics: Diagnostic[];
  const projectFile = (): string => join(example.workspace, '.claude-env', 'project.yaml');
  const find = (code: string, predicate: (d: Diagnostic) => boolean = () => true): Diagnostic[] =>
    diagnostics.filter((d) => d.code === code && predicate(d));

  beforeEach(async () => {
    example = exampleWorkspace({ '.claude-env/project.yaml': PROJECT });
    diagnostics = await checkSecrets(example.load(), {
      workspace: example.workspace,
      secrets: new EnvironmentSecretProvider({}),
      environment: { DEFINED: 'yes' },
    });
  });
  afterEach(() => example.dispose());

  it('reports an unprovided secret at the value that holds it, in the file that wrote it, saying how to provide it', () => {
    const [magic] = find('secret.unresolved', (d) => d.message.includes('magic-api-key'));
    assert.ok(magic);
    const webFile = join(example.root, 'org', 'teams', 'web.yaml');
    assert.equal(magic.file, webFile);
    // Not set on this machine is a warning: the configuration is right, the value is needed when the server starts.
    assert.equal(magic.severity, 'warning');
    const webText = example.read('../org/teams/web.yaml');
    assert.deepEqual(magic.range.start, positionOf(webText, '${secret:magic-api-key}'));
    assert.match(
      magic.message,
      /`\$\{secret:magic-api-key\}` is not set: set the environment variable CLAUDE_ENV_SECRET_MAGIC_API_KEY/,
    );
    assert.deepEqual(magic.data?.path, ['mcpServers', 'magic', 'env', 'API_KEY']);
  });

  it('reports an unset variable in an argument at that argument', () => {
    const [arg] = find('secret.unresolved', (d) => d.message.includes('MISSING_ARG'));
    assert.ok(arg);
    assert.equal(arg.file, projectFile());
    assert.deepEqual(arg.range.start, positionOf(PROJECT, '"${env:MISSING_ARG}"'));
    assert.match(arg.message, /export MISSING_ARG/);
  });

  it('reports a reference in a unioned list at its own item', () => {
    const [item] = find('secret.unresolved', (d) => d.message.includes('MISSING_TOOL'));
    assert.ok(item);
    assert.equal(item.file, projectFile());
    assert.deepEqual(item.range.start, positionOf(PROJECT, 'Bash(${env:MISSING_TOOL})'));
    assert.deepEqual(item.data?.path, ['settings', 'permissions', 'allow', 3]);
  });

  it('accepts references that resolve or have a default, and escaped literals', () => {
    const messages = diagnostics.map((d) => d.message).join('\n');
    assert.equal(messages.includes('DEFINED'), false);
    assert.equal(messages.includes('UNSET'), false);
    assert.equal(messages.includes('HOME'), false);
  });

  it('reports a malformed reference at its value', () => {
    const [broken] = find('secret.malformed');
    assert.ok(broken);
    assert.equal(broken.severity, 'error');
    assert.deepEqual(broken.range.start, positionOf(PROJECT, '${foo}'));
    assert.match(broken.message, /`\$\{foo\}` has no kind/);
  });

  it('skips servers refused by policy', () => {
    assert.equal(
      diagnostics.some((d) => JSON.stringify(d).includes('never-needed')),
      false,
    );
    assert.equal(
      diagnostics.some((d) => JSON.stringify(d.data ?? {}).includes('scraper-unvetted')),
      false,
    );
  });

  it('warns about a key written in clear in settings.env and offers a ${secret:…} name', () => {
    const [literal] = find(
      'secret.literal',
      (d) => (d.data?.path as string[]).join('.') === 'settings.env.ANTHROPIC_API_KEY',
    );
    assert.ok(literal);
    assert.equal(literal.severity, 'warning');
    assert.deepEqual(literal.range.start, positionOf(PROJECT, 'sk-ant-api03'));
    assert.equal(literal.data?.suggestedName, 'anthropic-api-key');
    assert.equal(literal.data?.replacement, '${secret:anthropic-api-key}');
    // The key itself must not travel with the diagnostic.
    assert.equal(JSON.stringify(literal).includes('AbCdEfGh'), false);
  });

  it('warns about a token in a header and keeps the rest of the value in the suggested replacement', () => {
    const [header] = find(
      'secret.literal',
      (d) => (d.data?.path as string[]).join('.') === 'mcpServers.memory.headers.Authorization',
    );
    assert.ok(header);
    assert.match(header.message, /GitHub token/);
    assert.equal(header.data?.suggestedName, 'memory-authorization');
    assert.equal(header.data?.replacement, 'Bearer ${secret:memory-authorization}');
  });

  it('does not warn about paths, words, package names or commit hashes', () => {
    const literalPaths = find('secret.literal').map((d) => (d.data?.path as string[]).join('.'));
    assert.deepEqual(literalPaths.sort(), [
      'mcpServers.memory.headers.Authorization',
      'settings.env.ANTHROPIC_API_KEY',
    ]);
  });

  it('passes on what the secret providers report, such as a secrets file readable by others', async () => {
    const file = join(example.root, 'user', 'secrets.env');
    writeFileSync(file, 'magic-api-key=abc12345\n');
    chmodSync(file, 0o644);
    const found = await checkSecrets(example.load(), {
      workspace: example.workspace,
      secrets: new ChainSecretProvider([new EnvironmentSecretProvider({}), new SecretsFileProvider(file)]),
      environment: { DEFINED: 'yes' },
    });
    assert.deepEqual(
      found.filter((d) => d.code === 'secret.filePermissions').map((d) => d.file),
      [file],
    );
    assert.equal(
      found.some((d) => d.message.includes('magic-api-key') && d.code === 'secret.unresolved'),
      false,
    );
  });
});

describe('literal credential detection', () => {
  it('recognises vendor prefixes', () => {
    for (const token of [
      'sk-ant-api03-AbCdEfGhIjKlMnOpQrSt',
      'sk-proj-AbCdEfGhIjKlMnOpQrSt12',
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'github_pat_11ABCDEFG0123456789_abcdefghij',
      'xoxb-123456789012-abcdefABCDEF',
      'AKIAIOSFODNN7EXAMPLE',
      'glpat-AbCdEfGhIjKlMnOpQrSt',
    ]) {
      assert.ok(credentialReason(token), token);
    }
  });

  it('recognises a long random token, and a shorter one under a key-like name', () => {
    assert.equal(credentialReason('Zx8vQ2mN7pL4kR9tW3yB6cF1hJ5sD0gA'), 'high-entropy token');
    assert.equal(findLiteralSecrets('a8F3kQ9zX2mL7pW4', 'MY_SERVICE_TOKEN').length, 1);
    assert.equal(findLiteralSecrets('a8F3kQ9zX2mL7pW4', 'REGION').length, 0);
    assert.equal(findLiteralSecrets('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'AWS_SECRET_ACCESS_KEY').length, 1);
    assert.equal(
      findLiteralSecrets('https://mcp.example.com/mcp?key=Zx8vQ2mN7pL4kR9tW3yB6cF1hJ5sD0gA', 'url').length,
      1,
    );
  });

  it('leaves ordinary values alone', () => {
    for (const value of [
      'claude-sonnet-4-5',
      '@modelcontextprotocol/server-sequential-thinking',
      '/usr/local/lib/node_modules/some-package/dist/index.js',
      '/home/user/.nvm/versions/node/v20.11.0/bin/node',
      'node_modules/.bin/x1y2z3-server/dist/main3.js',
      'https://mcp.example.com/v1/mcp',
      'sk-learn',
      'AKIA',
      'storefront',
      '1.24.3',
      'Bearer ${secret:gh-token}',
    ]) {
      assert.deepEqual(findLiteralSecrets(value, 'VALUE'), [], value);
    }
  });

  it('suggests kebab-case secret names from the server and key', () => {
    assert.equal(suggestSecretName('magic', 'API_KEY'), 'magic-api-key');
    assert.equal(suggestSecretName('github', 'GITHUB_TOKEN'), 'github-token');
    assert.equal(suggestSecretName(undefined, 'ANTHROPIC_API_KEY'), 'anthropic-api-key');
    assert.equal(suggestSecretName('memory', 'Authorization'), 'memory-authorization');
  });
});
