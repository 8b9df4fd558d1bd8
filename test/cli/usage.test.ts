import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, runCli } from '../helpers/cli';
import { isolatedEnv } from '../helpers/env';
import { REPO_ROOT } from '../helpers/paths';
import { assistantLine, generateTranscripts, UNPRICED_MODEL, type GeneratedTranscripts } from '../helpers/transcripts';
import { tempFolder, workspaceWith } from '../helpers/workspace';

interface CcusageDay {
  period?: string;
  date?: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalCost: number;
}

interface OurDay {
  key: string;
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
  costUSD: number;
  unknownPriceTokens: number;
}

/** The peer's binary, installed on first use at a pinned version (scripts/ccusage-setup.mjs says why). */
let ccusage: string | undefined;
function ccusageBin(): string {
  ccusage ??= execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'ccusage-setup.mjs')], {
    encoding: 'utf8',
  }).trim();
  return ccusage;
}

/** ccusage, the peer, on the same transcripts: days in UTC, its cached prices only (no network). */
function ccusageDaily(configDir: string, home: string): CcusageDay[] {
  const run = spawnSync(ccusageBin(), ['daily', '--json', '--offline', '--timezone', 'UTC'], {
    env: isolatedEnv(home, { CLAUDE_CONFIG_DIR: configDir }),
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(run.status, 0, run.stderr);
  return (JSON.parse(run.stdout) as { daily: CcusageDay[] }).daily;
}

describe('claude-env usage', function () {
  this.timeout(300_000);
  let fixture: GeneratedTranscripts;
  let home: string;
  let env: Record<string, string>;

  before(() => {
    fixture = generateTranscripts(tempFolder('claude-env-transcripts-'), { projects: 20, lines: 60_000, seed: 3 });
    home = tempFolder('claude-env-home-');
    env = { CLAUDE_CONFIG_DIR: fixture.configDir, XDG_STATE_HOME: join(home, '.local', 'state') };
  });

  function usage(args: string[], cwd = tempFolder('claude-env-cwd-')) {
    return runCli(['usage', ...args], { cwd, env, home });
  }

  it('counts the same tokens per day as ccusage on the same transcripts', () => {
    const run = usage(['daily', '--utc', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const ours = (JSON.parse(run.stdout) as { rows: OurDay[] }).rows;
    const peer = ccusageDaily(fixture.configDir, home);
    const tokens = (day: { input: number; output: number; cacheCreation: number; cacheRead: number }) =>
      [day.input, day.output, day.cacheCreation, day.cacheRead].join(' ');
    assert.deepEqual(
      ours.map((day) => `${day.key} ${tokens(day)}`),
      peer.map((day) => {
        const { inputTokens: input, outputTokens: output, cacheCreationTokens, cacheReadTokens } = day;
        return `${day.period ?? day.date} ${tokens({ input, output, cacheCreation: cacheCreationTokens, cacheRead: cacheReadTokens })}`;
      }),
    );
    assert.deepEqual(
      ours.map((day) => `${day.key} ${tokens(day)}`),
      [...fixture.days].sort().map(([day, totals]) => `${day} ${tokens(totals)}`),
      'and as the generator wrote them',
    );
    // Costs differ on purpose: offline, ccusage has no price for the Claude 5.5 models and counts them as $0 (it
    // adds only the lines' own costUSD); we price them from the bundled table and leave only the unknown model out.
    const ourCost = ours.reduce((sum, day) => sum + day.costUSD, 0);
    const peerCost = peer.reduce((sum, day) => sum + day.totalCost, 0);
    assert.ok(ourCost > peerCost, `ours ${ourCost.toFixed(2)} against ccusage ${peerCost.toFixed(2)}`);
    assert.ok(
      ours.every((day) => day.unknownPriceTokens > 0),
      `${UNPRICED_MODEL} is on every day, price unknown`,
    );
  });

  it('prints a table with the total, where the cost came from, unknown prices and malformed lines', () => {
    const run = usage(['monthly', '--utc']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Month +Input +Output +Cache write +Cache read +Total tokens +Cost +Models$/m);
    assert.match(run.stdout, /^2026-11 .* \$[\d,.]+ \+ unknown +haiku-5-5, nova-7, opus-5-5, sonnet-4-5, sonnet-5-5$/m);
    assert.match(run.stdout, /^Total .* \$[\d,.]+ \+ unknown$/m);
    assert.match(run.stdout, /^Cost: \$[\d.]+ as recorded by Claude Code \(costUSD\), \$[\d.]+ from the price table/m);
    assert.match(run.stdout, new RegExp(`^Price unknown for ${UNPRICED_MODEL} \\([\\d,]+ tokens\\)`, 'm'));
    assert.match(
      run.stdout,
      new RegExp(`^${fixture.malformed} malformed lines skipped \\(first: .*\\.jsonl:\\d+: `, 'm'),
    );
  });

  it('reads only what was appended on the next run', () => {
    const first = usage(['--json']);
    assert.equal(first.code, 0, first.stderr);
    const again = JSON.parse(usage(['--json']).stdout) as { refresh: { bytesRead: number; filesRead: number } };
    assert.deepEqual([again.refresh.bytesRead, again.refresh.filesRead], [0, 0]);
    const line = assistantLine({ id: 'new', requestId: 'r', timestamp: '2026-11-30T12:00:00Z', output: 1234 });
    appendFileSync(fixture.files[0], '\n' + line);
    const after = JSON.parse(usage(['--json']).stdout) as { refresh: { bytesRead: number; filesRead: number } };
    assert.equal(after.refresh.filesRead, 1);
    // The fixture's file may end with a half-written line, which the appended newline completes (as malformed).
    assert.ok(after.refresh.bytesRead >= Buffer.byteLength(line) && after.refresh.bytesRead < 2000);
  });

  it('narrows to a project by path or name, and to days with --since and --until', () => {
    const all = JSON.parse(usage(['session', '--json']).stdout) as { rows: { projects: string[] }[] };
    const byPath = JSON.parse(usage(['session', '--json', '--project', '/home/dev/work/project-4']).stdout) as {
      rows: { projects: string[] }[];
    };
    assert.ok(byPath.rows.length > 0 && byPath.rows.length < all.rows.length);
    assert.ok(byPath.rows.every((row) => row.projects.join() === '/home/dev/work/project-4'));
    const byName = JSON.parse(usage(['session', '--json', '--project', 'project-4']).stdout) as { rows: unknown[] };
    assert.equal(byName.rows.length, byPath.rows.length);
    const days = JSON.parse(usage(['--json', '--utc', '--since', '2026-11-10', '--until', '20261112']).stdout) as {
      rows: { key: string }[];
    };
    assert.deepEqual(
      days.rows.map((row) => row.key),
      ['2026-11-10', '2026-11-11', '2026-11-12'],
    );
  });

  it('refuses an unknown report and a day it cannot read, with exit 2', () => {
    const report = usage(['weekly']);
    assert.equal(report.code, 2);
    assert.match(report.stderr, /Unknown report 'weekly': use daily, monthly, session or statusline/);
    const day = usage(['--since', 'last tuesday']);
    assert.equal(day.code, 2);
    assert.match(day.stderr, /--since takes a day as YYYY-MM-DD, not 'last tuesday'/);
  });

  it("compares this month with the project's budget, prices from the layers, and forecasts the month end", () => {
    const workspace = realpathSync(
      workspaceWith({
        '.claude-env/project.yaml': 'version: 1\nbudgets:\n  monthly: 40\n',
      }),
    );
    const config = tempFolder('claude-env-transcripts-');
    const folder = join(config, 'projects', workspace.replace(/[^A-Za-z0-9]/g, '-'));
    mkdirSync(folder, { recursive: true });
    const now = new Date().toISOString();
    writeFileSync(
      join(folder, 's.jsonl'),
      assistantLine({ id: 'a', requestId: 'r', timestamp: now, costUSD: 50, cwd: workspace }) +
        assistantLine({ id: 'b', requestId: 'r', timestamp: now, model: UNPRICED_MODEL, output: 10, cwd: workspace }),
    );
    const run = runCli(['usage'], { cwd: workspace, home, env: { ...env, CLAUDE_CONFIG_DIR: config } });
    assert.equal(run.code, 0, run.stderr);
    const month = now.slice(0, 7);
    assert.match(
      run.stdout,
      new RegExp(
        `^Budget ${month} for .*: \\$50\\.00 \\(and tokens of unknown price\\) of \\$40\\.00 \\(125\\.0 %\\); ` +
          `forecast \\$[\\d.]+ by ${month}-\\d\\d, over budget\\.$`,
        'm',
      ),
    );
  });

  it("records the plan's limits from Claude Code's statusline input and shows them in the reports", () => {
    const resets = Math.floor(Date.now() / 1000) + 3 * 3600;
    const input = JSON.stringify({
      session_id: 's',
      cwd: '/home/dev/web',
      rate_limits: {
        five_hour: { used_percentage: 23.5, resets_at: resets },
        seven_day: { used_percentage: 41.2, resets_at: resets + 86_400 },
      },
    });
    const statusline = spawnSync(process.execPath, [cliPath(), 'usage', 'statusline'], {
      input,
      env: isolatedEnv(home, env),
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(statusline.status, 0, statusline.stderr);
    assert.match(statusline.stdout, /^5-hour 24 % until .+, 7-day 41 % until .+\n$/);
    const again = spawnSync(process.execPath, [cliPath(), 'usage', 'statusline'], {
      input: '{"session_id":"s"}',
      env: isolatedEnv(home, env),
      encoding: 'utf8',
    });
    assert.equal(again.stdout, statusline.stdout, 'an input without limits shows the last recorded ones');
    const report = usage(['monthly']);
    assert.match(report.stdout, /^Plan limits \(from Claude Code's statusline\): 5-hour 24 % until /m);
    const json = JSON.parse(usage(['--json']).stdout) as { rateLimits: { fiveHour: { usedPercent: number } } };
    assert.equal(json.rateLimits.fiveHour.usedPercent, 23.5);
  });
});
