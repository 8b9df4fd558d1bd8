import Ajv, { type ValidateFunction } from 'ajv';
import layerSchema from '../../schemas/layer.schema.json';

/**
 * The options the layer schema is compiled with; scripts/build.mjs compiles it ahead of time with the same ones
 * (ajv's standalone code), and the bundles use that code in place of this module, so that no command pays for
 * loading and compiling ajv. Run from source (tests, tsx), this module compiles the schema on first use.
 */
export const LAYER_VALIDATOR_OPTIONS = { allErrors: true, strict: false, verbose: true, inlineRefs: false } as const;

let compiled: ValidateFunction | undefined;

/** The layer schema's validator. */
export function layerValidator(): ValidateFunction {
  compiled ??= new Ajv(LAYER_VALIDATOR_OPTIONS).compile(layerSchema);
  return compiled;
}
