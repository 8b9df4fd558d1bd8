import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { gitTempFolder, OrgRepo, orgLayers } from '../helpers/gitRepos';

const REPO_ROOT = join(__dirname, '..', '..');
const POST_CREATE = join(REPO_ROOT, 'devcontainer-feature', 'src', 'claude-env', 'lifecycle', 'post-create.sh');
const CLI = join(REPO_ROOT, 'dist', 'cli.js');

/**
 * postCreateCommand with org layers from git, run on the host against the built CLI (run `npm run build` first):
 * it fetches the locked commit with `--frozen`, and without a reachable repository the container still starts and
 * the summary says what is missing.
 */
describe('dev container postCreateCommand with a git source', function () {
  this.timeout(120_000);
  let root: string;
  let org: OrgRepo;
  let workspace: string;
  let home: string;
  let bin: string;

  beforeEach(() => {
    root = gitTempFolder();
    org = new OrgRepo(root);
    org.commit(orgLayers('from-git'));
    bin = join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'claude-env'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(join(bin, 'claude-env'), 0o755);
    // The repository as committed: project layer and lock, made on a desktop that could reach the org repository.
    const desktop = join(root, 'desktop');
    mkdirSync(join(desktop, '.claude-env'), { recursive: true });
    writeFileSync(
      join(desktop, '.claude-env', 'project.yaml'),
      `version: 1\nsource:\n  git: ${org.bare}\n  ref: main\n  path: claude-env\nteams: [web]\n`,
    );
    const pinned = run(desktop, join(root, 'desktop-home'), ['fetch']);
    assert.equal(pinned.status, 0, pinned.stderr);
    workspace = join(root, 'container', 'workspace');
    cpSync(desktop, workspace, { recursive: true });
    home = join(root, 'container-home');
  });

  function run(cwd: string, userHome: string, args?: string[]) {
    const command = args ? join(bin, 'claude-env') : 'sh';
    return spawnSync(command, args ?? [POST_CREATE], {
      cwd,
      encoding: 'utf8',
      env: { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, HOME: userHome },
      timeout: 90_000,
    });
  }

  it('fetches the locked commit into an empty cache and applies the org layers, leaving the lock as committed', () => {
    const lock = readFileSync(join(workspace, '.claude-env', 'lock.yaml'), 'utf8');
    const created = run(workspace, home);
    assert.equal(created.status, 0, created.stderr);
    assert.match(created.stdout, /fetching the org layers pinned in \.claude-env\/lock\.yaml/);
    assert.match(created.stdout, /source: .* main @ [0-9a-f]{12} fetched/);
    assert.match(created.stdout, /applied: Claude Code's files in .* are up to date/);
    assert.match(readFileSync(join(workspace, '.claude', 'settings.local.json'), 'utf8'), /"model": "from-git"/);
    assert.equal(readFileSync(join(workspace, '.claude-env', 'lock.yaml'), 'utf8'), lock);
  });

  it('still lets the container start without the repository and an empty cache, and says what is missing', () => {
    renameSync(org.bare, `${org.bare}.unreachable`);
    const created = run(workspace, home);
    assert.equal(created.status, 0, created.stderr);
    assert.match(created.stderr, /error source\.fetchFailed: Could not fetch/);
    assert.match(
      created.stdout,
      /the org layers could not be fetched .* run 'claude-env fetch' when the repository can be reached/,
    );
    assert.match(created.stderr, /error stack\.gitNotFetched: .*run 'claude-env fetch'/);
    assert.match(created.stdout, /apply stopped on errors/);
    assert.match(created.stdout, /the container starts either way/);
    assert.equal(existsSync(join(workspace, '.claude', 'settings.local.json')), false);
  });
});
