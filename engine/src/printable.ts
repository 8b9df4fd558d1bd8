/**
 * Text from a repository (keys, values, file names) or from an MCP server ends up on terminals and in editors.
 * A terminal obeys the control characters in it: OSC 52 writes the clipboard, OSC 0 sets the window title, CSI
 * moves the cursor and clears the screen, a backspace or carriage return overprints what was printed before,
 * and bidirectional overrides (U+202E) show text in another order than it is read (CVE-2021-42574).
 */

/**
 * Every character that a terminal or an editor would act on instead of showing: C0 controls except tab and
 * newline, DEL, C1 controls (U+009B is an 8-bit CSI), the line and paragraph separators, and the bidirectional
 * marks, embeddings, overrides and isolates.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with every control character written as a `\uXXXX` escape, the form JSON and JavaScript use, so that
 * a reader sees that something was there and what it was, and so that an escaped JSON document stays valid
 * JSON with the same value. Tab and newline are kept; text without control characters is returned unchanged.
 */
export function escapeControl(text: string): string {
  CONTROL.lastIndex = 0;
  if (!CONTROL.test(text)) return text;
  return text.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Whether `text` holds a character that `escapeControl` would escape. */
export function hasControl(text: string): boolean {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text);
}
