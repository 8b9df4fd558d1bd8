import { strict as assert } from 'node:assert';
import { escapeControl, hasControl } from '../../engine/src/printable';
import { HOSTILE_TEXT } from '../helpers/hostileText';

describe('escapeControl', () => {
  for (const { name, text } of HOSTILE_TEXT) {
    it(`escapes ${name} so that nothing is left for a terminal to act on`, () => {
      const escaped = escapeControl(text);
      assert.ok(hasControl(text), 'the case holds a control character');
      assert.equal(hasControl(escaped), false, JSON.stringify(escaped));
      assert.match(escaped, /\\u00[0-9a-f]{2}|\\u20[0-9a-f]{2}/);
    });
  }

  it('writes the escapes as JSON does, so that an escaped JSON string parses to the same value', () => {
    for (const { text } of HOSTILE_TEXT) assert.equal(JSON.parse(escapeControl(JSON.stringify(text))), text);
  });

  it('keeps tabs, newlines and ordinary non-ASCII text as they are', () => {
    const text = 'naïve\tcafé\n日本語 🚀 ← “quoted” — Ω';
    assert.equal(escapeControl(text), text);
  });
});
