import { escapeControl } from '@claude-env/engine';
import type { CliIo } from '../command';
import { PALETTE_SEQUENCE, type Palette } from './colour';

/**
 * `text` safe for a terminal: every control character a repository or a server could have put in it is escaped
 * (`\u001b`), except the palette's own colour sequences when that stream is coloured. JSON stays valid JSON with
 * the same value, because the escapes are JSON's and JSON.stringify never leaves a C0 control raw.
 */
export function terminalText(text: string, palette: Palette): string {
  if (!palette.enabled) return escapeControl(text);
  let out = '';
  let last = 0;
  for (const match of text.matchAll(PALETTE_SEQUENCE)) {
    out += escapeControl(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + escapeControl(text.slice(last));
}

const escaping = new WeakSet<CliIo>();

/**
 * The output sink every command writes through: names, values, paths, diagnostics and server output are the
 * repository's or the server's text, so the sink escapes them once here rather than at every call site.
 */
export function escapingIo(io: CliIo): CliIo {
  if (escaping.has(io)) return io;
  const safe: CliIo = {
    ...io,
    out: (text) => io.out(terminalText(text, io.outColour)),
    err: (text) => io.err(terminalText(text, io.errColour)),
  };
  escaping.add(safe);
  return safe;
}
