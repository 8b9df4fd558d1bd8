import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fetchSources, systemGit, type ApplyReport, type UpdateReport } from '@claude-env/engine';
import type { FileCommandResult } from '../../../extension/src/commands/files';
import { activeApi, whenEvent, workspacePath } from './helpers';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/**
 * The org layers from a git repository (a bare repository in a temp folder): a new commit there brings the
 * notification (read through the extension's API: the harness cannot read notifications), Review lists the
 * effective change, Update moves the lock and applies, and the Layers view shows the commit.
 */
describe('org layers from git: new commits (trusted folder)', () => {
  const projectFile = () => workspacePath('.claude-env', 'project.yaml');
  const lockFile = () => workspacePath('.claude-env', 'lock.yaml');
  let written: string;
  let work: string;
  let gitSource: string;
  let bareRepository: string;

  before(() => {
    written = fs.readFileSync(projectFile(), 'utf8');
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-env-org-'));
    bareRepository = path.join(root, 'org.git');
    const bare = bareRepository;
    work = path.join(root, 'org-work');
    git(root, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
    fs.cpSync(workspacePath('..', 'org'), path.join(work, 'claude-env'), { recursive: true });
    git(work, 'init', '--quiet', '--initial-branch=main');
    git(work, 'remote', 'add', 'origin', bare);
    commit('The org layers');
    gitSource = written.replace(
      'source:\n  path: ../../org\n',
      `source:\n  git: ${bare}\n  ref: main\n  path: claude-env\n`,
    );
    assert.notEqual(gitSource, written);
  });
  after(async () => {
    await writeProject(written);
    fs.rmSync(lockFile(), { force: true });
    fs.rmSync(workspacePath('services'), { recursive: true, force: true });
  });

  /** Through the editor (and shown), so an open buffer of an earlier test does not keep the old text for the server. */
  async function writeProject(text: string): Promise<void> {
    const document = await vscode.workspace.openTextDocument(projectFile());
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await document.save());
    // The views show the workspace of the active layer file: this one, whatever an earlier test opened.
    await vscode.window.showTextDocument(document);
  }

  function commit(message: string): string {
    git(work, 'add', '--all');
    git(work, '-c', 'user.name=Org', '-c', 'user.email=org@example.com', 'commit', '--quiet', '-m', message);
    git(work, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main');
    return git(work, 'rev-parse', 'HEAD');
  }

  it('tells a new commit, reviews the effective change, and Update moves the lock and applies', async () => {
    const api = await activeApi();
    const folder = workspacePath();
    await writeProject(gitSource);
    const fetched = await fetchSources({ workspace: folder, git: systemGit(), env: process.env });
    assert.deepEqual(fetched.diagnostics, []);
    const first = fetched.sources[0]?.commit;
    let seen = '';
    const baseAt = (commitId: string | undefined) =>
      whenEvent(
        api.onDidChangeStack,
        async () => {
          const layers = (await api.layers())?.layers ?? [];
          seen = JSON.stringify(layers.map((layer) => [layer.label, layer.file, layer.gitSource, layer.problems]));
          return layers.find((layer) => layer.kind === 'base' && layer.gitSource?.commit === commitId);
        },
        `the base layer read from ${commitId}`,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; the Layers view has ${seen}`);
      });
    assert.equal((await baseAt(first)).gitSource?.ref, 'main');
    const clean = await vscode.commands.executeCommand<FileCommandResult<ApplyReport>>('claudeEnv.apply', {
      folder,
      onDrift: 'replace',
    });
    assert.equal(clean?.ok, true, clean?.lines.join('\n'));

    const baseFile = path.join(work, 'claude-env', 'base.yaml');
    fs.writeFileSync(
      baseFile,
      fs.readFileSync(baseFile, 'utf8').replace('cleanupPeriodDays: 30', 'cleanupPeriodDays: 9'),
    );
    const second = commit('Keep transcripts 9 days');
    await api.orgUpdates.checkNow();
    assert.deepEqual(api.orgUpdates.notifications(), ['The org layers have 1 new commit']);
    assert.equal(api.orgUpdates.status(folder)?.behind, 1);
    await api.orgUpdates.checkNow();
    assert.equal(api.orgUpdates.notifications().length, 1, 'the same commit is told once');

    const review = await vscode.commands.executeCommand<string>('claudeEnv.orgLayers.review', { folder });
    assert.match(
      review ?? '',
      new RegExp(
        `~ settings\\.cleanupPeriodDays: 30 → 9 +\\(base claude-env/base\\.yaml:\\d+ @ ${second.slice(0, 12)}\\)`,
      ),
    );
    assert.equal(vscode.window.activeTextEditor?.document.uri.scheme, 'claude-env-org-update');
    assert.equal(vscode.window.activeTextEditor?.document.getText(), review);

    const updated = await vscode.commands.executeCommand<UpdateReport>('claudeEnv.orgLayers.update', {
      folder,
      confirmed: true,
    });
    assert.equal(updated?.lockWritten, true);
    assert.match(fs.readFileSync(lockFile(), 'utf8'), new RegExp(`commit: ${second}`));
    const settings = JSON.parse(fs.readFileSync(workspacePath('.claude', 'settings.local.json'), 'utf8'));
    assert.equal(settings.cleanupPeriodDays, 9);
    await baseAt(second);
    assert.equal(api.orgUpdates.status(folder)?.behind, 0);
  });

  it('checks a project nested in the folder, and the Layers view shows its org commit and how far it is behind', async () => {
    const api = await activeApi();
    // A monorepo opened at its root: a second project in a sub-folder draws the same org repository.
    const nested = workspacePath('services', 'api');
    const nestedProject = path.join(nested, '.claude-env', 'project.yaml');
    fs.mkdirSync(path.dirname(nestedProject), { recursive: true });
    fs.writeFileSync(
      nestedProject,
      `version: 1\nsource:\n  git: ${bareRepository}\n  ref: main\n  path: claude-env\nteams: [web]\n`,
    );
    const fetched = await fetchSources({ workspace: nested, git: systemGit(), env: process.env });
    assert.deepEqual(fetched.diagnostics, []);
    const locked = fetched.sources[0]?.commit;
    assert.ok(locked);

    fs.writeFileSync(path.join(work, 'claude-env', 'teams', 'web.yaml'), 'version: 1\nsettings:\n  model: team-next\n');
    const tip = commit('The web team moves to the next model');
    const told = api.orgUpdates.notifications().length;
    const results = await api.orgUpdates.checkNow();
    const checked = results.find((result) => result.workspace === nested);
    assert.equal(checked?.newCommits?.count, 1, JSON.stringify(results.map((result) => result.workspace)));
    assert.equal(checked?.report.source?.tip, tip);
    // Both projects are 1 behind on the same repository and ref: one notification names both.
    assert.deepEqual(api.orgUpdates.notifications().slice(told), [
      `The org layers have 1 new commit in ${path.basename(workspacePath())}, services/api`,
    ]);
    assert.equal(api.orgUpdates.status(nested)?.behind, 1);

    // The views show the project of the active layer file: the nested one, once its file is open.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(nestedProject));
    let seen = '';
    const base = await whenEvent(
      api.onDidChangeStack,
      async () => {
        const stack = await api.layers();
        const layer = stack?.layers.find((candidate) => candidate.kind === 'base');
        const description = layer ? String(api.layerItem(layer).description) : '';
        seen = `${stack?.workspace}: ${description}`;
        return stack?.workspace === nested && description.endsWith('behind') ? description : undefined;
      },
      'the nested project in the Layers view',
    ).catch((error: Error) => {
      throw new Error(`${error.message}; the Layers view shows ${seen}`);
    });
    assert.match(base, new RegExp(`· ${locked.slice(0, 12)} main, 1 behind$`));
  });
});
