// Compiles the layer schema ahead of time into ajv's standalone code: a CommonJS module with the exports of
// engine/src/layerValidator.ts (`layerValidator()`, `LAYER_VALIDATOR_OPTIONS`), the validation function built in.
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The options of engine/src/layerValidator.ts (test/engine/layerValidator.test.ts checks both agree). */
export const OPTIONS = { allErrors: true, strict: false, verbose: true, inlineRefs: false };

export function layerValidatorCode(root) {
  const schema = JSON.parse(readFileSync(join(root, 'schemas', 'layer.schema.json'), 'utf8'));
  const ajv = new Ajv({ ...OPTIONS, code: { source: true } });
  const generate = standaloneCode.default ?? standaloneCode;
  const code = generate(ajv, ajv.compile(schema));
  return (
    `${code}\nconst precompiled = module.exports;\n` +
    `module.exports = { layerValidator: () => precompiled, LAYER_VALIDATOR_OPTIONS: ${JSON.stringify(OPTIONS)} };\n`
  );
}
