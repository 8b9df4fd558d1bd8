/**
 * Git sources against their peer, the same stack from a local folder:
 * - `validate` of the example project whose org layers come from a locked git source with a warm cache, against the
 *   same project with `source: { path: … }` (in-process `loadEnvironment`, and the built CLI as a process). Goal ≤ 1.1×.
 * - `update` with nothing new, against a `git daemon`, against `git http-backend` (smart HTTP, the transport most
 *   organisations use) and against OpenSSH's sshd (a key named in ~/.ssh/config; when run as root, which sshd and
 *   its git user need) on loopback, in-process and the CLI. Goal under 1 s.
 * Runs are interleaved so that load on the shared machine affects both sides alike; medians are reported.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fetchSources, loadEnvironment, systemGit, updateSources } from '@claude-env/engine';
import { startGitHttp } from '../test/helpers/gitHttp';
import { gitTempFolder, OrgRepo, startGitDaemon } from '../test/helpers/gitRepos';
import { sshHome, sshKey, startGitSsh, type GitSshServer } from '../test/helpers/gitSsh';

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

/** Runs the built CLI without blocking this process (the HTTP server answers from it) and times it. */
function timeCli(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`claude-env ${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve(Number(process.hrtime.bigint() - start) / 1e6);
    });
  });
}

async function main(): Promise<void> {
  const root = gitTempFolder('claude-env-bench-git-');
  const env = {
    ...process.env,
    HOME: join(root, 'home'),
    XDG_CACHE_HOME: join(root, 'cache'),
    XDG_CONFIG_HOME: join(root, 'config'),
    SSH_AUTH_SOCK: '',
  };
  // The org repository holds the example org layers under claude-env/.
  const org = new OrgRepo(root);
  const files: Record<string, string> = {};
  for (const name of ['base.yaml', 'teams/web.yaml'])
    files[`claude-env/${name}`] = readFileSync(join(EXAMPLES, 'org', name), 'utf8');
  org.commit(files);
  org.tag('v1');
  const daemon = await startGitDaemon(root);
  const http = await startGitHttp(root);
  const ssh = process.getuid?.() === 0 ? await startGitSsh(root) : undefined;
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
    const overHttp = join(root, 'http', 'app');
    cpSync(join(EXAMPLES, 'workspace'), overHttp, { recursive: true });
    writeFileSync(
      join(overHttp, '.claude-env', 'project.yaml'),
      projectText.replace(/source:\n {2}path: [^\n]+\n/, gitSource.replace(daemon.url('org.git'), http.url('org.git'))),
    );
    const overSsh = ssh
      ? sshProject(root, env.HOME, ssh, projectText, gitSource.replace(daemon.url('org.git'), ssh.url('org.git')))
      : undefined;
    for (const workspace of [git, overHttp, ...(overSsh ? [overSsh] : [])]) {
      const fetched = await fetchSources({ workspace, env, git: systemGit({ env }) });
      if (fetched.diagnostics.length > 0) throw new Error(JSON.stringify(fetched.diagnostics));
    }
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
    const update = {
      engine: [] as number[],
      cli: [] as number[],
      httpEngine: [] as number[],
      httpCli: [] as number[],
      sshEngine: [] as number[],
      sshCli: [] as number[],
    };
    const requestsBefore = http.requests.length;
    for (let run = 0; run < RUNS; run++) {
      update.engine.push(await timeAsync(() => updateSources({ workspace: git, env, git: systemGit({ env }) })));
      update.cli.push(await timeCli(['update'], git, env));
      update.httpEngine.push(
        await timeAsync(() => updateSources({ workspace: overHttp, env, git: systemGit({ env }) })),
      );
      update.httpCli.push(await timeCli(['update'], overHttp, env));
      if (!overSsh) continue;
      update.sshEngine.push(await timeAsync(() => updateSources({ workspace: overSsh, env, git: systemGit({ env }) })));
      update.sshCli.push(await timeCli(['update'], overSsh, env));
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
      { case: 'update, nothing new (CLI process, git daemon)', medianMs: median(update.cli), goal: '< 1000 ms' },
      {
        case: 'update, nothing new (engine, git http-backend on loopback)',
        medianMs: median(update.httpEngine),
        goal: '< 1000 ms',
      },
      {
        case: 'update, nothing new (CLI process, git http-backend)',
        medianMs: median(update.httpCli),
        goal: '< 1000 ms',
      },
      ...(overSsh
        ? [
            {
              case: 'update, nothing new (engine, OpenSSH sshd on loopback)',
              medianMs: median(update.sshEngine),
              goal: '< 1000 ms',
            },
            { case: 'update, nothing new (CLI process, sshd)', medianMs: median(update.sshCli), goal: '< 1000 ms' },
          ]
        : []),
    ];
    for (const row of rows) {
      console.log(
        `${row.case}: git ${row.gitMs.toFixed(2)} ms, folder ${row.folderMs.toFixed(2)} ms, ratio ${row.ratio} (goal ${row.goal})`,
      );
    }
    for (const row of updates) console.log(`${row.case}: ${row.medianMs.toFixed(1)} ms (goal ${row.goal})`);
    const httpRatio = Number((median(update.httpCli) / median(update.cli)).toFixed(3));
    const perUpdate = (http.requests.length - requestsBefore) / (2 * RUNS);
    console.log(`update CLI over HTTP against git daemon: ratio ${httpRatio}; ${perUpdate} HTTP requests per update`);
    const sshRatio = overSsh ? Number((median(update.sshCli) / median(update.cli)).toFixed(3)) : undefined;
    if (sshRatio !== undefined) console.log(`update CLI over SSH against git daemon: ratio ${sshRatio}`);
    else console.log('update over SSH: skipped (sshd and its git user need root)');
    const resultsDir = join(__dirname, 'results');
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(
      join(resultsDir, 'git-sources.json'),
      JSON.stringify({ runs: RUNS, rows, updates, httpRatio, sshRatio }, null, 2) + '\n',
    );
  } finally {
    await daemon.stop();
    await http.stop();
    await ssh?.stop();
  }
}

/** A copy of the example project whose source is `gitSource` over SSH, with a key for it in the home's ssh setup. */
function sshProject(root: string, home: string, ssh: GitSshServer, projectText: string, gitSource: string): string {
  mkdirSync(home, { recursive: true });
  const key = sshKey(root, 'id_bench');
  ssh.authorize(key.publicKey);
  sshHome(home, ssh, { identity: key.privateFile });
  const workspace = join(root, 'ssh', 'app');
  cpSync(join(EXAMPLES, 'workspace'), workspace, { recursive: true });
  writeFileSync(
    join(workspace, '.claude-env', 'project.yaml'),
    projectText.replace(/source:\n {2}path: [^\n]+\n/, gitSource),
  );
  return workspace;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
