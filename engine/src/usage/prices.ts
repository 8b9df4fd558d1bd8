import { getOwn } from '../ownKeys';
/**
 * The bundled price table: US dollars per million tokens, per model and token kind, from Anthropic's pricing page
 * (https://platform.claude.com/docs/en/about-claude/pricing) as checked on PRICES_CHECKED. Base and team layers
 * replace or add entries with `pricing:` (docs/usage.md). Haiku 5.5 is listed at its rate for prompts up to 100k
 * tokens; longer prompts cost more and are underestimated.
 */
export const PRICES_CHECKED = '2026-12-01';
export const PRICES_SOURCE = 'https://platform.claude.com/docs/en/about-claude/pricing';

/** Prices of one model, US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Cache writes with the 5-minute lifetime (and writes whose lifetime the transcript does not say). */
  cacheWrite: number;
  /** Cache writes with the 1-hour lifetime. */
  cacheWrite1h: number;
  cacheRead: number;
}

/** A price valid from a day (`YYYY-MM-DD`, UTC) on; without `from`, valid since the model appeared. */
export interface DatedPrice extends ModelPrice {
  from?: string;
}

function price(input: number, output: number, cacheWrite: number, cacheWrite1h: number, cacheRead: number): ModelPrice {
  return { input, output, cacheWrite, cacheWrite1h, cacheRead };
}

const OPUS_45 = price(5, 25, 6.25, 10, 0.5);
const OPUS_4 = price(15, 75, 18.75, 30, 1.5);
const SONNET_4 = price(3, 15, 3.75, 6, 0.3);
const FABLE_5 = price(10, 50, 12.5, 20, 1);

/** Model id (without a date suffix) → prices, newest first where a price changed. */
export const BUNDLED_PRICES: Record<string, DatedPrice[]> = {
  'claude-fable-5-1': [price(10, 50, 12.5, 20, 0.25)],
  'claude-mythos-5-1': [price(10, 50, 12.5, 20, 0.25)],
  'claude-fable-5': [FABLE_5],
  'claude-mythos-5': [FABLE_5],
  'claude-opus-5-5': [price(4, 20, 5, 8, 0.2)],
  'claude-opus-5': [OPUS_45],
  'claude-opus-4-8': [OPUS_45],
  'claude-opus-4-7': [OPUS_45],
  'claude-opus-4-6': [OPUS_45],
  'claude-opus-4-5': [OPUS_45],
  'claude-opus-4-1': [OPUS_4],
  'claude-opus-4': [OPUS_4],
  'claude-sonnet-5-5': [{ ...price(2, 10, 2.5, 4, 0.1), from: '2026-10-07' }, price(2, 10, 2.5, 4, 0.2)],
  'claude-sonnet-5': [price(2, 10, 2.5, 4, 0.2)],
  'claude-sonnet-4-6': [SONNET_4],
  'claude-sonnet-4-5': [SONNET_4],
  'claude-sonnet-4': [SONNET_4],
  'claude-3-7-sonnet': [SONNET_4],
  'claude-haiku-5-5': [price(0.1, 0.5, 0.125, 0.2, 0.01)],
  'claude-haiku-4-5': [price(1, 5, 1.25, 2, 0.1)],
  'claude-3-5-haiku': [price(0.8, 4, 1, 1.6, 0.08)],
};

/** A price table: the bundled one, or the bundled one with a layer's `pricing:` entries laid over it. */
export interface PriceTable {
  models: Record<string, DatedPrice[]>;
  /** The day the bundled prices were checked. */
  checked: string;
  /** Models whose prices come from a layer (`pricing:`), with the layer's label. */
  fromLayers: Record<string, string>;
}

export function bundledPriceTable(): PriceTable {
  return { models: BUNDLED_PRICES, checked: PRICES_CHECKED, fromLayers: {} };
}

/**
 * The model id a table is keyed by: `[1m]`-style suffixes and a trailing release date (`-20251001`) removed, so
 * `claude-sonnet-4-5-20250929` finds `claude-sonnet-4-5`.
 */
export function modelFamily(model: string): string {
  return model.replace(/\[[^\]]*\]$/, '').replace(/-\d{8}$/, '');
}

/**
 * The price of `model` on `day` (`YYYY-MM-DD`), or undefined when the table does not know the model. An id the
 * table lacks falls back to the longest listed id it starts with followed by `-` (a point release that kept its
 * predecessor's prices is still priced), never to a model of another size.
 */
export function priceFor(table: PriceTable, model: string, day: string): ModelPrice | undefined {
  const family = modelFamily(model);
  let prices: DatedPrice[] | undefined = getOwn(table.models, family);
  if (!prices) {
    let best = '';
    for (const id of Object.keys(table.models)) {
      if (id.length > best.length && family.startsWith(`${id}-`) && !/^\d/.test(family.slice(id.length + 1))) best = id;
    }
    prices = best === '' ? undefined : getOwn(table.models, best);
  }
  return prices?.find((entry) => entry.from === undefined || entry.from <= day);
}
