import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { loadEnvironment, type FileReader } from '@claude-env/engine';
import { importFiles, layerToYaml } from '../../engine/src/import';
import { renderOutputs } from '../../engine/src/outputs';
import layerSchema from '../../schemas/layer.schema.json';

const WORKSPACE = '/virtual/repo';
const KNOWN_SETTINGS = new Set(
  Object.keys((layerSchema as { properties: { settings: { properties: object } } }).properties.settings.properties),
);

/** Imports `files` into a project layer held in memory, merges it, and renders what apply would write. */
function importThenRender(files: Record<string, string>): Map<string, string> {
  const result = importFiles(
    Object.entries(files).map(([path, text]) => ({ file: `${WORKSPACE}/${path}`, text })),
    { setOutputs: true },
  );
  assert.deepEqual(
    result.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  const layers = new Map([[`${WORKSPACE}/.claude-env/project.yaml`, layerToYaml(result.layer, ['imported'])]]);
  const reader: FileReader = { read: (path) => layers.get(path) };
  const environment = loadEnvironment(WORKSPACE, { reader, env: {}, userConfigDir: '/virtual/user' });
  const errors = environment.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors, [], layers.values().next().value);
  return new Map(renderOutputs(environment).map((output) => [output.path, output.content]));
}

// Text such as people put in commands, arguments and URLs, including `$`, braces and variables.
const text = fc.stringMatching(/^[A-Za-z0-9 ./:@_=$-]{0,12}$/);
const variable = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/);
const withVariables = fc
  .array(
    fc.oneof(
      text,
      variable.map((name) => `\${${name}}`),
      fc.tuple(variable, text).map(([name, fallback]) => `\${${name}:-${fallback.replace(/}/g, '')}}`),
    ),
    { maxLength: 3 },
  )
  .map((parts) => parts.join(''))
  // A `$` glued to a variable (`$${A}`) has no form in a layer; import warns about it (see import.test.ts).
  .filter((joined) => !joined.includes('$${'));
// Any name a client accepts: spaces, slashes, dots, other scripts (`Dev Box MCP`, `microsoft/playwright-mcp`).
const serverName = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,10}$/),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ./@_-]{0,16}[A-Za-z0-9]$/),
  fc.constantFrom('日本語メモ', 'io.github.ChromeDevTools/chrome-devtools-mcp', 'Dev Box MCP'),
);

/** A `.mcp.json` server in the form `apply` writes (type, then transport fields), so bytes can match. */
const stdioServer = fc.record(
  {
    type: fc.constant('stdio'),
    command: text.filter((value) => value.trim() !== ''),
    args: fc.array(withVariables, { maxLength: 4 }),
    env: fc.dictionary(variable, withVariables, { maxKeys: 3 }),
    // Claude Code ignores `cwd` but VS Code does not: it is written back (with a warning, see clientRules.test.ts).
    cwd: fc.stringMatching(/^[a-z][a-z/._-]{0,12}$/),
    // Fields of newer Claude Code releases and of other tools, and comment keys: written back as they were.
    $comment: fc.string({ maxLength: 12 }),
    alwaysLoad: fc.boolean(),
    autoApprove: fc.array(fc.stringMatching(/^[a-z_]{1,8}$/), { maxLength: 2 }),
  },
  { requiredKeys: ['type', 'command', 'args', 'env'] },
);
const httpServer = fc.record({
  type: fc.constantFrom('http', 'sse', 'streamable-http'),
  url: withVariables.map((rest) => `https://example.test/${rest}`),
  headers: fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z-]{0,10}$/), withVariables, { maxKeys: 2 }),
});

describe('import then apply, for any .mcp.json and settings', () => {
  it('renders .mcp.json back to the same bytes when it was in the canonical form', () => {
    fc.assert(
      fc.property(
        fc.dictionary(serverName, fc.oneof(stdioServer, httpServer), { minKeys: 1, maxKeys: 4 }),
        (servers) => {
          const original = `${JSON.stringify({ mcpServers: servers }, null, 2)}\n`;
          assert.equal(importThenRender({ '.mcp.json': original }).get('.mcp.json'), original);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('renders .claude/settings.json back to the same bytes, `${` in settings included', () => {
    const settingValue = fc.oneof(
      withVariables,
      fc.boolean(),
      fc.integer({ min: 0, max: 1000 }),
      fc.array(withVariables, { maxLength: 3 }),
    );
    // Keys Claude Code does not define: the schema checks known keys' types, which random values would break.
    const unknownKey = fc.stringMatching(/^[a-z][A-Za-z]{0,12}$/).filter((key) => !KNOWN_SETTINGS.has(key));
    fc.assert(
      fc.property(fc.dictionary(unknownKey, settingValue, { minKeys: 1, maxKeys: 5 }), (settings) => {
        const original = `${JSON.stringify(settings, null, 2)}\n`;
        assert.equal(importThenRender({ '.claude/settings.json': original }).get('.claude/settings.json'), original);
      }),
      { numRuns: 150 },
    );
  });
});
