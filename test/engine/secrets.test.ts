import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChainSecretProvider,
  EnvironmentSecretProvider,
  Redactor,
  SecretsFileProvider,
  defaultSecretProvider,
  defaultSecretsFile,
  findReferences,
  mapReferences,
  resolveServer,
  resolveString,
  scanReferences,
  secretVariableName,
  type SecretProvider,
} from '../../engine/src/secrets';
import { DEFAULT_SUPERVISION, type ServerDefinition } from '../../engine/src/types';

function server(overrides: Partial<ServerDefinition>): ServerDefinition {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return {
    name: 'demo',
    type: 'stdio',
    command: 'node',
    supervision: DEFAULT_SUPERVISION,
    origin: { kind: 'project', label: 'project', file: '/p.yaml', keyRange: range, range, value: {} },
    ...overrides,
  };
}

/** A provider holding fixed secrets, for tests that are about resolution rather than where secrets live. */
function fixedSecrets(values: Record<string, string>): SecretProvider {
  return {
    get: async (name) => values[name],
    describe: () => 'test secrets',
    hint: (name) => `add ${name} to the test secrets`,
  };
}

describe('secret references', () => {
  it('finds each reference kind with its offsets and default', () => {
    const text = 'a ${env:HOME} b ${env:PORT:-8080} ${secret:magic-api-key} ${file:~/.token}';
    const refs = findReferences(text);
    assert.deepEqual(
      refs.map((ref) => [ref.kind, ref.raw, text.slice(ref.start, ref.end)]),
      [
        ['env', '${env:HOME}', '${env:HOME}'],
        ['env', '${env:PORT:-8080}', '${env:PORT:-8080}'],
        ['secret', '${secret:magic-api-key}', '${secret:magic-api-key}'],
        ['file', '${file:~/.token}', '${file:~/.token}'],
      ],
    );
    assert.equal(refs[0].kind === 'env' && refs[0].defaultValue, undefined);
    assert.equal(refs[1].kind === 'env' && refs[1].defaultValue, '8080');
  });

  it('keeps an empty default distinct from no default', () => {
    const [ref] = findReferences('${env:CONTEXT7_API_KEY:-}');
    assert.equal(ref.kind, 'env');
    assert.equal(ref.kind === 'env' && ref.defaultValue, '');
  });

  it('treats $${ as a literal ${ and not as a reference', () => {
    assert.deepEqual(findReferences('echo $${HOME} $${env:X}'), []);
    assert.deepEqual(scanReferences('echo $${HOME}').malformed, []);
    assert.equal(
      mapReferences('echo $${HOME} ${env:A}', () => 'x'),
      'echo ${HOME} x',
    );
  });

  it('reports malformed references instead of throwing', () => {
    const cases: Array<[string, RegExp]> = [
      ['${foo}', /no kind/],
      ['${env:}', /names no variable/],
      ['${env:1BAD}', /invalid variable name/],
      ['${secret:}', /names no secret/],
      ['${file:}', /names no file/],
      ['${vault:x}', /unknown kind `vault`/],
      ['abc ${env:HOME', /not closed/],
    ];
    for (const [text, reason] of cases) {
      const scan = scanReferences(text);
      assert.equal(scan.references.length, 0, text);
      assert.equal(scan.malformed.length, 1, text);
      assert.match(scan.malformed[0].reason, reason, text);
      assert.equal(text.slice(scan.malformed[0].start, scan.malformed[0].end), scan.malformed[0].raw);
    }
  });
});

describe('secret providers', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'claude-env-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads CLAUDE_ENV_SECRET_<NAME> with the name upper-cased and punctuation turned into _', async () => {
    assert.equal(secretVariableName('magic-api-key'), 'CLAUDE_ENV_SECRET_MAGIC_API_KEY');
    assert.equal(secretVariableName('gh.token'), 'CLAUDE_ENV_SECRET_GH_TOKEN');
    const provider = new EnvironmentSecretProvider({ CLAUDE_ENV_SECRET_MAGIC_API_KEY: 'm-123' });
    assert.equal(await provider.get('magic-api-key'), 'm-123');
    assert.equal(await provider.get('other'), undefined);
  });

  it('reads name=value lines of the secrets file, skipping comments and blank lines', async () => {
    const file = join(dir, 'secrets.env');
    writeFileSync(file, '# team keys\n\nmagic-api-key = abc123\nquoted="with spaces"\n', { mode: 0o600 });
    chmodSync(file, 0o600);
    const provider = new SecretsFileProvider(file);
    assert.equal(await provider.get('magic-api-key'), 'abc123');
    assert.equal(await provider.get('quoted'), 'with spaces');
    assert.equal(await provider.get('# team keys'), undefined);
    assert.deepEqual(await provider.check(), []);
  });

  it('warns about a secrets file readable by others, naming the file and chmod 600', async () => {
    const file = join(dir, 'secrets.env');
    writeFileSync(file, 'a=b\n');
    chmodSync(file, 0o644);
    const [warning] = await new SecretsFileProvider(file).check();
    assert.equal(warning.code, 'secret.filePermissions');
    assert.equal(warning.severity, 'warning');
    assert.equal(warning.file, file);
    assert.ok(warning.message.includes(file));
    assert.ok(warning.message.includes(`chmod 600 ${file}`));
    // Still read: refusing would push people to commit the key instead.
    assert.equal(await new SecretsFileProvider(file).get('a'), 'b');
  });

  it('reports lines of the secrets file that are not name=value', async () => {
    const file = join(dir, 'secrets.env');
    writeFileSync(file, 'good=1\njust-a-word\n', { mode: 0o600 });
    chmodSync(file, 0o600);
    const diagnostics = await new SecretsFileProvider(file).check();
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line]),
      [['secret.fileSyntax', 1]],
    );
  });

  it('has no secrets and no complaints when the secrets file does not exist', async () => {
    const provider = new SecretsFileProvider(join(dir, 'missing.env'));
    assert.equal(await provider.get('x'), undefined);
    assert.deepEqual(await provider.check(), []);
  });

  it('places the secrets file under XDG_CONFIG_HOME, or ~/.config by default', () => {
    assert.equal(defaultSecretsFile({ XDG_CONFIG_HOME: '/xdg' }, '/home/u'), join('/xdg', 'claude-env', 'secrets.env'));
    assert.equal(defaultSecretsFile({}, '/home/u'), join('/home/u', '.config', 'claude-env', 'secrets.env'));
  });

  it('asks providers in order, the environment before the file', async () => {
    const config = join(dir, 'config');
    mkdirSync(join(config, 'claude-env'), { recursive: true });
    writeFileSync(join(config, 'claude-env', 'secrets.env'), 'both=from-file\nonly-file=f\n', { mode: 0o600 });
    chmodSync(join(config, 'claude-env', 'secrets.env'), 0o600);
    const chain = defaultSecretProvider({ XDG_CONFIG_HOME: config, CLAUDE_ENV_SECRET_BOTH: 'from-env' }, dir);
    assert.equal(await chain.get('both'), 'from-env');
    assert.equal(await chain.get('only-file'), 'f');
    assert.equal(await chain.get('none'), undefined);
    assert.match(chain.hint('none'), /CLAUDE_ENV_SECRET_NONE.*none=…/);
  });

  it('combines the checks of every provider in a chain', async () => {
    const file = join(dir, 'loose.env');
    writeFileSync(file, 'a=b\n');
    chmodSync(file, 0o640);
    const chain = new ChainSecretProvider([new EnvironmentSecretProvider({}), new SecretsFileProvider(file)]);
    assert.deepEqual(
      (await chain.check()).map((d) => d.code),
      ['secret.filePermissions'],
    );
  });
});

describe('resolving references', () => {
  let workspace: string;
  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'claude-env-resolve-'));
  });
  afterEach(() => rmSync(workspace, { recursive: true, force: true }));

  it('resolves env, defaults, secrets and files, and lists the secret values', async () => {
    mkdirSync(join(workspace, 'keys'));
    writeFileSync(join(workspace, 'keys', 'token'), 'file-token-1\n');
    const ctx = {
      workspace,
      secrets: fixedSecrets({ k: 'secret-value' }),
      environment: { USER_NAME: 'ada', EMPTY: '' },
    };
    const outcome = await resolveString(
      '${env:USER_NAME}/${env:EMPTY:-dflt}/${env:MISSING:-d2}/${secret:k}/${file:keys/token}',
      ctx,
    );
    assert.equal(outcome.value, 'ada/dflt/d2/secret-value/file-token-1');
    assert.deepEqual(outcome.problems, []);
    // Defaults are written in the file, so they are not secrets.
    assert.deepEqual(outcome.secretValues.sort(), ['ada', 'file-token-1', 'secret-value']);
  });

  it('expands ~/ in file references and trims exactly one trailing newline', async () => {
    const home = join(workspace, 'home');
    mkdirSync(home);
    writeFileSync(join(home, '.tok'), 'two-lines\n\n');
    const outcome = await resolveString('${file:~/.tok}', { workspace, secrets: fixedSecrets({}), home });
    assert.equal(outcome.value, 'two-lines\n');
  });

  it('resolves a server in memory with an absolute cwd (the workspace by default)', async () => {
    const ctx = { workspace, secrets: fixedSecrets({ 'magic-api-key': 'mk-42' }), environment: { REGION: 'eu' } };
    const { server: resolved, errors } = await resolveServer(
      server({
        args: ['--region', '${env:REGION}'],
        env: { API_KEY: '${secret:magic-api-key}' },
        headers: { 'X-Region': '${env:REGION}' },
      }),
      ctx,
    );
    assert.deepEqual(errors, []);
    assert.ok(resolved);
    assert.deepEqual(resolved.args, ['--region', 'eu']);
    // Also under the name `.mcp.json` uses, so the server sees what Claude Code would give it.
    assert.deepEqual(resolved.env, { API_KEY: 'mk-42', MAGIC_API_KEY: 'mk-42' });
    assert.deepEqual(resolved.headers, { 'X-Region': 'eu' });
    assert.equal(resolved.cwd, workspace);
    assert.deepEqual(resolved.secretValues.sort(), ['eu', 'mk-42']);

    const sub = await resolveServer(server({ cwd: 'tools/${env:REGION}' }), ctx);
    assert.equal(sub.server?.cwd, join(workspace, 'tools', 'eu'));
  });

  it('exports file references under their variable too, but never over a variable the server sets itself', async () => {
    writeFileSync(join(workspace, 'gh.txt'), 'gh-value\n');
    const outcome = await resolveServer(
      server({ args: ['--token', '${file:gh.txt}'], env: { MAGIC_API_KEY: 'mine', K: '${secret:magic-api-key}' } }),
      { workspace, secrets: fixedSecrets({ 'magic-api-key': 'from-secret' }) },
    );
    assert.deepEqual(outcome.server?.env, { MAGIC_API_KEY: 'mine', K: 'from-secret', FILE_GH_TXT: 'gh-value' });
  });

  it('refuses a server with a required reference missing and names the reference and how to set it', async () => {
    const provider = new ChainSecretProvider([
      new EnvironmentSecretProvider({}),
      new SecretsFileProvider('/nowhere/secrets.env'),
    ]);
    const outcome = await resolveServer(
      server({ name: 'magic', env: { API_KEY: '${secret:magic-api-key}', OK: '${env:X:-fine}' }, url: '${env:NOPE}' }),
      { workspace, secrets: provider, environment: {} },
    );
    assert.equal(outcome.server, undefined);
    assert.equal(outcome.errors.length, 2);
    assert.match(
      outcome.errors[0],
      /^magic: env\.API_KEY: `\$\{secret:magic-api-key\}` is not set: set the environment variable CLAUDE_ENV_SECRET_MAGIC_API_KEY/,
    );
    assert.match(outcome.errors[0], /`magic-api-key=…` to \/nowhere\/secrets\.env \(chmod 600\)/);
    assert.match(outcome.errors[1], /^magic: url: `\$\{env:NOPE\}` is not set: export NOPE/);
  });

  it('refuses a server whose file reference points nowhere, naming the path', async () => {
    const outcome = await resolveServer(server({ env: { T: '${file:missing.txt}' } }), {
      workspace,
      secrets: fixedSecrets({}),
    });
    assert.equal(outcome.server, undefined);
    assert.ok(outcome.errors[0].includes(join(workspace, 'missing.txt')));
    assert.match(outcome.errors[0], /does not exist/);
  });

  it('refuses a server with a malformed reference', async () => {
    const outcome = await resolveServer(server({ args: ['${oops}'] }), { workspace, secrets: fixedSecrets({}) });
    assert.equal(outcome.server, undefined);
    assert.match(outcome.errors[0], /^demo: args\.0: `\$\{oops\}` has no kind/);
  });

  it('keeps the values it did resolve redactable when another reference fails', async () => {
    const outcome = await resolveServer(server({ env: { A: '${secret:a}', B: '${secret:b}' } }), {
      workspace,
      secrets: fixedSecrets({ a: 'value-of-a' }),
    });
    assert.equal(outcome.server, undefined);
    assert.deepEqual(outcome.secretValues, ['value-of-a']);
  });

  it('lists a credential written in clear among the values to redact, so an echoing server cannot show it', async () => {
    const literal = `sk-ant-${'a1B2c3D4e5F6g7H8'.repeat(2)}`;
    const outcome = await resolveServer(server({ env: { API_KEY: literal, MODE: 'fast' } }), {
      workspace,
      secrets: fixedSecrets({}),
    });
    assert.deepEqual(outcome.server?.secretValues, [literal]);
  });
});

describe('Redactor', () => {
  it('replaces every occurrence of each registered value with ***', () => {
    const redactor = new Redactor(['s3cr3t-token']);
    assert.equal(redactor.redact('a s3cr3t-token b s3cr3t-token'), 'a *** b ***');
  });

  it('hides the longer of two overlapping values as a whole', () => {
    const redactor = new Redactor(['abcd', 'abcdefgh']);
    assert.equal(redactor.redact('x abcdefgh y abcd'), 'x *** y ***');
  });

  it('ignores values shorter than four characters', () => {
    const redactor = new Redactor(['abc', '1']);
    assert.equal(redactor.size, 0);
    assert.equal(redactor.redact('abc 1'), 'abc 1');
  });

  it('also hides the JSON-escaped form of a value', () => {
    const redactor = new Redactor(['pa"ss\\word']);
    assert.equal(redactor.redact(JSON.stringify({ key: 'pa"ss\\word' })), '{"key":"***"}');
  });

  it('hides a value JSON-escaped twice, as a log record holding a JSON string prints it', () => {
    const redactor = new Redactor(['pa"ss\\word']);
    const record = JSON.stringify({ message: JSON.stringify({ key: 'pa"ss\\word' }) });
    assert.equal(redactor.redact(record), '{"message":"{\\"key\\":\\"***\\"}"}');
  });

  it('hides the URL-encoded forms of a value: component, form body and whole URL', () => {
    const secret = 'p@ss w/rd&k=v';
    const redactor = new Redactor([secret]);
    assert.equal(redactor.redact(`GET /cb?token=${encodeURIComponent(secret)}&x=1`), 'GET /cb?token=***&x=1');
    const form = new URLSearchParams({ token: secret }).toString();
    assert.equal(redactor.redact(`body ${form}`), 'body token=***');
    assert.equal(redactor.redact(encodeURI(`https://h/${secret}`)), 'https://h/***');
  });

  it('hides the base64 of a value at any offset inside a longer encoded text, standard and URL-safe', () => {
    const secret = 'tok-4f9c2e7b1a6d3c8e5f0a';
    const redactor = new Redactor([secret]);
    for (const prefix of ['', 'u', 'us', 'user:', 'Bearer x ', '{"k":"']) {
      for (const suffix of ['', '"', '"}', '\n']) {
        const encoded = Buffer.from(`${prefix}${secret}${suffix}`).toString('base64');
        for (const text of [encoded, encoded.replace(/\+/g, '-').replace(/\//g, '_')]) {
          const redacted = redactor.redact(`Authorization: Basic ${text}`);
          assert.match(redacted, /\*\*\*/, `${JSON.stringify(prefix)} + secret + ${JSON.stringify(suffix)}`);
          // What is left is the prefix's and suffix's own characters, and at most one mixed character each side.
          const visible = redacted.replace('Authorization: Basic ', '').replace('***', '').replace(/=+$/, '');
          const allowed = Math.ceil((prefix.length * 4) / 3) + Math.ceil((suffix.length * 4) / 3) + 2;
          assert.ok(visible.length <= allowed, `${redacted} keeps too much of the secret`);
        }
      }
    }
  });

  it('hides two secrets that share characters as a whole, leaving no part of either', () => {
    const redactor = new Redactor(['abcd1234', '1234efgh']);
    assert.equal(redactor.redact('key=abcd1234efgh;'), 'key=***;');
  });
});
