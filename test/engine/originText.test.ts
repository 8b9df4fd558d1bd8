import { strict as assert } from 'node:assert';
import { describeOrigin, displayFile, originPlace, originText } from '@claude-env/engine';

const range = (line: number) => ({ start: { line, character: 2 }, end: { line, character: 7 } });
const team = { label: 'team web', file: '/work/org/teams/web.yaml', keyRange: range(7) };
const environment = { label: 'environment', file: 'env:CLAUDE_ENV_MODEL', keyRange: range(0) };

describe('origin text', () => {
  it('gives the layer, the file relative to the folder and the one-based line', () => {
    assert.deepEqual(originText(team, { folder: '/work/repo' }), {
      layer: 'team web',
      file: '../org/teams/web.yaml',
      line: 8,
    });
    assert.equal(originPlace(originText(team, { folder: '/work/repo' })), '../org/teams/web.yaml:8');
  });

  it("shows only the file's name for narrow rows, and folder/name for messages that know no folder", () => {
    assert.equal(originPlace(originText(team, { nameOnly: true })), 'web.yaml:8');
    assert.equal(describeOrigin(team), 'team web (teams/web.yaml:8)');
  });

  it('names the variable for the environment layer, with no line, whatever the options', () => {
    for (const options of [{}, { folder: '/work/repo' }, { nameOnly: true }]) {
      assert.deepEqual(originText(environment, options), { layer: 'environment', file: 'CLAUDE_ENV_MODEL' });
    }
    assert.equal(describeOrigin(environment), 'environment (CLAUDE_ENV_MODEL)');
  });

  it('prefers ~/… for a file outside the folder when that is shorter', () => {
    const user = '/home/ada/.config/claude-env/user.yaml';
    assert.equal(
      displayFile(user, { folder: '/srv/checkouts/deep/repo', home: '/home/ada' }),
      '~/.config/claude-env/user.yaml',
    );
    assert.equal(displayFile(user, { folder: '/home/ada', home: '/home/ada' }), '.config/claude-env/user.yaml');
    assert.equal(displayFile('/work/repo', { folder: '/work/repo' }), '.');
  });
});
