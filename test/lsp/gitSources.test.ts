import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol/node';
import type { Hover, Location, MarkupContent } from 'vscode-languageserver-protocol/node';
import { fetchSources, systemGit } from '@claude-env/engine';
import { LayerStackRequest, type LayerStackResult } from '@claude-env/protocol';
import { yaml } from '../helpers/carets';
import { gitTempFolder, OrgRepo } from '../helpers/gitRepos';
import { LOCAL, lspSession, PROJECT } from '../helpers/lspSession';
import { writeFile } from '../helpers/workspace';

const ORG_BASE = yaml`
  version: 1
  settings:
    cleanupPeriodDays: 30
    model: claude-sonnet-4-5
`;

describe('LSP with a git source', function () {
  const session = lspSession(this);
  let cache: string;
  let checkoutBase: string;
  let project: string;
  let lock: string;
  let commit: string;
  let org: OrgRepo;

  before(async function () {
    this.timeout(60_000);
    const root = gitTempFolder();
    org = new OrgRepo(root);
    commit = org.commit({ 'claude-env/base.yaml': ORG_BASE, 'claude-env/teams/web.yaml': 'version: 1\n' });
    project = `version: 1\nsource:\n  git: ${org.bare}\n  ref: main\n  path: claude-env\n`;
    // The lock and the cache are made as `claude-env fetch` makes them, then the server reads them offline.
    const pinned = join(root, 'pinned');
    writeFile(join(pinned, '.claude-env', 'project.yaml'), project);
    cache = join(root, 'cache');
    const report = await fetchSources({
      workspace: pinned,
      env: { HOME: root, XDG_CACHE_HOME: cache },
      git: systemGit(),
    });
    assert.deepEqual(report.diagnostics, []);
    lock = readFileSync(join(pinned, '.claude-env', 'lock.yaml'), 'utf8');
    checkoutBase = join(report.sources[0].dir!, 'base.yaml');
  });

  const start = () =>
    session.start(
      {
        [PROJECT]: project,
        'repo/.claude-env/lock.yaml': lock,
        [LOCAL]: yaml`
          version: 1
          settings:
            mo|del: claude-haiku-4-5
        `,
      },
      { XDG_CACHE_HOME: cache },
    );

  it('jumps from an overriding key to the line of the cached org file', async () => {
    await start();
    const { client, tree } = session;
    await client.open(tree.uri(LOCAL), tree.text(LOCAL));
    const locations = await client.request<Location[] | null>('textDocument/definition', {
      textDocument: { uri: tree.uri(LOCAL) },
      position: tree.carets(LOCAL)[0],
    });
    assert.deepEqual(
      locations?.map((location) => [location.uri, location.range.start.line]),
      [[pathToFileURL(checkoutBase).href, 3]],
    );
  });

  it('gives the Layers view the source and locked commit of each org layer, and none to the project', async () => {
    await start();
    const { client, tree } = session;
    const stack = await client.request<LayerStackResult>(LayerStackRequest.method, { uri: tree.uri(PROJECT) });
    const rows = stack.layers.map((layer) => [layer.label, layer.gitSource?.commit, layer.gitSource?.ref]);
    assert.deepEqual(rows.slice(0, 2), [
      ['base', commit, 'main'],
      ['project', undefined, undefined],
    ]);
    assert.equal(stack.layers[0]?.gitSource?.url, org.bare);
  });

  it('hovers with the cached org file and line of the overridden value', async () => {
    await start();
    const { client, tree } = session;
    await client.open(tree.uri(LOCAL), tree.text(LOCAL));
    const hover = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: tree.uri(LOCAL) },
      position: tree.carets(LOCAL)[0],
    });
    const text = (hover?.contents as MarkupContent).value;
    assert.match(text, /Overrides `claude-sonnet-4-5` from \*\*base\*\* at \[[^\]]*base\.yaml:4\]/);
    assert.ok(text.includes(pathToFileURL(checkoutBase).href), text);
  });

  it('reports a missing cache entry at the source, naming claude-env fetch', async () => {
    await session.start(
      { [PROJECT]: project, 'repo/.claude-env/lock.yaml': lock },
      { XDG_CACHE_HOME: join(cache, 'none') },
    );
    const { client, tree } = session;
    await client.open(tree.uri(PROJECT), tree.text(PROJECT));
    const diagnostics = await client.waitForDiagnostics(tree.uri(PROJECT), (found) => found.length > 0);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line]),
      [['stack.gitNotFetched', 2]],
    );
    assert.match(String(diagnostics[0].message), /run 'claude-env fetch'/);
  });

  it('finds the checkout once claude-env fetch puts it in the cache', async () => {
    const emptyCache = join(gitTempFolder(), 'cache');
    await session.start({ [PROJECT]: project, 'repo/.claude-env/lock.yaml': lock }, { XDG_CACHE_HOME: emptyCache });
    const { client, tree } = session;
    await client.open(tree.uri(PROJECT), tree.text(PROJECT));
    await client.waitForDiagnostics(tree.uri(PROJECT), (found) => found.some((d) => d.code === 'stack.gitNotFetched'));
    const report = await fetchSources({
      workspace: tree.path('repo'),
      env: { HOME: emptyCache, XDG_CACHE_HOME: emptyCache },
      git: systemGit(),
    });
    assert.equal(report.sources[0].action, 'fetched');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(report.sources[0].dir!).href, type: FileChangeType.Created }],
    });
    await client.waitForDiagnostics(tree.uri(PROJECT), (found) => found.length === 0);
  });
});
