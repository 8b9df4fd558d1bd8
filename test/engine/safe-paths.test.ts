import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  openSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assertFileTarget,
  assertInside,
  readRegularFile,
  UnsafePathError,
  MAX_FILE_BYTES,
} from '../../engine/src/safePaths';
import { nodeRealFs } from '../../engine/src/fs';
import { removeStaleTemporaryFiles, writeFileAtomic } from '../../engine/src/outputs/atomic';

const folders: string[] = [];
function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'claude-env-safe-'));
  folders.push(folder);
  return folder;
}
after(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A workspace and, next to it, a folder outside it holding a file the workspace must never read or change. */
function workspaceAndOutside(): { workspace: string; outside: string; victim: string } {
  const root = tempFolder();
  const workspace = join(root, 'workspace');
  const outside = join(root, 'outside');
  mkdirSync(workspace);
  mkdirSync(outside);
  const victim = join(outside, 'victim.json');
  writeFileSync(victim, '{"private": "do not print"}\n');
  return { workspace, outside, victim };
}

function unsafeKind(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    assert.ok(error instanceof UnsafePathError, `expected UnsafePathError, got ${String(error)}`);
    return error.kind;
  }
  assert.fail('expected the path to be refused');
}

describe('readRegularFile: the one bounded reader', () => {
  it('refuses a FIFO without blocking, even with no writer on the other end', function () {
    const folder = tempFolder();
    const fifo = join(folder, 'layer.yaml');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    assert.equal(
      unsafeKind(() => readRegularFile(fifo)),
      'notRegular',
    );
    assert.ok(Date.now() - started < 2000, 'returned at once');
  });

  it('refuses /dev/zero, /dev/null and a terminal-like device, also behind a symbolic link', () => {
    const folder = tempFolder();
    const link = join(folder, 'zero.yaml');
    symlinkSync('/dev/zero', link);
    assert.equal(
      unsafeKind(() => readRegularFile(link)),
      'notRegular',
    );
    assert.equal(
      unsafeKind(() => readRegularFile('/dev/null')),
      'notRegular',
    );
    assert.throws(() => readRegularFile('/dev/zero'), /is a character device, not a regular file/);
  });

  it('refuses /dev/stdin when it is a pipe with a silent writer, or a socket, instead of waiting', () => {
    // stdin is a FIFO whose writer stays open and never writes: a blocking read would never return.
    const fifo = join(tempFolder(), 'stdin');
    execFileSync('mkfifo', [fifo]);
    const readEnd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writeEnd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    const script = `
      const { readRegularFile } = require(${JSON.stringify(join(__dirname, '../../engine/src/safePaths.ts'))});
      try { readRegularFile('/dev/stdin'); console.log('read'); } catch (e) { console.log(e.kind); }`;
    try {
      for (const stdin of [readEnd, 'pipe'] as const) {
        const run = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], {
          stdio: [stdin, 'pipe', 'pipe'],
          encoding: 'utf8',
          timeout: 30_000,
        });
        assert.equal(run.stdout.trim(), 'notRegular', `${String(stdin)}: ${run.stderr}`);
      }
    } finally {
      closeSync(readEnd);
      closeSync(writeEnd);
    }
  });

  it('stops at the byte limit while reading, also when stat reports a size of 0 (/proc)', () => {
    assert.equal(
      unsafeKind(() => readRegularFile('/proc/self/status', { maxBytes: 64 })),
      'tooLarge',
    );
    const folder = tempFolder();
    const big = join(folder, 'big.yaml');
    writeFileSync(big, 'x'.repeat(1000));
    assert.throws(() => readRegularFile(big, { maxBytes: 999 }), /larger than 999 bytes/);
    assert.equal(readRegularFile(big, { maxBytes: 1000 })?.length, 1000);
    assert.equal(MAX_FILE_BYTES, 16 * 1024 * 1024);
  });

  it('returns undefined for a missing file or a dangling link, and throws EISDIR for a folder', () => {
    const folder = tempFolder();
    assert.equal(readRegularFile(join(folder, 'missing.yaml')), undefined);
    symlinkSync(join(folder, 'nowhere'), join(folder, 'dangling.yaml'));
    assert.equal(readRegularFile(join(folder, 'dangling.yaml')), undefined);
    mkdirSync(join(folder, 'project.yaml'));
    assert.throws(() => readRegularFile(join(folder, 'project.yaml')), { code: 'EISDIR' });
  });

  it('is what nodeRealFs reads layers with', () => {
    const folder = tempFolder();
    const fifo = join(folder, 'local.yaml');
    execFileSync('mkfifo', [fifo]);
    assert.throws(() => nodeRealFs.read(fifo), /FIFO/);
  });

  it('with `within`, refuses a file that is a link leading out, and reads one that stays inside', () => {
    const { workspace, victim } = workspaceAndOutside();
    symlinkSync(victim, join(workspace, '.mcp.json'));
    assert.equal(
      unsafeKind(() => readRegularFile(join(workspace, '.mcp.json'), { within: workspace })),
      'outside',
    );
    writeFileSync(join(workspace, 'real.json'), '{}\n');
    symlinkSync('real.json', join(workspace, 'alias.json'));
    assert.equal(readRegularFile(join(workspace, 'alias.json'), { within: workspace }), '{}\n');
  });
});

describe('assertInside: no path leaves the workspace', () => {
  it('refuses a folder on the way that is a link leading out, naming that folder', () => {
    const { workspace, outside } = workspaceAndOutside();
    symlinkSync(outside, join(workspace, '.vscode'));
    assert.throws(
      () => assertInside(workspace, join(workspace, '.vscode', 'mcp.json')),
      (error: unknown) =>
        error instanceof UnsafePathError && error.path === join(workspace, '.vscode') && /outside/.test(error.reason),
    );
  });

  it('refuses a dangling link, a file where a folder belongs, and a path written with ..', () => {
    const { workspace, outside } = workspaceAndOutside();
    symlinkSync(join(outside, 'not-yet'), join(workspace, '.claude'));
    assert.equal(
      unsafeKind(() => assertInside(workspace, join(workspace, '.claude', 'settings.json'))),
      'outside',
    );
    writeFileSync(join(workspace, '.claude-env'), 'a file\n');
    assert.equal(
      unsafeKind(() => assertInside(workspace, join(workspace, '.claude-env', 'state.json'))),
      'notFolder',
    );
    assert.equal(
      unsafeKind(() => assertInside(workspace, join(workspace, '..', 'outside', 'x'))),
      'outside',
    );
  });

  it('accepts links that stay inside, missing folders, and a workspace that itself sits behind a link', () => {
    const { workspace } = workspaceAndOutside();
    mkdirSync(join(workspace, 'real-claude'));
    symlinkSync('real-claude', join(workspace, '.claude'));
    assertInside(workspace, join(workspace, '.claude', 'settings.json'));
    assertInside(workspace, join(workspace, 'not', 'yet', 'there.json'));
    const alias = join(tempFolder(), 'alias');
    symlinkSync(workspace, alias);
    assertInside(alias, join(alias, '.claude', 'settings.json'));
  });

  it('assertFileTarget also refuses a folder where the file belongs', () => {
    const { workspace } = workspaceAndOutside();
    mkdirSync(join(workspace, '.mcp.json'));
    assert.equal(
      unsafeKind(() => assertFileTarget(workspace, join(workspace, '.mcp.json'))),
      'isFolder',
    );
  });
});

describe('atomic writes inside the workspace', () => {
  it('never writes through a linked folder leading out, and changes nothing outside', async () => {
    const { workspace, outside, victim } = workspaceAndOutside();
    symlinkSync(outside, join(workspace, '.claude'));
    await assert.rejects(
      writeFileAtomic(join(workspace, '.claude', 'victim.json'), 'owned\n', { within: workspace }),
      UnsafePathError,
    );
    assert.equal(readFileSync(victim, 'utf8'), '{"private": "do not print"}\n');
    assert.deepEqual(readdirSync(outside), ['victim.json']);
  });

  it('refuses a target that is a link leading out, leaving the file it points at unchanged', async () => {
    const { workspace, victim } = workspaceAndOutside();
    symlinkSync(victim, join(workspace, '.gitignore'));
    await assert.rejects(writeFileAtomic(join(workspace, '.gitignore'), 'x\n', { within: workspace }), /outside/);
    assert.equal(readFileSync(victim, 'utf8'), '{"private": "do not print"}\n');
  });

  it('uses a fresh random temporary name per write, so nothing committed can wait under it', async () => {
    const { workspace } = workspaceAndOutside();
    const target = join(workspace, 'project.yaml');
    await writeFileAtomic(target, 'a\n', { within: workspace });
    await writeFileAtomic(target, 'b\n', { within: workspace });
    assert.equal(readFileSync(target, 'utf8'), 'b\n');
    assert.deepEqual(readdirSync(workspace), ['project.yaml'], 'no temporary file left');
  });
});

describe('stale temporary files', () => {
  it("removes the temporary files of a process that is gone, keeps a running one's and anything else", () => {
    const folder = tempFolder();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const deadPid = Number(gone.stdout);
    const stale = join(folder, `.mcp.json.${deadPid}.0123abcd.claude-env.tmp`);
    const running = join(folder, `.mcp.json.${process.pid}.89abcdef.claude-env.tmp`);
    const unrelated = join(folder, `.mcp.json.${deadPid}.tmp`);
    for (const path of [stale, running, unrelated]) writeFileSync(path, 'partial');
    assert.deepEqual(removeStaleTemporaryFiles([folder, join(folder, 'missing')]), [stale]);
    assert.equal(existsSync(stale), false);
    assert.equal(existsSync(running), true);
    assert.equal(existsSync(unrelated), true);
  });
});
