import { strict as assert } from 'node:assert';
import { ResponseError } from 'vscode-languageserver-protocol/node';
import { lspSession, LOCAL } from '../helpers/lspSession';

/**
 * Every request the server answers, sent with params a careless or hostile client might send: `null`, nothing
 * where a field belongs, the wrong type, a negative position. Each is answered with InvalidParams (-32602) naming
 * the field, never an internal error and never an empty answer that hides the mistake; and the server keeps
 * answering afterwards.
 */

const INVALID_PARAMS = -32602;
const DOC = { uri: 'file:///nowhere/.claude-env/local.yaml' };
const POSITION = { line: 0, character: 0 };

/** Per method: malformed params and the field the error must name. */
const CASES: { method: string; bad: [params: unknown, names: RegExp][] }[] = [
  ...['textDocument/hover', 'textDocument/completion', 'textDocument/definition'].map((method) => ({
    method,
    bad: [
      [null, /./],
      [{}, /params\.textDocument is missing/],
      [{ textDocument: 5, position: POSITION }, /params\.textDocument must be an object/],
      [{ textDocument: { uri: 7 }, position: POSITION }, /params\.textDocument\.uri must be a string/],
      [{ textDocument: DOC }, /params\.position is missing/],
      [{ textDocument: DOC, position: { line: -1, character: 0 } }, /params\.position\.line must be a non-negative/],
      [{ textDocument: DOC, position: { line: 0, character: '3' } }, /params\.position\.character must be/],
    ] as [unknown, RegExp][],
  })),
  ...['textDocument/codeLens', 'textDocument/documentSymbol'].map((method) => ({
    method,
    bad: [
      [null, /./],
      [{}, /params\.textDocument is missing/],
      [{ textDocument: null }, /params\.textDocument must be an object/],
      [{ textDocument: { uri: ['x'] } }, /params\.textDocument\.uri must be a string/],
    ] as [unknown, RegExp][],
  })),
  {
    method: 'textDocument/codeAction',
    bad: [
      [null, /./],
      [{ textDocument: DOC }, /params\.range is missing/],
      [
        { textDocument: DOC, range: { start: POSITION }, context: { diagnostics: [] } },
        /params\.range\.end is missing/,
      ],
      [{ textDocument: DOC, range: { start: POSITION, end: POSITION } }, /params\.context is missing/],
      [
        { textDocument: DOC, range: { start: POSITION, end: POSITION }, context: { diagnostics: {} } },
        /params\.context\.diagnostics must be an array/,
      ],
    ],
  },
  ...['claudeEnv/effectiveEnvironment', 'claudeEnv/layerStack'].map((method) => ({
    method,
    bad: [
      [null, /params must be an object/],
      [{}, /params\.uri is missing/],
      [{ uri: 42 }, /params\.uri must be a string/],
      [{ uri: { href: 'file:///x' } }, /params\.uri must be a string/],
    ] as [unknown, RegExp][],
  })),
  {
    method: 'claudeEnv/explain',
    bad: [
      [null, /params must be an object/],
      [{ path: 'settings.model' }, /params\.uri is missing/],
      [{ uri: DOC.uri }, /params\.path is missing/],
      [{ uri: DOC.uri, path: ['settings', 'model'] }, /params\.path must be a string/],
    ],
  },
];

describe('LSP requests with malformed params', function () {
  const session = lspSession(this, { stopAfter: 'suite' });

  before(async () => {
    await session.start();
  });

  for (const { method, bad } of CASES) {
    for (const [params, names] of bad) {
      it(`${method} with ${JSON.stringify(params)} is answered with InvalidParams`, async () => {
        const answer = await session.client.request(method, params).then(
          (result) => ({ result }),
          (error: unknown) => ({ error }),
        );
        assert.ok('error' in answer, `${method} answered ${JSON.stringify(answer)}`);
        const error = answer.error as ResponseError<unknown>;
        assert.equal(error.code, INVALID_PARAMS, error.message);
        assert.match(error.message, names);
      });
    }
  }

  it('claudeEnv/workspaces takes no params: null and {} are answered', async () => {
    for (const params of [null, {}]) {
      const result = await session.client.request<{ workspaces: unknown[] }>('claudeEnv/workspaces', params);
      assert.equal(result.workspaces.length, 1);
    }
  });

  it('drops malformed notifications and keeps answering well-formed requests', async () => {
    const { client, tree } = session;
    for (const [method, params] of [
      ['textDocument/didOpen', null],
      ['textDocument/didOpen', { textDocument: { uri: 5 } }],
      ['textDocument/didChange', { textDocument: DOC }],
      ['textDocument/didClose', {}],
      ['workspace/didChangeWatchedFiles', { changes: 'all' }],
      ['claudeEnv/secretNames', { names: null }],
    ] as const) {
      await client.connection.sendNotification(method, params);
    }
    const uri = tree.uri(LOCAL);
    await client.open(uri, tree.text(LOCAL));
    const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 2, character: 3 },
    });
    assert.match(hover?.contents.value ?? '', /claude-haiku-4-5/);
  });
});
