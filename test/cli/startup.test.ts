import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyExample } from '../helpers/examples';
import { cliPath } from '../helpers/cli';
import { isolatedEnv } from '../helpers/env';
import { tempFolder, writeFile } from '../helpers/workspace';

/**
 * What an everyday command loads at start. The MCP SDK, the supervisor and the gateway client need `node:net`;
 * `show` and `validate` must not evaluate them (they are loaded when an `mcp` command or a gateway `apply` runs),
 * and the layer schema is compiled at build time, so its validation needs no compile either.
 */
describe('claude-env start-up', function () {
  this.timeout(60_000);

  function builtinsLoadedBy(args: string[]): string[] {
    const folder = tempFolder('claude-env-startup-');
    const tracer = join(folder, 'trace.js');
    writeFile(
      tracer,
      "const Module = require('module'); const load = Module._load; const seen = new Set();\n" +
        'Module._load = function (request, ...rest) { seen.add(request); return load.call(this, request, ...rest); };\n' +
        "process.on('exit', () => require('fs').writeFileSync(process.env.TRACE_OUT, [...seen].join('\\n')));\n",
    );
    const out = join(folder, 'loaded.txt');
    const run = spawnSync(process.execPath, ['--require', tracer, cliPath(), ...args], {
      cwd: copyExample(),
      env: { ...isolatedEnv(tempFolder('claude-env-home-')), TRACE_OUT: out },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    return readFileSync(out, 'utf8').split('\n');
  }

  for (const command of [['show'], ['validate', '--no-secrets'], ['explain', 'settings.model']]) {
    it(`${command[0]} loads neither the MCP stack nor a network module`, () => {
      const loaded = builtinsLoadedBy(command);
      assert.ok(loaded.includes('node:fs') || loaded.includes('fs'), loaded.join(','));
      for (const unwanted of ['node:net', 'net', 'node:http', 'http', 'node:stream', 'stream'])
        assert.ok(!loaded.includes(unwanted), `${command.join(' ')} loaded ${unwanted}`);
    });
  }
});
