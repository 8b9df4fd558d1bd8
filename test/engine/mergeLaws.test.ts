import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { mergeTexts } from '../helpers/stack';

// Small random layers over a fixed vocabulary, so that layers collide often.
const key = fc.constantFrom('a', 'b', 'c');
const scalar = fc.oneof(fc.constantFrom('x', 'y', 'z'), fc.integer({ min: 0, max: 3 }), fc.boolean());
const envMap = fc.dictionary(key, fc.constantFrom('1', '2', '3'), { maxKeys: 3 });
const rules = fc.array(fc.constantFrom('Read(a)', 'Bash(b)', 'Edit(c)', 'Write(d)'), { maxLength: 5 });
const layerValue = fc.record(
  {
    settings: fc.record(
      {
        model: scalar.map(String),
        env: envMap,
        permissions: fc.record({ allow: rules, deny: rules }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

const merged = (values: unknown[]) =>
  mergeTexts(
    values.map((value, i) => ({
      kind: (['base', 'project', 'user', 'local'] as const)[i % 4],
      label: `layer ${i}`,
      text: stringify(value),
    })),
  ).value;

describe('merge laws', () => {
  it('an empty layer changes nothing', () => {
    fc.assert(
      fc.property(fc.array(layerValue, { minLength: 1, maxLength: 3 }), fc.nat(3), (layers, at) => {
        const withEmpty = [...layers];
        withEmpty.splice(Math.min(at, layers.length), 0, {});
        assert.deepEqual(merged(withEmpty.slice(0, 4)), merged(layers.slice(0, withEmpty.length > 4 ? 3 : 4)));
      }),
    );
  });

  it('merging is idempotent: a layer repeated on top of itself changes nothing', () => {
    fc.assert(
      fc.property(layerValue, (layer) => {
        assert.deepEqual(merged([layer, layer]), merged([layer]));
      }),
    );
  });

  it('union lists are order-preserving and duplicate-free', () => {
    fc.assert(
      fc.property(fc.array(rules, { minLength: 1, maxLength: 4 }), (lists) => {
        const result = merged(lists.map((allow) => ({ settings: { permissions: { allow } } })));
        const allow = (result.settings.permissions as { allow?: string[] })?.allow ?? [];
        const expected = [...new Set(lists.flat())];
        assert.deepEqual(allow, expected);
      }),
    );
  });

  it('delete then re-add yields the re-added value', () => {
    fc.assert(
      fc.property(layerValue, envMap, (lower, readded) => {
        const result = merged([lower, { settings: { env: { $delete: true } } }, { settings: { env: readded } }]);
        assert.deepEqual(result.settings.env, { ...readded });
      }),
    );
  });

  it('the highest layer that sets a scalar wins', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(scalar.map(String), { nil: undefined }), { minLength: 1, maxLength: 4 }),
        (models) => {
          const result = merged(models.map((model) => (model === undefined ? {} : { settings: { model } })));
          const expected = [...models].reverse().find((m) => m !== undefined);
          assert.equal(result.settings.model, expected);
        },
      ),
    );
  });
});
