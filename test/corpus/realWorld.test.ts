import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { readText, tempFolder, writeFile } from '../helpers/workspace';
import { CASES, type RealWorldCase } from './realWorld/cases';
import { mcpServersView, settingsView, vscodeView, type View } from './realWorld/clientViews';

/** Which written file a client reads in place of each imported one, and how it reads both. */
const READS: Record<string, { output: string; view: (text: string) => View }> = {
  '.mcp.json': { output: '.mcp.json', view: (text) => mcpServersView(text) },
  '.vscode/mcp.json': { output: '.vscode/mcp.json', view: vscodeView },
  '.claude/settings.json': { output: '.claude/settings.json', view: settingsView },
  '.claude/settings.local.json': { output: '.claude/settings.local.json', view: settingsView },
  'claude_desktop_config.json': { output: '.mcp.json', view: (text) => mcpServersView(text) },
  // Cursor writes `${env:NAME}` where Claude Code writes `${NAME}`: the same variable.
  '.cursor/mcp.json': { output: '.mcp.json', view: (text) => mcpServersView(text.replace(/\$\{env:/g, '${')) },
};

function workspaceOf(testCase: RealWorldCase): string {
  const workspace = join(tempFolder('claude-env-realworld-'), 'repo');
  for (const [path, text] of Object.entries(testCase.files)) writeFile(join(workspace, path), text);
  return workspace;
}

/**
 * The property, over every case: `import` either writes a layer that `validate` accepts (warnings allowed) and
 * `apply` then writes files from which Claude Code and VS Code load what they loaded from the originals, or it
 * fails with an error at a line of the imported file and writes nothing.
 */
describe('real-world files: import, validate, apply, and what the clients load', function () {
  this.timeout(120_000);

  for (const testCase of CASES) {
    it(testCase.name, () => {
      const workspace = workspaceOf(testCase);
      const home = tempFolder('claude-env-home-');
      const imported = runCli(['import', ...(testCase.importArgs ?? [])], { cwd: workspace, home });
      if (testCase.rejectedIn) {
        assert.equal(imported.code, 1, imported.stderr);
        const lines = testCase.files[testCase.rejectedIn].split('\n').length;
        const found = new RegExp(`^${escape(testCase.rejectedIn)}:(\\d+):\\d+: error import\\.invalid: `, 'm').exec(
          imported.stdout + imported.stderr,
        );
        assert.ok(found, imported.stdout + imported.stderr);
        assert.ok(Number(found[1]) >= 1 && Number(found[1]) <= lines);
        assert.equal(existsSync(join(workspace, '.claude-env', 'project.yaml')), false);
        return;
      }
      assert.equal(imported.code, 0, imported.stdout + imported.stderr);
      const validated = runCli(['validate'], { cwd: workspace, home });
      assert.equal(validated.code, 0, validated.stdout + validated.stderr);
      assert.doesNotMatch(validated.stdout, /: error /);
      const applied = runCli(['apply', '--force'], { cwd: workspace, home });
      assert.equal(applied.code, 0, applied.stdout + applied.stderr);
      const reported = imported.stdout + imported.stderr + validated.stdout;
      for (const code of testCase.expectCodes ?? []) assert.match(reported, new RegExp(` ${escape(code)}: `), code);
      for (const [input, text] of Object.entries(testCase.files)) {
        const { output, view } = READS[input];
        assert.deepEqual(view(readText(join(workspace, output))), view(text), `${input} → ${output}`);
      }
    });
  }

  it('covers at least 80 distinct traits of real files', () => {
    const traits = new Set(CASES.flatMap((testCase) => testCase.traits));
    assert.ok(traits.size >= 80, `only ${traits.size} traits`);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
