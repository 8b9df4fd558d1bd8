/**
 * What a language server holds after hostile documents: each of the large or deep documents of the hostile-input
 * tests (300,000 keys in 4.4 MB, one 4 MB flow-mapping line, 10,000-deep maps, 100,000-deep lists) is opened as
 * the local layer, its diagnostics awaited, then closed. Reported per server: the time to the first diagnostics of
 * each document, the peak resident memory (VmHWM) and the resident memory once every document is closed (VmRSS),
 * claude-env's server against yaml-language-server given the same documents and the layer schema, through the same
 * LSP client. Linux only (/proc).
 *
 *   node --import tsx bench/lsp-memory.ts [--rounds 3]
 *
 * Rounds open and close every document again: memory that grows from round to round is memory kept per document.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  DidChangeConfigurationNotification,
  DidCloseTextDocumentNotification,
} from 'vscode-languageserver-protocol/node';
import { LARGE_DOCUMENTS, memoryOf } from '../test/helpers/hostileLayers';
import { LspClient } from '../test/helpers/lspClient';
import { REPO_ROOT } from '../test/helpers/paths';
import { markedTree } from '../test/helpers/workspace';

const YAML_LS = join(REPO_ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
const SCHEMA_URI = pathToFileURL(join(REPO_ROOT, 'schemas', 'layer.schema.json')).href;
const LOCAL = 'repo/.claude-env/local.yaml';

interface ServerRun {
  server: string;
  startMiB: number;
  firstDiagnosticsMs: Record<string, number | 'none within 60 s'>;
  peakMiB: number;
  /** After each round, every document closed. */
  retainedMiB: number[];
  /** The document the server published nothing for within 60 s (it was stopped there). */
  gaveUpAt?: string;
}

async function startServer(name: string, repo: string, configHome: string): Promise<LspClient> {
  const env = { ...process.env, XDG_CONFIG_HOME: configHome };
  if (name === 'claude-env') return LspClient.start({ folders: [repo], env, initializationOptions: {} });
  const settings = {
    schemas: { [SCHEMA_URI]: ['.claude-env/*.yaml'] },
    validate: true,
    schemaStore: { enable: false },
  };
  const client = await LspClient.start({
    command: [process.execPath, YAML_LS, '--stdio'],
    folders: [repo],
    env,
    configuration: (section) => (section === 'yaml' ? settings : section === 'http' ? {} : null),
  });
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { yaml: settings } });
  return client;
}

async function measure(server: string, rounds: number): Promise<ServerRun> {
  const tree = markedTree({
    'repo/.claude-env/project.yaml': 'version: 1\nsettings:\n  model: claude-sonnet-4-5\n',
    [LOCAL]: 'version: 1\n',
  });
  const configHome = realpathSync(mkdtempSync(join(tmpdir(), 'claude-env-bench-config-')));
  const client = await startServer(server, tree.path('repo'), configHome);
  const uri = tree.uri(LOCAL);
  const run: ServerRun = {
    server,
    startMiB: memoryOf(client.pid!).rssMiB,
    firstDiagnosticsMs: {},
    peakMiB: 0,
    retainedMiB: [],
  };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const document of LARGE_DOCUMENTS) {
        const text = document.text();
        const started = performance.now();
        // Handled at once: a busy server reads the 4 MB `didOpen` late, so the wait may end before `open` returns.
        const published = client
          .waitForDiagnostics(uri, (diagnostics) => diagnostics.length > 0, 60_000)
          .then(
            () => Math.round(performance.now() - started),
            () => 'none within 60 s' as const,
          );
        // A server still busy with the document does not read the next message: the open is not awaited.
        void client.open(uri, text);
        const answered = await published;
        if (round === 0) run.firstDiagnosticsMs[document.name] = answered;
        process.stdout.write(`  ${document.name}: ${answered} ms, ${memoryOf(client.pid!).rssMiB} MiB\n`);
        if (answered === 'none within 60 s') {
          // Still working on it: what it holds now is what it retains; the remaining documents are not tried.
          run.gaveUpAt = document.name;
          run.retainedMiB.push(memoryOf(client.pid!).rssMiB);
          run.peakMiB = memoryOf(client.pid!).peakMiB;
          await client.kill();
          return run;
        }
        // The close is answered by a publish from the file on disk (claude-env) or an empty one (yaml-ls).
        const reset = client.waitForNextPublish(uri, 60_000).catch(() => undefined);
        await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
        client.diagnostics.delete(uri);
        await reset;
      }
      run.retainedMiB.push(memoryOf(client.pid!).rssMiB);
    }
    run.peakMiB = memoryOf(client.pid!).peakMiB;
    return run;
  } finally {
    if (!run.gaveUpAt) await client.stop();
    tree.dispose();
    rmSync(configHome, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const roundsAt = argv.indexOf('--rounds');
  const rounds = roundsAt >= 0 ? Number(argv[roundsAt + 1]) : 3;
  const runs: ServerRun[] = [];
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
  for (const server of ['claude-env', 'yaml-language-server'].filter((name) => !only || name === only)) {
    process.stdout.write(`measuring ${server}…\n`);
    runs.push(await measure(server, rounds));
  }
  const [ours, peer] = runs;
  const table = runs.map((run) => ({
    server: run.server,
    'start (MiB)': run.startMiB,
    'peak (MiB)': run.peakMiB,
    'retained per round (MiB)': run.retainedMiB.join(' → ') + (run.gaveUpAt ? ` (stopped at ${run.gaveUpAt})` : ''),
    ...Object.fromEntries(Object.entries(run.firstDiagnosticsMs).map(([name, ms]) => [`${name} (ms)`, ms])),
  }));
  console.table(table);
  const ratios =
    ours && peer
      ? {
          peak: Math.round((ours.peakMiB / peer.peakMiB) * 100) / 100,
          retained: Math.round((ours.retainedMiB.at(-1)! / peer.retainedMiB.at(-1)!) * 100) / 100,
        }
      : undefined;
  if (ratios) console.log(`claude-env / yaml-language-server: peak ${ratios.peak}×, retained ${ratios.retained}×`);
  const report = {
    benchmark: 'language server memory after large and deep documents',
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    rounds,
    yamlLanguageServer: execFileSync(process.execPath, [YAML_LS, '--version']).toString().trim(),
    runs,
    ratios,
  };
  const folder = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'lsp-memory-latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${join(folder, 'lsp-memory-latest.json')}`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
