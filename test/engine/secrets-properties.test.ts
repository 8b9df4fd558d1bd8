import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Redactor, findReferences, mapReferences, scanReferences } from '../../engine/src/secrets';
import { toClaudeCodeSyntax, toVsCodeSyntax } from '../../engine/src/outputs';

// Strings built from the characters that make up references, so that the generator hits the grammar's edges
// ($${, unterminated ${, empty names, defaults) far more often than random text would.
const referenceish = fc.string({
  unit: fc.constantFrom('$', '{', '}', ':', '-', 'env', 'secret', 'file', 'A', '_', '1', 'x', ' ', '/', '~'),
  maxLength: 40,
});

describe('secret references (properties)', () => {
  it('scans any string without throwing, and every offset slices to the text it reports', () => {
    fc.assert(
      fc.property(referenceish, (text) => {
        const scan = scanReferences(text);
        for (const found of [...scan.references, ...scan.malformed]) {
          assert.equal(text.slice(found.start, found.end), found.raw);
        }
        for (let i = 1; i < scan.references.length; i++)
          assert.ok(scan.references[i].start >= scan.references[i - 1].end);
      }),
      { numRuns: 1000 },
    );
  });

  it('rebuilds the text when each reference is replaced by itself (only $${ escapes change)', () => {
    fc.assert(
      fc.property(referenceish, (text) => {
        const rebuilt = mapReferences(text, (reference) => reference.raw);
        if (!text.includes('$${')) assert.equal(rebuilt, text);
        assert.ok(rebuilt.length <= text.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('converts to Claude Code and VS Code syntax without leaving a claude-env reference behind', () => {
    fc.assert(
      fc.property(referenceish, (text) => {
        // Converted output is read by another program; a `${secret:` there would be a broken reference.
        for (const converted of [toClaudeCodeSyntax(text), toVsCodeSyntax(text)]) {
          const leftovers = findReferences(converted).filter((reference) => reference.kind !== 'env');
          if (!text.includes('$${')) assert.deepEqual(leftovers, []);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('Redactor (properties)', () => {
  const secret = fc.string({
    unit: fc.constantFrom('a', 'b', 'c', 'k', '1', '-', '"', '\\'),
    minLength: 4,
    maxLength: 12,
  });

  it('leaves no registered value in any text it redacts', () => {
    fc.assert(
      fc.property(fc.array(secret, { minLength: 1, maxLength: 4 }), fc.string({ maxLength: 60 }), (values, filler) => {
        const redactor = new Redactor(values);
        const text =
          values.map((value, index) => `${filler.slice(0, index * 3)}${value}`).join(filler) + values.join('');
        const redacted = redactor.redact(text);
        for (const value of values) assert.equal(redacted.includes(value), false, `${value} survived in ${redacted}`);
      }),
      { numRuns: 1000 },
    );
  });
});
