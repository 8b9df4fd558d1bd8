import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, runCli } from '../helpers/cli';
import { isolatedEnv } from '../helpers/env';
import { copyExample } from '../helpers/examples';
import { tempFolder } from '../helpers/workspace';

/**
 * Two applies at the same moment, and applies killed with SIGKILL at random points: `state.json` always matches
 * the disk, every target holds its old or its new content (never a part), and the next apply cleans up after the
 * killed one (no temporary file, no lock) and reports no drift.
 */

const TARGETS = ['.claude/settings.local.json', '.mcp.json', '.vscode/mcp.json'];
const PROJECT = join('.claude-env', 'project.yaml');

/** The example's project layer with every output changed: `variant` goes into a setting and a server's args. */
function writeVariant(workspace: string, original: string, variant: string): void {
  const text = original
    .replace('PROJECT_NAME: storefront', `PROJECT_NAME: storefront-${variant}`)
    .replace('"@modelcontextprotocol/server-everything"]', `"@modelcontextprotocol/server-everything", "${variant}"]`);
  assert.notEqual(text, original, 'the fixture changed shape: the variant must change the outputs');
  writeFileSync(join(workspace, PROJECT), text);
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Starts `claude-env apply`; with `killAfterMs`, sends SIGKILL after that many milliseconds. */
function startApply(workspace: string, home: string, killAfterMs?: number): Promise<Exit> {
  const started = Date.now();
  const child = spawn(process.execPath, [cliPath(), 'apply'], { cwd: workspace, env: isolatedEnv(home) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    }),
  );
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** What state.json records per target equals what is on disk. */
function assertStateMatchesDisk(workspace: string, context: string): void {
  const state = JSON.parse(readFileSync(join(workspace, '.claude-env', 'state.json'), 'utf8')) as {
    targets: Record<string, { sha256: string }>;
  };
  for (const target of TARGETS) {
    assert.equal(state.targets[target]?.sha256, sha256(join(workspace, target)), `${context}: ${target}`);
  }
}

/** Leftovers: claude-env's temporary files anywhere in the workspace, and the lock folder. */
function leftovers(workspace: string): string[] {
  const found = readdirSync(workspace, { recursive: true, encoding: 'utf8' }).filter((name) =>
    name.endsWith('.claude-env.tmp'),
  );
  if (existsSync(join(workspace, '.claude-env', 'apply.lock'))) found.push('.claude-env/apply.lock');
  return found;
}

function snapshot(workspace: string): Record<string, string> {
  return Object.fromEntries(TARGETS.map((target) => [target, readFileSync(join(workspace, target), 'utf8')]));
}

describe('concurrent and killed applies', function () {
  this.timeout(600_000);

  it('20 rounds of two applies at the same moment: both succeed, state.json matches the disk, no drift after', async () => {
    const workspace = copyExample();
    const home = tempFolder('claude-env-home-');
    const original = readFileSync(join(workspace, PROJECT), 'utf8');
    assert.equal((await startApply(workspace, home)).code, 0, 'first apply');
    for (let round = 0; round < 20; round++) {
      writeVariant(workspace, original, `round-${round}`);
      const [first, second] = await Promise.all([startApply(workspace, home), startApply(workspace, home)]);
      assert.equal(first.code, 0, `round ${round}: ${first.stderr}`);
      assert.equal(second.code, 0, `round ${round}: ${second.stderr}`);
      // One of them wrote, the other found everything already written.
      const outputs = `${first.stdout}\n${second.stdout}`;
      assert.match(outputs, /^updated \.mcp\.json$/m, `round ${round}`);
      assert.match(outputs, /^unchanged \.mcp\.json$/m, `round ${round}`);
      assertStateMatchesDisk(workspace, `round ${round}`);
      const diff = runCli(['diff'], { cwd: workspace, home });
      assert.equal(diff.code, 0, `round ${round}: the next apply would report drift:\n${diff.stdout}`);
      assert.deepEqual(leftovers(workspace), []);
    }
  });

  it('kill -9 at random points of apply, 50 times: old or new content, never partial; the next apply cleans up', async () => {
    const workspace = copyExample();
    const home = tempFolder('claude-env-home-');
    const original = readFileSync(join(workspace, PROJECT), 'utf8');
    // The new content of each variant, and how long an apply takes here (to spread the kills over its run).
    const expected: Record<string, Record<string, string>> = {};
    let fullRunMs = Number.POSITIVE_INFINITY;
    for (const variant of ['a', 'b']) {
      writeVariant(workspace, original, variant);
      const run = await startApply(workspace, home);
      assert.equal(run.code, 0, run.stderr);
      fullRunMs = Math.min(fullRunMs, run.ms);
      expected[variant] = snapshot(workspace);
    }
    let killed = 0;
    let cleaned = 0;
    for (let iteration = 0; iteration < 50; iteration++) {
      const variant = iteration % 2 === 0 ? 'a' : 'b';
      const before = snapshot(workspace);
      writeVariant(workspace, original, variant);
      const delay = Math.round(fullRunMs * (0.5 + Math.random() * 0.8));
      const run = await startApply(workspace, home, delay);
      if (run.signal === 'SIGKILL') killed++;
      else assert.equal(run.code, 0, `iteration ${iteration}: ${run.stderr}`);
      for (const target of TARGETS) {
        const text = readFileSync(join(workspace, target), 'utf8');
        assert.ok(
          text === before[target] || text === expected[variant][target],
          `iteration ${iteration} (killed after ${delay} ms): ${target} is neither the old nor the new content`,
        );
      }
      const next = await startApply(workspace, home);
      assert.equal(next.code, 0, `iteration ${iteration}: the apply after the kill failed: ${next.stderr}`);
      if (/removed \d+ temporary files? an interrupted apply left behind/.test(next.stderr)) cleaned++;
      assert.deepEqual(snapshot(workspace), expected[variant], `iteration ${iteration}`);
      assertStateMatchesDisk(workspace, `iteration ${iteration}`);
      assert.deepEqual(leftovers(workspace), [], `iteration ${iteration}: left behind after the next apply`);
    }
    if (process.env.CLAUDE_ENV_TEST_FIGURES)
      console.log(`killed ${killed}/50, temporary files cleaned after ${cleaned}`);
    assert.ok(
      killed >= 10,
      `only ${killed} of 50 runs were killed before they finished (${cleaned} left temporary files): the kills came too late`,
    );
  });
});
