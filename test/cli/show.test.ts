import { strict as assert } from 'node:assert';
import { copyExample } from '../helpers/examples';
import { workspaceWith } from '../helpers/workspace';
import { runCli } from '../helpers/cli';

describe('claude-env show', () => {
  it('prints the effective environment as a tree, secret references as written', () => {
    const run = runCli(['show'], { cwd: copyExample() });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^settings:\n  model: claude-sonnet-4-5\n/);
    assert.match(run.stdout, /^    args: \[-y, "@upstash\/context7-mcp"\]$/m);
    assert.match(run.stdout, /^      API_KEY: \$\{secret:magic-api-key\}$/m);
    assert.doesNotMatch(run.stdout, /\u001b\[/, 'no colour when stdout is not a terminal');
  });

  it('names the layer, file and line of every value with --explain, and what it overrode', () => {
    const run = runCli(['show', '--explain'], { cwd: copyExample() });
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^  model: claude-sonnet-4-5 +← local \.claude-env\/local\.yaml:4 \(overrides team web \.\.\/org\/teams\/web\.yaml:5, base \.\.\/org\/base\.yaml:5\)$/m,
    );
    // Unioned permission lists: each rule with the file that added it.
    assert.match(run.stdout, /^      - Bash\(npm publish:\*\) +← team web \.\.\/org\/teams\/web\.yaml:11$/m);
    assert.match(run.stdout, /^      - Edit\(src\/\*\*\) +← project \.claude-env\/project\.yaml:11$/m);
  });

  it('prints the merged value and per-path provenance as JSON', () => {
    const run = runCli(['show', '--json', '--explain'], { cwd: copyExample() });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      value: { settings: { model: string }; mcpServers: Record<string, unknown> };
      provenance: Record<string, { origin: { file: string; line: number }; overridden: unknown[] }>;
    };
    assert.equal(report.value.settings.model, 'claude-sonnet-4-5');
    assert.deepEqual(Object.keys(report.value.mcpServers), [
      'context7',
      'sequential-thinking',
      'playwright',
      'magic',
      'everything',
    ]);
    assert.equal(report.provenance['settings.model']?.origin.file, '.claude-env/local.yaml');
    assert.equal(report.provenance['settings.model']?.origin.line, 4);
    assert.equal(report.provenance['settings.model']?.overridden.length, 2);
  });

  it('shows a stack with errors anyway, diagnostics on stderr, exit 0', () => {
    const workspace = workspaceWith({
      '.claude-env/project.yaml': 'version: 1\nsettings:\n  model: 42\n  includeCoAuthoredBy: false\n',
    });
    const run = runCli(['show'], { cwd: workspace });
    assert.equal(run.code, 0);
    assert.match(run.stdout, /includeCoAuthoredBy: false/);
    assert.match(run.stderr, /^\.claude-env\/project\.yaml:3:10: error schema\.type: /m);
  });

  it('exits 1 when an org layer is left out: a git source not locked yet', () => {
    const workspace = workspaceWith({
      '.claude-env/project.yaml':
        'version: 1\nsource:\n  git: https://git.example.com/org.git\n  ref: main\nsettings:\n  model: opus\n',
    });
    const run = runCli(['show'], { cwd: workspace });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /model: opus/);
    assert.match(run.stderr, /^\.claude-env\/project\.yaml:3:3: error stack\.gitNotLocked: .*claude-env fetch/m);
  });

  it('says an empty environment is empty', () => {
    const run = runCli(['show'], { cwd: workspaceWith({ '.claude-env/project.yaml': '' }) });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'settings: {}\nmcpServers: {}\n');
  });

  it('prints lists of objects (hooks) as nested YAML with one note for the list', () => {
    const workspace = workspaceWith({
      '.claude-env/project.yaml':
        'version: 1\nsettings:\n  hooks:\n    PostToolUse:\n      - matcher: Edit|Write\n' +
        '        hooks:\n          - { type: command, command: npx prettier --write, timeout: 30 }\n',
    });
    const run = runCli(['show', '--explain'], { cwd: workspace });
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^    PostToolUse: +← project \.claude-env\/project\.yaml:4\n      - matcher: Edit\|Write\n        hooks:\n          - type: command\n            command: npx prettier --write\n            timeout: 30\n/m,
    );
  });

  it('marks a server refused by policy', () => {
    const workspace = workspaceWith({
      'org/base.yaml': 'version: 1\npolicy:\n  servers:\n    denied: ["*-unvetted"]\n',
      'repo/.claude-env/project.yaml':
        'version: 1\nsource:\n  path: ../../org\nmcpServers:\n  tool-unvetted:\n    command: npx\n',
    });
    const run = runCli(['show', '--cwd', 'repo'], { cwd: workspace });
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^  tool-unvetted: +# blocked: /m);
  });
});

describe('claude-env show colours', () => {
  it('colours only when asked for and never with NO_COLOR', () => {
    const workspace = copyExample();
    assert.match(runCli(['show', '--explain'], { cwd: workspace, env: { FORCE_COLOR: '1' } }).stdout, /\u001b\[2m← /);
    assert.doesNotMatch(
      runCli(['show', '--explain'], { cwd: workspace, env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout,
      /\u001b\[/,
    );
  });
});

describe('claude-env and the environment layer', () => {
  it('names the variable that set a value, and reports a bad one by its name', () => {
    const workspace = copyExample();
    const show = runCli(['show', '--explain'], { cwd: workspace, env: { CLAUDE_ENV_SETTINGS__MODEL: 'opus' } });
    assert.match(
      show.stdout,
      /^  model: opus +← environment CLAUDE_ENV_SETTINGS__MODEL \(overrides local \.claude-env\/local\.yaml:4, /m,
    );
    const validate = runCli(['validate', '--no-secrets'], {
      cwd: workspace,
      env: { CLAUDE_ENV_SETTINGS__INCLUDECOAUTHOREDBY: 'maybe' },
    });
    assert.equal(validate.code, 1);
    assert.match(validate.stdout, /^env:CLAUDE_ENV_SETTINGS__INCLUDECOAUTHOREDBY: error schema\.type: /m);
  });
});
