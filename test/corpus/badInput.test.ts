import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/paths';
import { tempTree, type TempTree } from '../helpers/workspace';

/**
 * The bad-input corpus, run through the built CLI as a person would: every case ends quickly with a clear
 * `file:line:col: severity code: message` and exit 1 — never a crash, a stack trace or a hang.
 */
const CLI = join(REPO_ROOT, 'dist', 'cli.js');

interface Case {
  name: string;
  files: Record<string, string>;
  prepare?: (tree: TempTree) => void;
  /** `file:line:col: severity code` expected in the output. */
  expect: RegExp;
  /** Exit code (default 1, findings; 4 is "no workspace to load"). */
  status?: number;
}

const project = 'version: 1\nsource:\n  path: ../../org\nteams: [web]\n';
const org = { 'org/base.yaml': 'version: 1\n', 'org/teams/web.yaml': 'version: 1\n' };
const ALIAS_BOMB = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill('*' + 'abcdefgh'[i]).join(', ')}]`),
].join('\n');

const cases: Case[] = [
  {
    name: 'malformed YAML',
    files: { 'ws/.claude-env/project.yaml': 'settings:\n  model: "opus\n' },
    expect: /^\.claude-env\/project\.yaml:\d+:\d+: error syntax\.invalid: /m,
  },
  {
    name: 'malformed JSON',
    files: { 'ws/.claude-env/project.json': '{\n  "settings": { "model": }\n}\n' },
    expect: /^\.claude-env\/project\.json:2:26: error syntax\.invalid: Invalid JSON: value expected/m,
  },
  {
    name: 'a wrong type',
    files: { 'ws/.claude-env/project.yaml': 'settings:\n  cleanupPeriodDays: soon\n' },
    expect: /^\.claude-env\/project\.yaml:2:22: error schema\.type: 'settings\.cleanupPeriodDays' must be an integer/m,
  },
  {
    name: 'a duplicate key',
    files: { 'ws/.claude-env/project.yaml': 'settings:\n  model: a\n  model: b\n' },
    expect: /^\.claude-env\/project\.yaml:3:3: error syntax\.duplicateKey: /m,
  },
  {
    name: 'a BOM and CRLF line ends',
    files: { 'ws/.claude-env/project.yaml': '\ufeffversion: 1\r\nsettings:\r\n  permissions:\r\n    defaultMode: sometimes\r\n' },
    expect: /^\.claude-env\/project\.yaml:4:18: error schema\.enum: /m,
  },
  {
    name: 'a binary file',
    files: { 'ws/.claude-env/local.yaml': '\u0000\u0001PNG\u0000' , 'ws/.claude-env/project.yaml': 'version: 1\n' },
    expect: /^\.claude-env\/local\.yaml:1:1: error syntax\.binary: /m,
  },
  {
    name: 'a YAML alias bomb',
    files: { 'ws/.claude-env/project.yaml': `version: 1\nx:\n${ALIAS_BOMB.replace(/^/gm, '  ')}\n` },
    expect: /error syntax\.aliasLimit: /m,
  },
  {
    name: 'a 10 MB file',
    files: { 'ws/.claude-env/project.yaml': 'settings:\n' + '  # padding padding padding padding\n'.repeat(300_000) },
    expect: /^\.claude-env\/project\.yaml:1:1: error syntax\.tooLarge: /m,
  },
  {
    name: 'an unreadable layer file',
    files: { 'ws/.claude-env/project.yaml': 'version: 1\n' },
    prepare: (t) => mkdirSync(t.path('ws/.claude-env/local.yaml')),
    expect: /^\.claude-env\/local\.yaml:1:1: error stack\.unreadable: Cannot read this layer file: it is a folder/m,
  },
  {
    name: 'a missing team layer',
    files: { ...org, 'org/teams/web.yaml': undefined as unknown as string, 'ws/.claude-env/project.yaml': project },
    expect: /^\.claude-env\/project\.yaml:4:9: error stack\.teamMissing: Team 'web'/m,
  },
  {
    name: 'a missing source folder',
    files: { 'ws/.claude-env/project.yaml': project },
    expect: /^\.claude-env\/project\.yaml:3:9: error stack\.sourceMissing: /m,
  },
  {
    name: 'a source that points at itself',
    files: { 'ws/.claude-env/project.yaml': 'source:\n  path: .\n', 'ws/.claude-env/base.yaml': '' },
    expect: /^\.claude-env\/project\.yaml:2:9: error stack\.sourceCycle: /m,
  },
  {
    name: 'no project layer at all',
    files: { 'ws/README.md': '# nothing here\n' },
    expect: /No project layer in .*claude-env init/m,
    status: 4,
  },
];

describe('bad-input corpus through the CLI', function () {
  this.timeout(30_000);
  let tree: TempTree | undefined;
  afterEach(() => tree?.dispose());

  for (const testCase of cases) {
    it(`reports ${testCase.name} at the right place without crashing`, () => {
      const files = Object.fromEntries(Object.entries(testCase.files).filter(([, text]) => text !== undefined));
      tree = tempTree(files);
      testCase.prepare?.(tree);
      const result = spawnSync(process.execPath, [CLI, 'validate', '--no-secrets', '--cwd', tree.path('ws')], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      const output = result.stdout + result.stderr;
      assert.equal(result.signal, null, `the CLI hung or was killed:\n${output}`);
      assert.equal(result.status, testCase.status ?? 1, output);
      assert.match(output, testCase.expect);
      assert.doesNotMatch(output, /\n\s+at .+:\d+:\d+\)?\n/, 'no stack trace');
    });
  }

  it('accepts an empty layer file as an empty layer', () => {
    tree = tempTree({ 'ws/.claude-env/project.yaml': '', 'ws/.claude-env/local.json': '' });
    const result = spawnSync(process.execPath, [CLI, 'validate', '--no-secrets', '--cwd', tree.path('ws')], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });
});
