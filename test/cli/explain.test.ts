import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { copyExample } from '../helpers/examples';
import { writeFile } from '../helpers/workspace';
import { runCli } from '../helpers/cli';

describe('claude-env explain', () => {
  it('prints the winning value and every layer that set it, winner first, with file:line:col', () => {
    const run = runCli(['explain', 'settings.model'], { cwd: copyExample() });
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.equal(lines[0], 'settings.model = claude-sonnet-4-5');
    const writes = lines.filter((line) => /^  [✔ ] /.test(line));
    assert.deepEqual(
      writes.map((line) => line.replace(/\s+/g, ' ').trim()),
      [
        '✔ local .claude-env/local.yaml:4:3 claude-sonnet-4-5',
        'team web ../org/teams/web.yaml:5:3 claude-opus-4-1',
        'base ../org/base.yaml:5:3 claude-sonnet-4-5',
      ],
    );
  });

  it('lists where each item of a unioned list came from', () => {
    const run = runCli(['explain', 'settings.permissions.allow'], { cwd: copyExample() });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^  - Bash\(npm run lint\) +← team web \.\.\/org\/teams\/web\.yaml:9:9$/m);
    assert.match(run.stdout, /^  - Bash\(npm run build\) +← project \.claude-env\/project\.yaml:10:9$/m);
  });

  it('explains a server as a subtree with the layers that merged into it', () => {
    const run = runCli(['explain', 'mcpServers.context7'], { cwd: copyExample() });
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^  env:\n    CONTEXT7_API_KEY: \$\{env:CONTEXT7_API_KEY:-\} +← local \.claude-env\/local\.yaml:8$/m,
    );
    assert.match(run.stdout, /✔ base +\.\.\/org\/base\.yaml:22:3/);
    assert.match(run.stdout, /local +\.claude-env\/local\.yaml:6:3 +\(merged into it\)/);
  });

  it('gives winner and overridden writes as JSON', () => {
    const run = runCli(['explain', 'settings.model', '--json'], { cwd: copyExample() });
    assert.equal(run.code, 0);
    const report = JSON.parse(run.stdout) as {
      value: string;
      winner: { label: string; line: number };
      overridden: { label: string; value: string }[];
    };
    assert.equal(report.value, 'claude-sonnet-4-5');
    assert.deepEqual([report.winner.label, report.winner.line], ['local', 4]);
    assert.deepEqual(
      report.overridden.map((o) => [o.label, o.value]),
      [
        ['team web', 'claude-opus-4-1'],
        ['base', 'claude-sonnet-4-5'],
      ],
    );
  });

  it('exits 1 and suggests close paths for a typo', () => {
    const run = runCli(['explain', 'settings.modle'], { cwd: copyExample() });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /no value at `settings\.modle`/);
    assert.match(run.stderr, /did you mean: settings\.model/);
  });

  it('lists what exists under the deepest known prefix', () => {
    const run = runCli(['explain', 'mcpServers.nothing-like-this'], { cwd: copyExample() });
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /did you mean: mcpServers\.context7, mcpServers\.sequential-thinking, mcpServers\.playwright, mcpServers\.magic, mcpServers\.everything/,
    );
  });
});

describe('claude-env explain, deleted keys and list items', () => {
  it('says which line deleted an inherited key', () => {
    const workspace = copyExample();
    writeFile(
      join(workspace, '.claude-env', 'local.yaml'),
      'version: 1\nsettings:\n  includeCoAuthoredBy: { $delete: true }\n',
    );
    const run = runCli(['explain', 'settings.includeCoAuthoredBy'], { cwd: workspace });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^settings\.includeCoAuthoredBy is deleted by local at \.claude-env\/local\.yaml:3:3$/m);
    assert.match(run.stdout, /✔ local +\.claude-env\/local\.yaml:3:3 +\$delete/);
    assert.match(run.stdout, /base +\.\.\/org\/base\.yaml:6:3 +true/);
    assert.doesNotMatch(runCli(['show'], { cwd: workspace }).stdout, /includeCoAuthoredBy/);
  });

  it('addresses one item of a unioned list by index', () => {
    const run = runCli(['explain', 'settings.permissions.allow.2'], { cwd: copyExample() });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^settings\.permissions\.allow\.2 = Bash\(npm run build\)$/m);
    assert.match(run.stdout, /✔ project +\.claude-env\/project\.yaml:10:9/);
  });
});
