import { strict as assert } from 'node:assert';
import { isSshUrl, remoteProblem } from '../../engine/src/gitSources/spec';

describe('git source URLs over SSH', () => {
  it('accepts the forms organisations write: ssh://, user@host:path and a ~/.ssh/config Host alias', () => {
    for (const url of [
      'ssh://git@github.com/org/layers.git',
      'ssh://git@[::1]:2222/org/layers.git',
      'git@github.com:org/layers.git',
      'github-work:org/layers.git',
      'org-git:/srv/git/layers.git',
    ]) {
      assert.equal(remoteProblem(url), undefined, url);
      assert.equal(isSshUrl(url), true, url);
    }
  });

  it('keeps refusing remote helpers and options, which run programs, and names no SSH for other transports', () => {
    for (const url of ['ext::sh -c touch% /tmp/x', 'ext::ssh', 'fd::3', '-oProxyCommand=x:y', 'C:/repos/org.git']) {
      assert.notEqual(remoteProblem(url), undefined, url);
    }
    for (const url of ['https://example.com/org.git', 'git://127.0.0.1/org.git', 'file:///srv/org.git', '../org']) {
      assert.equal(isSshUrl(url), false, url);
    }
  });
});
