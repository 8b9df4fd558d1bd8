import { getOwn, setOwn } from '../ownKeys';
import type { EffectiveEnvironment } from '../types';
import {
  BUNDLED_PRICES,
  PRICES_CHECKED,
  modelFamily,
  type DatedPrice,
  type ModelPrice,
  type PriceTable,
} from './prices';

const FIELDS: (keyof ModelPrice)[] = ['input', 'output', 'cacheWrite', 'cacheWrite1h', 'cacheRead'];

/**
 * The bundled table with the stack's `pricing:` laid over it. A layer's entry replaces the model's prices for
 * every day (an organisation's negotiated price has no history here); a field it leaves out keeps the bundled
 * price, or for a model the table lacks, follows `input` with Anthropic's usual cache multipliers.
 */
export function priceTableFor(environment: EffectiveEnvironment | undefined): PriceTable {
  const table: PriceTable = { models: { ...BUNDLED_PRICES }, checked: PRICES_CHECKED, fromLayers: {} };
  const pricing = environment?.value.pricing;
  if (!pricing) return table;
  for (const [model, given] of Object.entries(pricing)) {
    if (typeof given !== 'object' || given === null) continue;
    const family = modelFamily(model);
    const bundled = getOwn(BUNDLED_PRICES, family)?.[0];
    const input = given.input ?? bundled?.input;
    const output = given.output ?? bundled?.output;
    if (input === undefined || output === undefined) continue;
    const price: DatedPrice = {
      input,
      output,
      cacheWrite: given.cacheWrite ?? bundled?.cacheWrite ?? input * 1.25,
      cacheWrite1h: given.cacheWrite1h ?? bundled?.cacheWrite1h ?? input * 2,
      cacheRead: given.cacheRead ?? bundled?.cacheRead ?? input * 0.1,
    };
    if (FIELDS.some((field) => !Number.isFinite(price[field]))) continue;
    setOwn(table.models, family, [price]);
    const node = environment.tree.children?.get('pricing')?.children?.get(model);
    const origin = node?.contributors?.at(-1) ?? node?.origin;
    setOwn(table.fromLayers, family, origin?.label ?? 'a layer');
  }
  return table;
}
