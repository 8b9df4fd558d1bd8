import { strict as assert } from 'node:assert';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { LAYER_VALIDATOR_OPTIONS, layerValidator } from '../../engine/src/layerValidator';
import { REPO_ROOT } from '../helpers/paths';

/** The module scripts/build.mjs puts in the bundles in place of engine/src/layerValidator.ts, loaded as they load it. */
async function precompiled(): Promise<ValidateFunction> {
  const { layerValidatorCode, OPTIONS } = (await import(join(REPO_ROOT, 'scripts', 'layerValidatorCode.mjs'))) as {
    layerValidatorCode: (root: string) => string;
    OPTIONS: object;
  };
  assert.deepEqual(OPTIONS, LAYER_VALIDATOR_OPTIONS, 'the build compiles with the options the engine uses');
  const module = { exports: {} as { layerValidator: () => ValidateFunction } };
  const requireHere = createRequire(join(REPO_ROOT, 'scripts', 'build.mjs'));
  new Function('module', 'exports', 'require', layerValidatorCode(REPO_ROOT))(module, module.exports, requireHere);
  return module.exports.layerValidator();
}

const LAYERS: unknown[] = [
  { version: 1, settings: { model: 'opus', permissions: { defaultMode: 'auto', allow: ['Read(a)'] } } },
  { version: 1, settings: { cleanupPeriodDays: 'soon', hooks: { Stop: [{ hooks: [{ type: 'teleport' }] }] } } },
  { version: 1, mcpServers: { 'Dev Box': { type: 'streamable-http', url: 'https://x.example/mcp', timeout: -1 } } },
  { version: 2, outputs: { mcpVia: 'tunnel' }, gateway: { metrics: { prometheus: {} } } },
  { version: 1, settings: { extraKnownMarketplaces: { team: { source: { repo: 'a/b' } } } }, teams: ['bad name'] },
];

describe('the layer validator compiled at build time', () => {
  it('finds exactly what the validator compiled at run time finds, with the same error details', async () => {
    const ahead = await precompiled();
    const atRunTime = layerValidator();
    for (const layer of LAYERS) {
      const expected = atRunTime(layer);
      const expectedErrors = structuredClone(atRunTime.errors ?? null);
      assert.equal(ahead(layer), expected, JSON.stringify(layer));
      assert.deepEqual(ahead.errors ?? null, expectedErrors, JSON.stringify(layer));
    }
  });
});
