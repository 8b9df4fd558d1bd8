/**
 * How long the dev container feature's install.sh takes in a real Debian bookworm root, run the way the
 * devcontainer CLI runs it: with Node.js already in the image (the common case, no network), and once on a bare
 * image where it installs Node.js and npm from Debian (dominated by apt). Medians; saved to
 * bench/results/feature-install.json. Needs root, like the feature tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DebianRoot, type RootVariant } from '../test/feature/debianRoot';
import { installFeature, packagedFeature } from '../test/feature/featureInstall';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Seconds of one install.sh run (env files, install, removal of the feature folder) in a fresh root. */
function installOnce(variant: RootVariant, archive: string, offline: boolean): number {
  const root = DebianRoot.create(variant);
  try {
    const user = root.run('useradd --create-home --uid 1000 dev');
    if (user.status !== 0) throw new Error(user.output);
    const started = process.hrtime.bigint();
    const installed = installFeature(root, archive, { remoteUser: 'dev', offline });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (installed.status !== 0) throw new Error(`install failed:\n${installed.output}`);
    return seconds;
  } finally {
    root.dispose();
  }
}

const archive = packagedFeature();
// Builds and unpacks the cached roots before anything is timed.
DebianRoot.create('node').dispose();
DebianRoot.create('minbase').dispose();

const withNode = Array.from({ length: RUNS }, () => installOnce('node', archive, true));
const bare = installOnce('minbase', archive, false);

const results = {
  date: new Date().toISOString(),
  runs: RUNS,
  withNodeMedianSeconds: Number(median(withNode).toFixed(3)),
  withNodeSeconds: withNode.map((s) => Number(s.toFixed(3))),
  bareDebianSeconds: Number(bare.toFixed(3)),
};
console.log(`install.sh with Node.js present (offline): median ${results.withNodeMedianSeconds} s over ${RUNS} runs`);
console.log(`install.sh on bare Debian bookworm (apt installs nodejs and npm): ${results.bareDebianSeconds} s`);
const dir = join(__dirname, 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'feature-install.json'), `${JSON.stringify(results, null, 2)}\n`);
