import { strict as assert } from 'node:assert';
import { closeMatches, closestMatch } from '@claude-env/engine';

describe('did you mean', () => {
  it('allows one typo in a short word and two from six characters on', () => {
    assert.deepEqual(closeMatches('lst', ['list', 'logs']), ['list']);
    assert.deepEqual(closeMatches('lgs', ['list']), []);
    assert.deepEqual(closeMatches('valdate', ['validate', 'init']), ['validate']);
    assert.deepEqual(closeMatches('vldate', ['validate']), ['validate']);
    assert.deepEqual(closeMatches('vldte', ['validate']), []);
  });

  it('counts a swap of two neighbours as one typo', () => {
    assert.equal(closestMatch('modle', ['model', 'mold']), 'model');
    assert.equal(closestMatch('ab', ['ba', 'abcd']), 'ba');
  });

  it('ignores case but never suggests the word itself', () => {
    assert.equal(closestMatch('Model', ['model']), 'model');
    assert.equal(closestMatch('model', ['model']), undefined);
  });

  it('offers candidates that contain the word after the typos, closest first, alphabetical on ties', () => {
    assert.deepEqual(closeMatches('model', ['settings.model', 'modal', 'agent.model', 'model']), [
      'modal',
      'agent.model',
      'settings.model',
    ]);
    assert.deepEqual(closeMatches('mo', ['settings.model']), []);
  });

  it('stops at the limit', () => {
    assert.deepEqual(closeMatches('ab', ['aa', 'ac', 'ad', 'ae'], 2), ['aa', 'ac']);
  });
});
