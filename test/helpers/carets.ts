/**
 * Positions in fixture text. `|` caret markers mark positions and are removed from the text; fixtures that use
 * them therefore avoid `|` elsewhere (block scalars, `Edit|Write` matchers). `positionOf` finds a position by a
 * needle instead, for text that must keep its `|`.
 */
import type { Position } from '@claude-env/engine';

export type { Position };

/** Removes every `|` caret from `marked` and returns the text and the zero-based caret positions, in order. */
export function withCarets(marked: string): { text: string; carets: Position[] } {
  const carets: Position[] = [];
  let text = '';
  let line = 0;
  let character = 0;
  for (const ch of marked) {
    if (ch === '|') {
      carets.push({ line, character });
      continue;
    }
    text += ch;
    if (ch === '\n') {
      line++;
      character = 0;
    } else character += ch.length;
  }
  return { text, carets };
}

/**
 * Text with one `|` caret marking a position; returns the text without it and the 1-based line and column
 * the CLI must print for that position.
 */
export function caret(marked: string): { text: string; line: number; column: number } {
  const { text, carets } = withCarets(marked);
  if (carets.length !== 1) throw new Error(`expected one | caret in the fixture, found ${carets.length}`);
  return { text, line: carets[0].line + 1, column: carets[0].character + 1 };
}

/** Zero-based position of the `occurrence`-th match of `needle` in `text`. */
export function positionOf(text: string, needle: string, occurrence = 0): Position {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`'${needle}' not found ${occurrence + 1} times`);
  }
  const before = text.slice(0, offset).split(/\r\n|\n/);
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** Dedents a template literal so fixtures can be indented with the test code. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce(
    (out, part, index) => out + part + (index < values.length ? String(values[index]) : ''),
    '',
  );
  const lines = raw.replace(/^\n/, '').split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines
    .map((line) => line.slice(cut))
    .join('\n')
    .replace(/[ \t]+$/, '');
}
