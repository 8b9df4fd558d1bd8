import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { workspaceWith } from '../helpers/workspace';

/**
 * Layer files built to exhaust the call stack or the memory of the steps after parsing: 10,000-deep maps,
 * 100,000-deep lists, 300,000 keys in one map, one 4 MB line. Each is a located error with the limit's code
 * (`file:line:col`), a non-zero exit and nothing written, from every command that reads the stack; never an
 * internal error. The inputs are generated here: none is committed.
 */

const times = (count: number, make: (i: number) => string) => Array.from({ length: count }, (_, i) => make(i));

interface HostileLayer {
  what: string;
  file: 'project.yaml' | 'project.json';
  text: () => string;
  /** Where the limit is reported: `line:col`, and the code. */
  at: string;
  code: 'syntax.tooDeep' | 'syntax.tooManyNodes';
}

const LAYERS: HostileLayer[] = [
  {
    what: '10,000-deep flow maps',
    file: 'project.yaml',
    text: () => `version: 1\nsettings:\n  x: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`,
    at: '3:258',
    code: 'syntax.tooDeep',
  },
  {
    what: '100-deep block maps',
    file: 'project.yaml',
    text: () => `version: 1\nsettings:\n${times(100, (i) => `${' '.repeat(2 + i)}a:\n`).join('')}`,
    at: '67:67',
    code: 'syntax.tooDeep',
  },
  {
    what: '100,000-deep flow lists',
    file: 'project.yaml',
    text: () => `version: 1\nsettings:\n  x: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
    at: '3:69',
    code: 'syntax.tooDeep',
  },
  {
    what: '300,000 keys in one map',
    file: 'project.yaml',
    text: () => `version: 1\nsettings:\n  env:\n${times(300_000, (i) => `    K${i}: v\n`).join('')}`,
    at: '10002:5',
    code: 'syntax.tooManyNodes',
  },
  {
    what: 'a single 4 MB flow-mapping line',
    file: 'project.yaml',
    text: () => `version: 1\nsettings: {${times(300_000, (i) => `key${i}: 1`).join(', ')}}\n`,
    at: '2:118878',
    code: 'syntax.tooManyNodes',
  },
  {
    what: '10,000-deep JSON objects',
    file: 'project.json',
    text: () => `{"version": 1, "settings": {"x": ${'{"a": '.repeat(10_000)}1${'}'.repeat(10_000)}}}\n`,
    at: '1:406',
    code: 'syntax.tooDeep',
  },
  {
    what: '100,000-deep JSON arrays',
    file: 'project.json',
    text: () => `{"version": 1, "settings": {"x": ${'['.repeat(100_000)}${']'.repeat(100_000)}}}\n`,
    at: '1:96',
    code: 'syntax.tooDeep',
  },
  {
    what: '300,000 JSON keys on one line',
    file: 'project.json',
    text: () => `{"version": 1, "settings": {"env": {${times(300_000, (i) => `"K${i}": "v"`).join(', ')}}}}\n`,
    at: '1:138880',
    code: 'syntax.tooManyNodes',
  },
];

describe('hostile repositories: depth and size limits through the CLI', function () {
  this.timeout(180_000);

  it('the single flow-mapping line is over 4 MB and the file under the 5 MB document limit', () => {
    const length = LAYERS[4]!.text().length;
    assert.ok(length > 4_000_000 && length < 5 * 1024 * 1024, `${length} characters`);
  });

  for (const layer of LAYERS) {
    for (const command of ['validate', 'show', 'apply'] as const) {
      it(`${command} reports ${layer.what} at ${layer.at} as ${layer.code} and exits 1`, () => {
        const workspace = workspaceWith({ [`.claude-env/${layer.file}`]: layer.text() });
        const run = runCli([command], { cwd: workspace });
        const printed = run.stdout + run.stderr;
        assert.doesNotMatch(printed, /internal error|Maximum call stack/);
        assert.equal(run.code, 1, printed.slice(0, 2000));
        const located = `.claude-env/${layer.file}:${layer.at}: error ${layer.code}: `;
        assert.ok(
          printed.split('\n').some((line) => line.startsWith(located)),
          `no "${located}" in\n${printed.slice(0, 2000)}`,
        );
        for (const output of ['.mcp.json', '.claude/settings.local.json'])
          assert.equal(existsSync(join(workspace, output)), false, `${command} wrote ${output}`);
      });
    }
  }
});
