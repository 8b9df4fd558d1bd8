import { strict as assert } from 'node:assert';
import { caret } from '../helpers/carets';
import { copyExample } from '../helpers/examples';
import { workspaceWith } from '../helpers/workspace';
import { runCli } from '../helpers/cli';

const MAGIC_KEY = { CLAUDE_ENV_SECRET_MAGIC_API_KEY: 'mk-test-value-1234' };

describe('claude-env validate', () => {
  it('passes the example organisation when its secret is provided', () => {
    const run = runCli(['validate'], { cwd: copyExample(), env: MAGIC_KEY });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.stdout, 'no problems in 4 files\n');
  });

  it('warns about a secret not set on this machine at the reference in the team file; exit 0 on a fresh machine', () => {
    const run = runCli(['validate'], { cwd: copyExample() });
    assert.equal(run.code, 0, run.stdout);
    // teams/web.yaml line 23: `      API_KEY: ${secret:magic-api-key}`, the value starts in column 16.
    assert.match(
      run.stdout,
      /^\.\.\/org\/teams\/web\.yaml:23:16: warning secret\.unresolved: `\$\{secret:magic-api-key\}` is not set/m,
    );
    assert.match(run.stdout, /CLAUDE_ENV_SECRET_MAGIC_API_KEY/);
    assert.match(run.stdout, /^1 warning in 4 files$/m);
  });

  it('fails on the unset secret with --strict, as CI that wants every secret present asks', () => {
    const run = runCli(['validate', '--strict'], { cwd: copyExample() });
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stdout, / warning secret\.unresolved: /);
  });

  it('skips secret checks with --no-secrets', () => {
    const run = runCli(['validate', '--no-secrets'], { cwd: copyExample() });
    assert.equal(run.code, 0, run.stdout);
  });

  it('prints each finding as file:line:col at the offending key or value', () => {
    const model = caret('version: 1\nsettings:\n  model: |42\n');
    const unknown = caret('version: 1\nsettings:\n  model: opus\n|sttings: {}\n');
    const workspace = workspaceWith({ '.claude-env/project.yaml': model.text, '.claude-env/local.yaml': unknown.text });
    const run = runCli(['validate', '--no-secrets'], { cwd: workspace });
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      new RegExp(`^\\.claude-env/project\\.yaml:${model.line}:${model.column}: error schema\\.type: `, 'm'),
    );
    assert.match(
      run.stdout,
      new RegExp(`^\\.claude-env/local\\.yaml:${unknown.line}:${unknown.column}: error schema\\.unknownKey: `, 'm'),
    );
    assert.match(run.stdout, /^2 errors in 2 files$/m);
  });

  it('exits 0 with warnings, and 1 with --strict', () => {
    const workspace = workspaceWith({
      '.claude-env/project.yaml': 'version: 1\nsettings:\n  someFutureSetting: true\n',
    });
    const relaxed = runCli(['validate'], { cwd: workspace });
    assert.equal(relaxed.code, 0);
    assert.match(relaxed.stdout, /:3:3: warning schema\.unknownSetting: /);
    assert.equal(runCli(['validate', '--strict'], { cwd: workspace }).code, 1);
  });

  it('reports a project that names itself as its source', () => {
    const source = caret('version: 1\nsource:\n  path: |.\n');
    const workspace = workspaceWith({ '.claude-env/project.yaml': source.text });
    const run = runCli(['validate'], { cwd: workspace });
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      new RegExp(`^\\.claude-env/project\\.yaml:${source.line}:${source.column}: error stack\\.sourceCycle: `, 'm'),
    );
  });

  it('gives one JSON report with 1-based positions for machines', () => {
    const workspace = workspaceWith({ '.claude-env/project.yaml': 'version: 1\nsettings:\n  model: 42\n' });
    const run = runCli(['validate', '--json'], { cwd: workspace });
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      files: string[];
      diagnostics: Record<string, unknown>[];
      counts: { errors: number };
    };
    assert.equal(report.ok, false);
    assert.deepEqual(report.files, ['.claude-env/project.yaml']);
    assert.equal(report.counts.errors, 1);
    assert.deepEqual(
      {
        file: report.diagnostics[0]?.file,
        line: report.diagnostics[0]?.line,
        column: report.diagnostics[0]?.column,
        code: report.diagnostics[0]?.code,
      },
      { file: '.claude-env/project.yaml', line: 3, column: 10, code: 'schema.type' },
    );
  });

  it('reports a syntax error in YAML at its position instead of failing', () => {
    const workspace = workspaceWith({ '.claude-env/project.yaml': 'version: 1\nsettings:\n  model: [unclosed\n' });
    const run = runCli(['validate', '--no-secrets'], { cwd: workspace });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^\.claude-env\/project\.yaml:\d+:\d+: error syntax\./m);
    assert.doesNotMatch(run.stderr, /internal error/);
  });
});
