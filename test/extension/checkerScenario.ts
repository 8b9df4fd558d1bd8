/**
 * What the editor's org update check must do over every transport, once a project is up to date with its org
 * repository: a new commit there is told once, Review lists the effective change, Update moves the lock to it.
 */
import { strict as assert } from 'node:assert';
import { readLockFile } from '@claude-env/engine';
import type { OrgUpdateChecker } from '../../extension/src/orgUpdates/checker';
import { orgLayers, type OrgRepo } from '../helpers/gitRepos';

export async function assertNewCommitToldReviewedAndUpdated(
  checker: OrgUpdateChecker,
  workspace: string,
  org: OrgRepo,
): Promise<void> {
  const newer = org.commit(orgLayers('model-b'));
  const told = await checker.check(workspace);
  assert.equal(told.newCommits?.count, 1);
  assert.equal((await checker.check(workspace)).newCommits, undefined, 'told once');
  const review = await checker.review(workspace);
  assert.ok(review.changes.some((change) => change.path === 'settings.model'));
  await checker.update(workspace);
  assert.equal(readLockFile(workspace).sources[0]?.commit, newer);
}
