import { strict as assert } from 'node:assert';
import { escapeControl } from '../../engine/src/printable';
import { createPalette } from '../../cli/src/format/colour';
import { terminalText } from '../../cli/src/format/printable';
import { HOSTILE_TEXT, rawControls } from '../helpers/hostileText';
import { runCli, type CliRun } from '../helpers/cli';
import { workspaceWith } from '../helpers/workspace';

/** YAML double-quoted scalars take JSON's escapes, so a hostile string is written as its JSON form. */
const quoted = (text: string) => JSON.stringify(text);

/**
 * A repository whose every kind of name and value carries the hostile strings: setting keys and values, env
 * names and values, server names, commands and arguments. Case `i` is in `model<i>`, `NAME<i>`, `server<i>`.
 */
function hostileWorkspace(texts: readonly string[]): string {
  const lines = ['version: 1', 'settings:'];
  texts.forEach((text, i) => lines.push(`  ${quoted(`model${i}${text}`)}: ${quoted(`value${i}${text}`)}`));
  lines.push('  env:');
  texts.forEach((text, i) => lines.push(`    ${quoted(`NAME${i}${text}`)}: ${quoted(`env-value${i}${text}`)}`));
  lines.push('mcpServers:');
  texts.forEach((text, i) =>
    lines.push(
      `  ${quoted(`server${i}${text}`)}:`,
      `    command: ${quoted(`node${i}${text}`)}`,
      `    args: [${quoted(`--flag=${i}${text}`)}]`,
    ),
  );
  return workspaceWith({ '.claude-env/project.yaml': `${lines.join('\n')}\n` });
}

function printed(run: CliRun): string {
  return run.stdout + run.stderr;
}

function assertNothingRaw(run: CliRun, what: string): void {
  assert.deepEqual(rawControls(printed(run)), [], `${what} printed control characters raw:\n${printed(run)}`);
}

/** `value` as `show` prints it: plain, or quoted as JSON when YAML would misread it plain (`\b`, not `\u0008`). */
function assertShown(output: string, value: string, what: string): void {
  const forms = [escapeControl(value), escapeControl(JSON.stringify(value))];
  assert.ok(
    forms.some((form) => output.includes(form)),
    `${what}: ${JSON.stringify(value)} not shown escaped in\n${output}`,
  );
}

describe('claude-env escapes control characters from the repository', function () {
  this.timeout(120_000);
  const texts = HOSTILE_TEXT.map((hostile) => hostile.text);
  let workspace: string;
  before(() => {
    workspace = hostileWorkspace(texts);
  });

  for (const command of [
    ['validate'],
    ['show'],
    ['show', '--explain'],
    ['explain', 'settings'],
    ['mcp', 'list'],
    ['diff'],
  ]) {
    it(`${command.join(' ')} prints every hostile name and value escaped (${HOSTILE_TEXT.length} cases)`, () => {
      const run = runCli(command, { cwd: workspace });
      assert.notEqual(run.code, 70, run.stderr);
      assertNothingRaw(run, command.join(' '));
      if (command[0] === 'show' || command[0] === 'explain') {
        HOSTILE_TEXT.forEach(({ name, text }, i) => assertShown(run.stdout, `value${i}${text}`, name));
      }
    });
  }

  it('show --json and validate --json stay valid JSON holding the values as written', () => {
    const show = runCli(['show', '--json'], { cwd: workspace });
    assertNothingRaw(show, 'show --json');
    const value = (JSON.parse(show.stdout) as { value: { settings: Record<string, unknown> } }).value;
    texts.forEach((text, i) => assert.equal(value.settings[`model${i}${text}`], `value${i}${text}`));
    const validate = runCli(['validate', '--json'], { cwd: workspace });
    assertNothingRaw(validate, 'validate --json');
    const { diagnostics } = JSON.parse(validate.stdout) as { diagnostics: Array<{ message: string }> };
    assert.ok(diagnostics.length >= texts.length, 'a diagnostic per hostile server name at least');
    for (const diagnostic of diagnostics) assert.deepEqual(rawControls(diagnostic.message), [], diagnostic.message);
  });

  it('keeps its own colours on a colour terminal while escaping the repository’s sequences', () => {
    const run = runCli(['validate'], { cwd: hostileWorkspace(['\u001b]52;c;eA==\u0007']), env: { FORCE_COLOR: '1' } });
    const escapes = printed(run).match(/\u001b[^m]*m/g) ?? [];
    assert.ok(escapes.length > 0, 'colours are on');
    for (const sequence of escapes) assert.match(sequence, /^\u001b\[(1|2|22|31|32|33|36|39)m$/);
    assert.match(run.stdout, /\\u001b\]52;c;eA==\\u0007/);
  });

  it('prints JSON for ordinary text byte for byte as JSON.stringify writes it', () => {
    const workspace = workspaceWith({
      '.claude-env/project.yaml':
        'version: 1\nsettings:\n  env:\n    GREETING: "naïve café 日本語 🚀 “quoted” — tab\\there"\n',
    });
    const run = runCli(['show', '--json'], { cwd: workspace });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `${JSON.stringify(JSON.parse(run.stdout), null, 2)}\n`);
    assert.ok(run.stdout.includes('naïve café 日本語 🚀 “quoted” — tab\\there'));
  });
});

describe('terminalText', () => {
  it('keeps the palette’s own colours on a coloured stream and escapes every other escape', () => {
    const palette = createPalette(true);
    const line = `${palette.red('error')}: key '\u001b]52;c;eA==\u0007' ${palette.dim('\u001b[8mx')}`;
    const printed = terminalText(line, palette);
    assert.equal(printed, `\u001b[31merror\u001b[39m: key '\\u001b]52;c;eA==\\u0007' \u001b[2m\\u001b[8mx\u001b[22m`);
  });

  it('escapes even the palette’s sequences when the stream is not coloured (the palette wrote none)', () => {
    assert.equal(terminalText('\u001b[31mred', createPalette(false)), '\\u001b[31mred');
  });
});
