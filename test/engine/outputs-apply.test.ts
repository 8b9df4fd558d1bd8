import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  applyPlan,
  diffOutputs,
  planApply,
  readState,
  renderOutputs,
  sha256,
  writeFileAtomic,
  type RenderedOutput,
} from '../../engine/src/outputs';
import { exampleWorkspace, type ExampleWorkspace } from '../helpers/examples';

/** Files whose names mark them as claude-env's temporary files, anywhere under `root`. */
function tempFiles(example: ExampleWorkspace): string[] {
  return example.files().filter((file) => file.endsWith('.tmp'));
}

describe('applying outputs', () => {
  let example: ExampleWorkspace;
  let outputs: RenderedOutput[];
  beforeEach(() => {
    example = exampleWorkspace();
    outputs = renderOutputs(example.load());
  });
  afterEach(() => example.dispose());

  it('creates every target, with parent folders, and records the hash of what it wrote', async () => {
    const plan = await planApply(example.workspace, outputs);
    assert.deepEqual(
      plan.entries.map((entry) => [entry.path, entry.action]),
      [
        ['.claude/settings.local.json', 'create'],
        ['.mcp.json', 'create'],
        ['.vscode/mcp.json', 'create'],
      ],
    );
    const result = await applyPlan(plan);
    assert.equal(result.ok, true);
    assert.deepEqual(
      result.targets.map((target) => target.outcome),
      ['written', 'written', 'written'],
    );
    const { state } = await readState(example.workspace);
    for (const output of outputs) {
      assert.equal(example.read(output.path), output.content);
      assert.equal(state.targets[output.path].sha256, sha256(output.content));
    }
  });

  it('writes nothing the second time: every target unchanged, modification times kept', async () => {
    await applyPlan(await planApply(example.workspace, outputs));
    const watched = [...outputs.map((output) => output.path), '.claude-env/state.json'];
    const before = watched.map((path) => statSync(join(example.workspace, path)).mtimeMs);
    const again = await planApply(example.workspace, renderOutputs(example.load()));
    assert.ok(again.entries.every((entry) => entry.action === 'unchanged'));
    assert.equal(diffOutputs(again), '');
    const result = await applyPlan(again);
    assert.ok(result.targets.every((target) => target.outcome === 'unchanged'));
    assert.deepEqual(
      watched.map((path) => statSync(join(example.workspace, path)).mtimeMs),
      before,
    );
  });

  it('updates a target it wrote itself when the environment changes', async () => {
    await applyPlan(await planApply(example.workspace, outputs));
    example.write('.claude-env/local.yaml', 'version: 1\nsettings:\n  model: claude-haiku-4-5\n');
    const plan = await planApply(example.workspace, renderOutputs(example.load()));
    const actions = Object.fromEntries(plan.entries.map((entry) => [entry.path, entry.action]));
    assert.deepEqual(actions, {
      '.claude/settings.local.json': 'update',
      '.mcp.json': 'update',
      '.vscode/mcp.json': 'update',
    });
    await applyPlan(plan);
    assert.equal(JSON.parse(example.read('.claude/settings.local.json')).model, 'claude-haiku-4-5');
  });

  it('refuses a file edited by hand since the last apply and leaves it byte for byte', async () => {
    await applyPlan(await planApply(example.workspace, outputs));
    const handEdited = example.read('.mcp.json').replace('"-y"', '"--yes"');
    example.write('.mcp.json', handEdited);
    const plan = await planApply(example.workspace, outputs);
    const entry = plan.entries.find((candidate) => candidate.path === '.mcp.json')!;
    assert.equal(entry.action, 'drifted');
    assert.match(entry.reason ?? '', /edited since claude-env last wrote it/);
    const result = await applyPlan(plan);
    assert.equal(result.ok, false);
    const target = result.targets.find((candidate) => candidate.path === '.mcp.json')!;
    assert.equal(target.outcome, 'refused');
    assert.match(target.message ?? '', /left as it is.*force/);
    assert.equal(example.read('.mcp.json'), handEdited);
    assert.equal(existsSync(join(example.workspace, '.claude-env', 'backups')), false);
  });

  it('treats an existing file it never wrote as drifted when it differs, and adopts it when it matches', async () => {
    example.write('.mcp.json', '{"mcpServers": {}}');
    const matching = outputs.find((output) => output.path === '.claude/settings.local.json')!;
    example.write(matching.path, matching.content);
    const plan = await planApply(example.workspace, outputs);
    const actions = Object.fromEntries(plan.entries.map((entry) => [entry.path, entry.action]));
    assert.deepEqual(actions, {
      '.claude/settings.local.json': 'unchanged',
      '.mcp.json': 'drifted',
      '.vscode/mcp.json': 'create',
    });
    assert.match(plan.entries[1].reason ?? '', /not written by claude-env/);
    await applyPlan(plan);
    const { state } = await readState(example.workspace);
    assert.equal(state.targets[matching.path].sha256, sha256(matching.content));
    assert.equal(state.targets['.mcp.json'], undefined);
  });

  it('treats every existing file as drifted when the state file is corrupt, and says so', async () => {
    await applyPlan(await planApply(example.workspace, outputs));
    example.write('.mcp.json', '{"edited": true}\n');
    example.write('.claude-env/state.json', '{ not json');
    const plan = await planApply(example.workspace, outputs);
    assert.match(plan.warnings[0], /state\.json is not valid JSON/);
    // Files still identical to the output are unchanged; the edited one cannot be told from ours, so it is drift.
    assert.deepEqual(
      plan.entries.map((entry) => entry.action),
      ['unchanged', 'drifted', 'unchanged'],
    );
    const result = await applyPlan(plan);
    assert.equal(result.ok, false);
    assert.equal(example.read('.mcp.json'), '{"edited": true}\n');
    const { state, warning } = await readState(example.workspace);
    assert.equal(warning, undefined, 'the state is rewritten from what is known to be ours');
    assert.deepEqual(Object.keys(state.targets), ['.claude/settings.local.json', '.vscode/mcp.json']);
  });

  it('with force, backs up the person’s version byte for byte and says where', async () => {
    await applyPlan(await planApply(example.workspace, outputs));
    // CRLF, no final newline and non-ASCII text: a backup must not normalise any of it.
    const personal = Buffer.from('{\r\n  "mcpServers": {"mine": {"command": "wörk"}}\r\n}', 'utf8');
    writeFileSync(join(example.workspace, '.mcp.json'), personal);
    const result = await applyPlan(await planApply(example.workspace, outputs), { force: true });
    assert.equal(result.ok, true);
    const target = result.targets.find((candidate) => candidate.path === '.mcp.json')!;
    assert.equal(target.outcome, 'written');
    assert.ok(target.backup);
    assert.match(target.backup, /[/\\]\.claude-env[/\\]backups[/\\]\.mcp\.json\.\d{8}T\d{6}Z$/);
    assert.ok(target.message?.includes(target.backup));
    assert.deepEqual(readFileSync(target.backup), personal);
    assert.equal(example.read('.mcp.json'), outputs.find((output) => output.path === '.mcp.json')!.content);
  });

  it('keeps every backup when forced twice within a second', async () => {
    const settings = '.claude/settings.local.json';
    example.write(settings, '{"first": true}\n');
    const first = await applyPlan(await planApply(example.workspace, outputs), { force: true });
    example.write(settings, '{"second": true}\n');
    const second = await applyPlan(await planApply(example.workspace, outputs), { force: true });
    const backups = [first, second].map((result) => result.targets.find((target) => target.path === settings)!.backup!);
    assert.notEqual(backups[0], backups[1]);
    assert.deepEqual(
      backups.map((backup) => readFileSync(backup, 'utf8')),
      ['{"first": true}\n', '{"second": true}\n'],
    );
    assert.match(backups[0], /\.claude_settings\.local\.json\./);
  });

  it('touches nothing in a dry run', async () => {
    const result = await applyPlan(await planApply(example.workspace, outputs), { dryRun: true });
    assert.equal(result.dryRun, true);
    assert.deepEqual(
      result.targets.map((target) => target.outcome),
      ['written', 'written', 'written'],
    );
    assert.deepEqual(
      example
        .files()
        .filter(
          (file) => file.startsWith('workspace/.claude/') || file.endsWith('state.json') || file.endsWith('.mcp.json'),
        ),
      [],
    );
  });

  it('keeps the permission bits of a file it replaces', async () => {
    await applyPlan(await planApply(example.workspace, outputs));
    const path = join(example.workspace, '.claude', 'settings.local.json');
    chmodSync(path, 0o600);
    example.write('.claude-env/local.yaml', 'version: 1\nsettings:\n  model: claude-haiku-4-5\n');
    await applyPlan(await planApply(example.workspace, renderOutputs(example.load())));
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).model, 'claude-haiku-4-5');
  });

  it('refuses a target that changed on disk after the plan was made', async () => {
    const plan = await planApply(example.workspace, outputs);
    example.write('.mcp.json', '{"written": "meanwhile"}\n');
    const result = await applyPlan(plan, { force: true });
    const target = result.targets.find((candidate) => candidate.path === '.mcp.json')!;
    assert.equal(target.outcome, 'refused');
    assert.match(target.message ?? '', /changed on disk after the plan/);
    assert.equal(example.read('.mcp.json'), '{"written": "meanwhile"}\n');
  });

  it('shows a unified diff of what apply would change', async () => {
    await applyPlan(await planApply(example.workspace, outputs));
    example.write('.claude-env/local.yaml', 'version: 1\nsettings:\n  model: claude-haiku-4-5\n');
    const diff = diffOutputs(await planApply(example.workspace, renderOutputs(example.load())));
    assert.match(diff, /^--- a\/\.claude\/settings\.local\.json\n\+\+\+ b\/\.claude\/settings\.local\.json\n@@ /m);
    assert.match(diff, /^\+  "model": "claude-haiku-4-5",$/m);
    assert.match(diff, /^-  "model": "claude-sonnet-4-5",$/m);
    const created = diffOutputs(await planApply(join(example.root, 'elsewhere'), outputs.slice(0, 1)));
    assert.match(created, /^--- \/dev\/null\n\+\+\+ b\/\.claude\/settings\.local\.json\n/m);
  });
});

describe('atomic writes', () => {
  let example: ExampleWorkspace;
  beforeEach(() => {
    example = exampleWorkspace();
  });
  afterEach(() => example.dispose());

  it('fails without touching a folder in the way and leaves no temporary file', async () => {
    const blocked = join(example.workspace, '.mcp.json');
    mkdirSync(blocked);
    writeFileSync(join(blocked, 'keep.txt'), 'old content');
    await assert.rejects(writeFileAtomic(blocked, '{}\n'), /Could not write .*\.mcp\.json/);
    assert.equal(readFileSync(join(blocked, 'keep.txt'), 'utf8'), 'old content');
    assert.deepEqual(readdirSync(blocked), ['keep.txt']);
    assert.deepEqual(tempFiles(example), []);
  });

  it('replaces an existing file whole and leaves no temporary file', async () => {
    const path = example.write('notes/out.json', 'old');
    await writeFileAtomic(path, 'new content\n');
    assert.equal(readFileSync(path, 'utf8'), 'new content\n');
    assert.deepEqual(tempFiles(example), []);
  });

  it('reports a target that cannot be written, writes the others, and records only what it wrote', async () => {
    const outputs = renderOutputs(example.load());
    const plan = await planApply(example.workspace, outputs);
    // After planning, something puts a folder where .vscode/mcp.json should go.
    mkdirSync(join(example.workspace, '.vscode', 'mcp.json'), { recursive: true });
    writeFileSync(join(example.workspace, '.vscode', 'mcp.json', 'keep.txt'), 'old content');
    const result = await applyPlan(plan);
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.targets.map((target) => target.outcome),
      ['written', 'written', 'failed'],
    );
    assert.match(result.targets[2].message ?? '', /^Could not write \.vscode\/mcp\.json: EISDIR/);
    assert.equal(readFileSync(join(example.workspace, '.vscode', 'mcp.json', 'keep.txt'), 'utf8'), 'old content');
    assert.deepEqual(tempFiles(example), []);
    const { state } = await readState(example.workspace);
    assert.deepEqual(Object.keys(state.targets), ['.claude/settings.local.json', '.mcp.json']);
  });
});
