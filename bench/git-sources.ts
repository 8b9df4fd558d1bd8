/**
 * Git sources against their peer, the same stack from a local folder:
 * - `validate` of the example project whose org layers come from a locked git source with a warm cache, against the
 *   same project with `source: { path: … }` (in-process `loadEnvironment`, and the built CLI as a process). Goal ≤ 1.1×.
 * - `update` with nothing new, against a `git daemon` on loopback (in-process and the CLI). Goal under 1 s.
 * Runs are interleaved so that load on the shared machine affects both sides alike; medians are reported.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fetchSources, loadEnvironment, systemGit, updateSources } from '@claude-env/engine';
import { gitTempFolder, OrgRepo, startGitDaemon } from '../test/helpers/gitRepos';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const CLI = join(__dirname, '..', 'dist', 'cli.js');
const EXAMPLES = join(__dirname, '..', 'examples');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Milliseconds per call of `fn`, repeated until a sample spans 20 ms. */
function sample(fn: () => void): number {
  let repeat = 1;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < repeat; i++) fn();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (ms >= 20 || repeat >= 512) return ms / repeat;
    repeat *= 2;
  }
}

function timeMs(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const root = gitTempFolder('claude-env-bench-git-');
  const env = {
    ...process.env,
    HOME: join(root, 'home'),
    XDG_CACHE_HOME: join(root, 'cache'),
    XDG_CONFIG_HOME: join(root, 'config'),
  };
  // The org repository holds the example org layers under claude-env/.
  const org = new OrgRepo(root);
  const files: Record<string, string> = {};
  for (const name of ['base.yaml', 'teams/web.yaml'])
    files[`claude-env/${name}`] = readFileSync(join(EXAMPLES, 'org', name), 'utf8');
  org.commit(files);
  org.tag('v1');
  const daemon = await startGitDaemon(root);
  try {
    const projectText = readFileSync(join(EXAMPLES, 'workspace', '.claude-env', 'project.yaml'), 'utf8');
    const folder = join(root, 'folder', 'app');
    cpSync(join(EXAMPLES, 'workspace'), folder, { recursive: true });
    cpSync(join(EXAMPLES, 'org'), join(root, 'folder', 'org'), { recursive: true });
    const git = join(root, 'git', 'app');
    cpSync(join(EXAMPLES, 'workspace'), git, { recursive: true });
    const gitSource = `source:\n  git: ${daemon.url('org.git')}\n  ref: v1\n  path: claude-env\n`;
    writeFileSync(
      join(git, '.claude-env', 'project.yaml'),
      projectText.replace(/source:\n {2}path: [^\n]+\n/, gitSource),
    );
    const fetched = await fetchSources({ workspace: git, env, git: systemGit({ env }) });
    if (fetched.diagnostics.length > 0) throw new Error(JSON.stringify(fetched.diagnostics));
    const same =
      JSON.stringify(loadEnvironment(git, { env }).value) === JSON.stringify(loadEnvironment(folder, { env }).value);
    if (!same) throw new Error('the git and folder stacks differ');

    const inProcess = { git: [] as number[], folder: [] as number[] };
    // ABBA order: whichever side runs second pays the garbage the first left, so each side goes first half the time.
    for (let run = 0; run < RUNS; run++) {
      const sides = [
        () => inProcess.folder.push(sample(() => loadEnvironment(folder, { env }))),
        () => inProcess.git.push(sample(() => loadEnvironment(git, { env }))),
      ];
      if (run % 2 === 1) sides.reverse();
      for (const side of sides) side();
    }
    const cli = { git: [] as number[], folder: [] as number[] };
    const validate = (cwd: string) => () => {
      const result = spawnSync(process.execPath, [CLI, 'validate', '--no-secrets'], { cwd, env, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(result.stdout + result.stderr);
    };
    for (let run = 0; run < RUNS; run++) {
      const sides = [() => cli.folder.push(timeMs(validate(folder))), () => cli.git.push(timeMs(validate(git)))];
      if (run % 2 === 1) sides.reverse();
      for (const side of sides) side();
    }
    const update = { engine: [] as number[], cli: [] as number[] };
    for (let run = 0; run < RUNS; run++) {
      update.engine.push(await timeAsync(() => updateSources({ workspace: git, env, git: systemGit({ env }) })));
      update.cli.push(timeMs(() => execFileSync(process.execPath, [CLI, 'update'], { cwd: git, env, stdio: 'pipe' })));
    }
    const rows = [
      {
        case: 'validate in-process (loadEnvironment)',
        gitMs: median(inProcess.git),
        folderMs: median(inProcess.folder),
      },
      { case: 'validate CLI process', gitMs: median(cli.git), folderMs: median(cli.folder) },
    ].map((row) => ({ ...row, ratio: Number((row.gitMs / row.folderMs).toFixed(3)), goal: '≤ 1.1' }));
    const updates = [
      {
        case: 'update, nothing new (engine, git daemon on loopback)',
        medianMs: median(update.engine),
        goal: '< 1000 ms',
      },
      { case: 'update, nothing new (CLI process)', medianMs: median(update.cli), goal: '< 1000 ms' },
    ];
    for (const row of rows) {
      console.log(
        `${row.case}: git ${row.gitMs.toFixed(2)} ms, folder ${row.folderMs.toFixed(2)} ms, ratio ${row.ratio} (goal ${row.goal})`,
      );
    }
    for (const row of updates) console.log(`${row.case}: ${row.medianMs.toFixed(1)} ms (goal ${row.goal})`);
    const resultsDir = join(__dirname, 'results');
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'git-sources.json'), JSON.stringify({ runs: RUNS, rows, updates }, null, 2) + '\n');
  } finally {
    await daemon.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
