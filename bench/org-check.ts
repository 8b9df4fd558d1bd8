/**
 * The editor's periodic org layer check of a monorepo: 10 projects drawing the same org repository and ref, served
 * by `git daemon` on loopback, with nothing new (what every check but the one after a commit costs). A round finds
 * the projects (`findProjects`) and checks them sharing one `git ls-remote` per repository and ref; its peer is the
 * same round with one `git ls-remote` per project (what the check did before). Interleaved runs; medians.
 */
import { join } from 'node:path';
import { fetchSources, findProjects, systemGit, type GitRunner } from '@claude-env/engine';
import { OrgUpdateChecker } from '../extension/src/orgUpdates/checker';
import { isolatedEnv } from '../test/helpers/env';
import { gitTempFolder, OrgRepo, orgLayers, startGitDaemon } from '../test/helpers/gitRepos';
import { writeFile } from '../test/helpers/workspace';
import { median, numberArgument, report, runMain } from './stats';

const RUNS = numberArgument('runs', 15);
const PROJECTS = numberArgument('projects', 10);

async function main(): Promise<void> {
  const root = gitTempFolder('claude-env-bench-org-check-');
  const org = new OrgRepo(root);
  org.commit(orgLayers('model-a'));
  const daemon = await startGitDaemon(root);
  try {
    const env = isolatedEnv(join(root, 'home'));
    const system = systemGit({ env });
    let lsRemote = 0;
    const git: GitRunner = {
      run: (args, options) => {
        if (args[0] === 'ls-remote') lsRemote++;
        return system.run(args, options);
      },
    };
    const monorepo = join(root, 'monorepo');
    const source = `source:\n  git: ${daemon.url('org.git')}\n  ref: main\n  path: claude-env\n`;
    for (let i = 0; i < PROJECTS; i++) {
      const project = join(monorepo, 'packages', `p${i}`);
      writeFile(join(project, '.claude-env', 'project.yaml'), `version: 1\n${source}teams: [web]\n`);
      const fetched = await fetchSources({ workspace: project, env, git });
      if (fetched.diagnostics.length > 0) throw new Error(JSON.stringify(fetched.diagnostics));
    }
    const checker = new OrgUpdateChecker({ git, env });
    const shared = async () => checker.checkAll((await findProjects(monorepo)).projects);
    const each = async () => {
      for (const project of (await findProjects(monorepo)).projects) await checker.check(project);
    };
    const times = { shared: [] as number[], each: [] as number[] };
    const requests = { shared: 0, each: 0 };
    for (let run = 0; run < RUNS; run++) {
      const sides: (keyof typeof times)[] = run % 2 === 0 ? ['shared', 'each'] : ['each', 'shared'];
      for (const side of sides) {
        const before = lsRemote;
        const started = process.hrtime.bigint();
        await (side === 'shared' ? shared() : each());
        times[side].push(Number(process.hrtime.bigint() - started) / 1e6);
        requests[side] = lsRemote - before;
      }
    }
    const results = {
      projects: PROJECTS,
      runs: RUNS,
      sharedMs: median(times.shared),
      perProjectMs: median(times.each),
      ratio: Number((median(times.shared) / median(times.each)).toFixed(3)),
      lsRemotePerRound: requests,
    };
    report(
      'org-check',
      `Org layer check of ${PROJECTS} projects on one source, nothing new (median of ${RUNS})`,
      [
        ['one git ls-remote per repository and ref', `${results.sharedMs.toFixed(1)} ms (${requests.shared} request)`],
        ['one git ls-remote per project (peer)', `${results.perProjectMs.toFixed(1)} ms (${requests.each} requests)`],
        ['ratio', `${results.ratio}×`],
      ],
      results,
    );
  } finally {
    await daemon.stop();
  }
}

runMain(main);
