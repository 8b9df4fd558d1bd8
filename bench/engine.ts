/**
 * Validate + merge of layer stacks against the floor: a plain `yaml` parse plus one compiled ajv validation of
 * the same texts, measured side by side in one run. Medians of several runs; ratios printed and saved.
 */
import Ajv from 'ajv';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { mergeStack, parseLayer, type LayerKind } from '@claude-env/engine';
import layerSchema from '../schemas/layer.schema.json';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function serverYaml(name: string, i: number): string {
  return (
    `  ${name}:\n    command: npx\n    args: ["-y", "@scope/server-${i}", "--port", "${3000 + i}"]\n` +
    `    env:\n      LOG_LEVEL: info\n      TOKEN: \${secret:token-${i % 7}}\n    supervision:\n` +
    `      restart: on-failure\n      startupTimeout: 20s\n`
  );
}

function layerText(layerIndex: number, servers: number, offset: number): string {
  let text =
    `version: 1\nsettings:\n  model: model-${layerIndex}\n  permissions:\n` +
    `    allow: ["Bash(npm run test-${layerIndex}:*)", "Read(src/**)"]\n` +
    `    deny: ["Read(./.env)", "Bash(rm-${layerIndex}:*)"]\n  env:\n` +
    `    LAYER_${layerIndex}: "${layerIndex}"\nmcpServers:\n`;
  for (let i = 0; i < servers; i++) text += serverYaml(`server-${offset + i}`, offset + i);
  // Every layer above the first also overrides a few servers of the layer below.
  if (layerIndex > 0)
    for (let i = 0; i < Math.min(5, servers); i++)
      text += `  server-${offset - servers + i}:\n    args: ["-y", "override-${layerIndex}"]\n`;
  return text;
}

const KINDS: LayerKind[] = ['base', 'team', 'project', 'user', 'local'];
function kindOf(index: number, count: number): LayerKind {
  if (index === 0) return 'base';
  if (index >= count - 2) return KINDS[5 - (count - index)];
  return index < count / 2 ? 'team' : 'project';
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Milliseconds per call, repeating small inputs until a sample spans 20 ms so that one GC pause cannot dominate it. */
function time(fn: () => void, repeat: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < repeat; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1e6 / repeat;
}

function repeatsFor(fn: () => void): number {
  const single = time(fn, 1);
  return Math.max(1, Math.min(200, Math.ceil(20 / Math.max(single, 0.01))));
}

const validate = new Ajv({ allErrors: true, strict: false }).compile(layerSchema);

interface Row {
  case: string;
  lines: number;
  floorMs: number;
  engineMs: number;
  ratio: number;
}

function measure(label: string, texts: string[]): Row {
  const floor = () => {
    for (const text of texts) validate(parseYaml(text));
  };
  const engine = () => {
    const layers = texts.map((text, i) =>
      parseLayer(
        `/bench/layer-${i}.yaml`,
        text,
        texts.length === 1 ? 'project' : kindOf(i, texts.length),
        `layer ${i}`,
      ),
    );
    mergeStack({ workspace: '/bench', layers, diagnostics: [] });
  };
  for (let i = 0; i < 3; i++) {
    floor();
    engine();
  } // warm up both
  const repeat = Math.max(repeatsFor(floor), repeatsFor(engine));
  const floorTimes: number[] = [];
  const engineTimes: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // Alternate the order so that neither side always runs on a warmer heap.
    if (run % 2 === 0) {
      floorTimes.push(time(floor, repeat));
      engineTimes.push(time(engine, repeat));
    } else {
      engineTimes.push(time(engine, repeat));
      floorTimes.push(time(floor, repeat));
    }
  }
  const floorMs = median(floorTimes);
  const engineMs = median(engineTimes);
  const lines = texts.reduce((sum, t) => sum + t.split('\n').length, 0);
  return { case: label, lines, floorMs, engineMs, ratio: engineMs / floorMs };
}

const rows: Row[] = [];
for (const layers of [4, 16]) {
  for (const servers of [10, 100, 1000, 10000]) {
    const perLayer = Math.max(1, Math.floor(servers / layers));
    const texts = Array.from({ length: layers }, (_, i) => layerText(i, perLayer, i * perLayer));
    rows.push(measure(`${layers} layers, ${servers} servers`, texts));
  }
}
for (const targetLines of [1000, 10000, 50000]) {
  const servers = Math.round(targetLines / 9);
  rows.push(measure(`1 file, ~${targetLines} lines`, [layerText(0, servers, 0)]));
}

console.log(`engine validate + merge vs floor (yaml.parse + compiled ajv), median of ${RUNS} runs`);
console.log(
  'case'.padEnd(30) +
    'lines'.padStart(8) +
    'floor ms'.padStart(11) +
    'engine ms'.padStart(11) +
    'ratio'.padStart(8) +
    'µs/line'.padStart(9),
);
for (const row of rows) {
  console.log(
    row.case.padEnd(30) +
      String(row.lines).padStart(8) +
      row.floorMs.toFixed(2).padStart(11) +
      row.engineMs.toFixed(2).padStart(11) +
      row.ratio.toFixed(2).padStart(8) +
      ((row.engineMs * 1000) / row.lines).toFixed(2).padStart(9),
  );
}
const resultsDir = join(__dirname, 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'engine.json'), JSON.stringify({ runs: RUNS, rows }, null, 2) + '\n');
