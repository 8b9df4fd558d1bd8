/**
 * `|` caret markers in fixture text: each marks a position and is removed from the text. Fixtures therefore
 * avoid `|` elsewhere (block scalars, `Edit|Write` matchers).
 */
export interface Position {
  line: number;
  character: number;
}

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
