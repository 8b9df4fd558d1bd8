import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPLY_LOCK, withApplyLock } from '../../engine/src/outputs/lock';

const folders: string[] = [];
function workspace(): string {
  const folder = mkdtempSync(join(tmpdir(), 'claude-env-lock-'));
  folders.push(folder);
  mkdirSync(join(folder, '.claude-env'));
  return folder;
}
after(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('the apply lock', () => {
  it('runs two applies of one workspace one after the other, never interleaved', async () => {
    const root = workspace();
    const events: string[] = [];
    const step = (name: string) => async () => {
      events.push(`${name} start`);
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      events.push(`${name} end`);
    };
    await Promise.all([withApplyLock(root, step('a')), withApplyLock(root, step('b'))]);
    assert.deepEqual(
      events.map((event) => event.split(' ')[1]),
      ['start', 'end', 'start', 'end'],
    );
    assert.equal(existsSync(join(root, APPLY_LOCK)), false, 'released: the lock folder is gone');
  });

  it('is re-entrant within one call chain (the CLI holds it around plan and apply, apply takes it too)', async () => {
    const root = workspace();
    const inner = await withApplyLock(root, () => withApplyLock(root, async () => 'nested'));
    assert.equal(inner, 'nested');
  });

  it('records its owner while held, and a .gitignore of * keeps it out of git status', async () => {
    const root = workspace();
    await withApplyLock(root, async () => {
      assert.match(readFileSync(join(root, APPLY_LOCK, 'owner'), 'utf8'), new RegExp(`^${process.pid} `));
      assert.equal(readFileSync(join(root, APPLY_LOCK, '.gitignore'), 'utf8'), '*\n');
    });
  });

  it('takes over at once a lock left by a killed process (its owner no longer runs)', async () => {
    const root = workspace();
    const dead = Number(
      spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout,
    );
    mkdirSync(join(root, APPLY_LOCK));
    writeFileSync(join(root, APPLY_LOCK, 'owner'), `${dead} ${hostname()}\n`);
    const started = Date.now();
    assert.equal(await withApplyLock(root, async () => 'taken'), 'taken');
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms; a fresh lock's stale time is 10 s`);
  });

  it('waits for a live holder in another process instead of taking its lock', async () => {
    const root = workspace();
    const order: string[] = [];
    const done = join(root, 'holder-done');
    const holder = spawn(
      process.execPath,
      [
        '-r',
        'tsx/cjs',
        '-e',
        `const { withApplyLock } = require(${JSON.stringify(join(__dirname, '../../engine/src/outputs/lock.ts'))});
         withApplyLock(${JSON.stringify(root)}, () => new Promise((resolve) => {
           console.log('held');
           setTimeout(() => { require('node:fs').writeFileSync(${JSON.stringify(done)}, ''); resolve(); }, 1500);
         }));`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolve) => holder.on('exit', resolve));
    let output = '';
    await new Promise<void>((resolve) =>
      holder.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('held')) resolve();
      }),
    );
    await withApplyLock(root, async () => {
      order.push(existsSync(done) ? 'after release' : 'while held');
    });
    await exited;
    assert.deepEqual(order, ['after release']);
  });
});
