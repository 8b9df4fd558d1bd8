import { strict as assert } from 'node:assert';
import { MAX_NESTING_DEPTH, MAX_NODES, parseLayer } from '../../engine/src/index';

function codesAt(text: string, file = '/w/.claude-env/project.yaml') {
  return parseLayer(file, text, 'project', 'project').diagnostics.map((d) => ({
    code: d.code,
    line: d.range.start.line,
  }));
}

describe('hostile layer content', () => {
  it('reports a 10,000-deep flow map as too deep at its line instead of overflowing the stack', () => {
    const found = codesAt('settings:\n  x: ' + '{a: '.repeat(10_000) + '1' + '}'.repeat(10_000) + '\n');
    assert.deepEqual(found, [{ code: 'syntax.tooDeep', line: 1 }]);
  });

  it('reports a 100,000-deep list as too deep', () => {
    const found = codesAt('settings:\n  x: ' + '['.repeat(100_000) + ']'.repeat(100_000) + '\n');
    assert.deepEqual(found, [{ code: 'syntax.tooDeep', line: 1 }]);
  });

  it('reports a block sequence nested past the limit on one line', () => {
    const found = codesAt('settings:\n  x:\n    ' + '- '.repeat(MAX_NESTING_DEPTH + 5) + 'x\n');
    assert.equal(found[0]?.code, 'syntax.tooDeep');
  });

  it('reports a map of 300,000 keys at the key where the node limit is reached', () => {
    let text = 'settings:\n  env:\n';
    for (let i = 0; i < 300_000; i++) text += `    K${i}: v\n`;
    const found = codesAt(text);
    assert.equal(found.length, 1);
    assert.equal(found[0].code, 'syntax.tooManyNodes');
    assert.ok(found[0].line > MAX_NODES / 2 - 10 && found[0].line < MAX_NODES / 2 + 10);
  });

  it('reports a single 4 MB flow-mapping line as holding too many nodes', () => {
    const parts: string[] = [];
    for (let i = 0; i < 300_000; i++) parts.push(`k${i}: v`);
    const found = codesAt(`settings: {env: {${parts.join(', ')}}}\n`);
    assert.deepEqual(found, [{ code: 'syntax.tooManyNodes', line: 0 }]);
  });

  it('applies the same limits to JSON layers', () => {
    const file = '/w/.claude-env/project.json';
    assert.equal(
      codesAt('{"settings": {"x": ' + '['.repeat(100_000) + ']'.repeat(100_000) + '}}', file)[0]?.code,
      'syntax.tooDeep',
    );
  });

  it('rejects .inf, .nan and out-of-range numbers at their line', () => {
    const found = codesAt('settings:\n  a: .inf\n  b: .nan\n  c: 1e400\n  d: 12345678901234567890\n  e: 3\n').filter(
      (d) => d.code === 'syntax.number',
    );
    assert.deepEqual(
      found.map((d) => d.line),
      [1, 2, 3, 4],
    );
  });

  it('rejects a JSON number beyond the range of a double', () => {
    const found = codesAt('{"settings": {"a": 1e400}}', '/w/.claude-env/project.json');
    assert.ok(found.some((d) => d.code === 'syntax.number'));
  });
});
