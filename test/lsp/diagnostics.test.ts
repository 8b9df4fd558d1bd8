import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import {
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type Diagnostic,
} from 'vscode-languageserver-protocol/node';
import { SecretNamesNotification } from '@claude-env/protocol';
import { withCarets, yaml } from '../helpers/carets';
import { BASE, LOCAL, lspSession, startOnOrg, TEAM, type ServerFixture } from '../helpers/lspSession';
import { escapeControl } from '../../engine/src/printable';
import { HOSTILE_TEXT, rawControls } from '../helpers/hostileText';

const withCode = (code: string) => (diagnostics: Diagnostic[]) =>
  diagnostics.some((diagnostic) => diagnostic.code === code);

describe('LSP diagnostics', function () {
  const session = lspSession(this);

  it(
    "reports a locked key overridden in the local buffer at the override's line, with the base lock " +
      'as related information, and clears it when fixed',
    async () => {
      await session.start({
        [BASE]: yaml`
        version: 1
        settings:
          permissions:
            defaultMode: default
        policy:
          locked:
            - |settings.permissions.defaultMode|
      `,
      });
      const { client, tree } = session;
      const local = tree.uri(LOCAL);
      await client.open(local, tree.text(LOCAL));
      await client.waitForDiagnostics(local, (diagnostics) => !withCode('policy.lockedKey')(diagnostics));

      const edited = yaml`
      version: 1
      settings:
        permissions:
          |defaultMode|: plan
    `;
      const { text, carets } = withCarets(edited);
      await client.change(local, text);
      const diagnostics = await client.waitForDiagnostics(local, withCode('policy.lockedKey'));
      const lock = diagnostics.find((diagnostic) => diagnostic.code === 'policy.lockedKey')!;
      assert.equal(lock.severity, DiagnosticSeverity.Error);
      assert.deepEqual(lock.range, { start: carets[0], end: carets[1] });
      assert.equal(lock.relatedInformation?.length, 1);
      const related = lock.relatedInformation![0];
      assert.equal(related.location.uri, tree.uri(BASE));
      const [lockStart, lockEnd] = tree.carets(BASE);
      assert.deepEqual(related.location.range, { start: lockStart, end: lockEnd });

      await client.change(local, tree.text(LOCAL));
      await client.waitForDiagnostics(local, (found) => !withCode('policy.lockedKey')(found));
    },
  );

  it(
    'publishes errors in unopened local and team files when a lock is added to the base buffer, and ' +
      'clears them when it is removed',
    async () => {
      await session.start();
      const { client, tree } = session;
      const base = tree.uri(BASE);
      await client.open(base, tree.text(BASE));
      await client.waitForDiagnostics(base, () => true);

      await client.change(
        base,
        tree
          .text(BASE)
          .replace('    - settings.cleanupPeriodDays', '    - settings.cleanupPeriodDays\n    - settings.model'),
      );
      for (const file of [LOCAL, TEAM]) {
        const diagnostics = await client.waitForDiagnostics(tree.uri(file), withCode('policy.lockedKey'));
        const lock = diagnostics.find((diagnostic) => diagnostic.code === 'policy.lockedKey')!;
        assert.equal(
          lock.range.start.line,
          tree
            .text(file)
            .split('\n')
            .findIndex((line) => line.includes('model:')),
        );
        assert.equal(lock.relatedInformation?.[0].location.uri, base);
      }

      await client.change(base, tree.text(BASE));
      await client.waitForDiagnostics(tree.uri(LOCAL), (diagnostics) => !withCode('policy.lockedKey')(diagnostics));
    },
  );

  it('reports a syntax error at its line and a schema error at the offending value', async () => {
    await session.start();
    const { client, tree } = session;
    const local = tree.uri(LOCAL);
    await client.open(local, tree.text(LOCAL));
    const { text, carets } = withCarets(yaml`
      version: 1
      settings:
        cleanupPeriodDays: |"soon"|
    `);
    await client.change(local, text);
    const diagnostics = await client.waitForDiagnostics(local, withCode('schema.type'));
    const typeError = diagnostics.find((diagnostic) => diagnostic.code === 'schema.type')!;
    assert.deepEqual(typeError.range, { start: carets[0], end: carets[1] });

    await client.change(local, 'version: 1\nsettings:\n  model: [unclosed\n');
    const syntax = await client.waitForDiagnostics(local, withCode('syntax.invalid'));
    assert.ok(syntax.every((diagnostic) => diagnostic.source === 'claude-env'));
  });

  it('warns when a stdio server command is not on PATH, at the command value', async () => {
    await session.start();
    const { client, tree } = session;
    const local = tree.uri(LOCAL);
    await client.open(local, tree.text(LOCAL));
    const { text, carets } = withCarets(yaml`
      version: 1
      mcpServers:
        context7:
          command: |claude-env-no-such-binary|
    `);
    await client.change(local, text);
    const diagnostics = await client.waitForDiagnostics(local, withCode('server.commandNotFound'));
    const missing = diagnostics.find((diagnostic) => diagnostic.code === 'server.commandNotFound')!;
    assert.equal(missing.severity, DiagnosticSeverity.Warning);
    assert.deepEqual(missing.range, { start: carets[0], end: carets[1] });
  });

  it('warns when a stdio server runs in a folder that does not exist, at the cwd value', async () => {
    await session.start();
    const { client, tree } = session;
    const local = tree.uri(LOCAL);
    await client.open(local, tree.text(LOCAL));
    const { text, carets } = withCarets(yaml`
      version: 1
      mcpServers:
        context7:
          cwd: |tools/missing|
    `);
    await client.change(local, text);
    const diagnostics = await client.waitForDiagnostics(local, withCode('server.cwdMissing'));
    const missing = diagnostics.find((diagnostic) => diagnostic.code === 'server.cwdMissing')!;
    assert.equal(missing.severity, DiagnosticSeverity.Warning);
    assert.deepEqual(missing.range, { start: carets[0], end: carets[1] });
    await client.change(local, text.replace('tools/missing', '.claude-env'));
    await client.waitForDiagnostics(local, (found) => !withCode('server.cwdMissing')(found));
  });

  it('warns about a literal API key with a quick fix that replaces it by a secret reference', async () => {
    await session.start();
    const { client, tree } = session;
    const local = tree.uri(LOCAL);
    await client.open(local, tree.text(LOCAL));
    const { text, carets } = withCarets(yaml`
      version: 1
      mcpServers:
        context7:
          env:
            CONTEXT7_API_KEY: |sk-ant-api03-Zq8xV2mN4pL7rT1wY6uB9cE3fH5jK0sD|
    `);
    await client.change(local, text);
    const diagnostics = await client.waitForDiagnostics(local, withCode('secret.literal'));
    const literal = diagnostics.find((diagnostic) => diagnostic.code === 'secret.literal')!;
    assert.equal(literal.severity, DiagnosticSeverity.Warning);
    assert.deepEqual(literal.range, { start: carets[0], end: carets[1] });

    const actions = await client.request<
      { title: string; edit: { changes: Record<string, { newText: string; range: unknown }[]> } }[]
    >('textDocument/codeAction', {
      textDocument: { uri: local },
      range: literal.range,
      context: { diagnostics: [literal] },
    });
    const fix = actions.find((action) => action.title.includes('${secret:'));
    assert.ok(fix, `no secret quick fix in ${JSON.stringify(actions)}`);
    const [change] = fix.edit.changes[local];
    assert.match(change.newText, /^"\$\{secret:[a-z0-9-]+\}"$/);
    assert.deepEqual(change.range, literal.range);
  });
});

describe('LSP diagnostics from outside the editor', function () {
  const session = lspSession(this);

  it('re-checks the stack when a layer file changes on disk and reports it in the files it affects', async () => {
    await session.start();
    const { client, tree } = session;
    writeFileSync(tree.path(LOCAL), 'version: 1\nsettings:\n  cleanupPeriodDays: 1\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: tree.uri(LOCAL), type: FileChangeType.Changed }],
    });
    const diagnostics = await client.waitForDiagnostics(tree.uri(LOCAL), withCode('policy.lockedKey'));
    assert.equal(diagnostics.find((diagnostic) => diagnostic.code === 'policy.lockedKey')?.range.start.line, 2);
  });

  it('reports an unresolved secret reference until the editor says it holds that secret', async () => {
    await session.start();
    const { client, tree } = session;
    const local = tree.uri(LOCAL);
    await client.open(local, 'version: 1\nmcpServers:\n  context7:\n    env:\n      TOKEN: ${secret:context7-token}\n');
    const diagnostics = await client.waitForDiagnostics(local, withCode('secret.unresolved'));
    assert.equal(diagnostics.find((diagnostic) => diagnostic.code === 'secret.unresolved')?.range.start.line, 4);
    await client.connection.sendNotification(SecretNamesNotification.method, { names: ['context7-token'] });
    await client.waitForDiagnostics(local, (found) => !withCode('secret.unresolved')(found));
  });
});

describe('LSP diagnostics of a hostile repository', function () {
  this.timeout(20_000);
  let fixture: ServerFixture;

  afterEach(async () => {
    await fixture?.dispose();
  });

  it('publishes messages that quote a hostile key with its control characters escaped', async () => {
    fixture = await startOnOrg();
    const { client, tree } = fixture;
    const local = tree.uri(LOCAL);
    const keys = HOSTILE_TEXT.map(({ text }, i) => `model${i}${text}`);
    const document = ['version: 1', 'settings:', ...keys.map((key) => `  ${JSON.stringify(key)}: x`), ''].join('\n');
    await client.open(local, document);
    const diagnostics = await client.waitForDiagnostics(
      local,
      (found) => found.filter((diagnostic) => diagnostic.code === 'schema.unknownSetting').length >= keys.length,
    );
    const messages = diagnostics.map((diagnostic) => String(diagnostic.message));
    for (const message of messages) assert.deepEqual(rawControls(message), [], message);
    for (const key of keys)
      assert.ok(
        messages.some((message) => message.includes(escapeControl(key))),
        key,
      );
  });
});
