/**
 * `npm run bench`: runs every benchmark one after another (never in parallel: the machine has two cores and
 * parallel runs would measure each other). Each writes its figures to bench/results/<name>.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const BENCHMARKS = [
  'engine',
  'git-sources',
  'org-check',
  'lsp',
  'lsp-memory',
  'supervisor',
  'gateway',
  'gateway-view',
  'health',
  'feature-install',
  'usage',
];
const only = process.argv.slice(2);
let failed = 0;
for (const name of BENCHMARKS) {
  if (only.length > 0 && !only.includes(name)) continue;
  const file = join(__dirname, `${name}.ts`);
  if (!existsSync(file)) continue;
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.error(`benchmark ${name} failed (exit ${result.status ?? result.signal})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
