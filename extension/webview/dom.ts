/**
 * The page's building blocks, shared by its sections: elements whose text is always set as text (never parsed as
 * HTML), the vscode-elements select, and the theme's chart colours.
 */

/** The theme's chart colours, with VS Code's dark-theme defaults where a theme leaves one out. */
export const PALETTE: [string, string][] = [
  ['blue', '#3794ff'],
  ['green', '#89d185'],
  ['yellow', '#cca700'],
  ['orange', '#d18616'],
  ['purple', '#b180d7'],
  ['red', '#f14c4c'],
];

export function themeColour([name, fallback]: [string, string]): string {
  return getComputedStyle(document.body).getPropertyValue(`--vscode-charts-${name}`).trim() || fallback;
}

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** A table's header row: each column's title, right-aligned (`number`) where the column holds figures. */
export function headerRow(columns: readonly (readonly [title: string, numeric: boolean])[]): HTMLTableRowElement {
  const row = element('tr');
  for (const [title, numeric] of columns) {
    const cell = element('th', title, numeric ? 'number' : undefined);
    cell.scope = 'col';
    row.append(cell);
  }
  return row;
}

/**
 * A labelled vscode-elements select, as one switch: the label and its control stay together on one line (a row
 * of switches wraps between switches, never inside one).
 */
export function select(
  label: string,
  id: string,
  options: [string, string][],
  value: string,
  onChange: (v: string) => void,
): HTMLElement {
  const wrapper = element('label', label);
  wrapper.htmlFor = id;
  const control = document.createElement('vscode-single-select') as HTMLElement & { value: string };
  control.id = id;
  control.setAttribute('aria-label', label);
  for (const [optionValue, text] of options) {
    const option = document.createElement('vscode-option') as HTMLElement & { value: string };
    option.value = optionValue;
    option.textContent = text;
    if (optionValue === value) option.setAttribute('selected', '');
    control.appendChild(option);
  }
  control.addEventListener('change', () => onChange(control.value));
  const pair = element('span', undefined, 'switch');
  pair.append(wrapper, control);
  return pair;
}

/** A folder's last name, as the page names a project (its full path is the element's title). */
export function folderName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

/**
 * Redraws `container` with `draw`; the control of it a person was on (by id) gets the focus back once its
 * replacement has rendered (a vscode-elements control is not focusable before).
 */
export function redrawKeepingFocus(container: HTMLElement, draw: () => void): void {
  const focused = container.contains(document.activeElement) ? document.activeElement?.id : undefined;
  draw();
  const control = focused
    ? container.querySelector<HTMLElement & { updateComplete?: Promise<unknown> }>(`#${focused}`)
    : null;
  if (control) void (control.updateComplete ?? Promise.resolve()).then(() => control.focus());
}

/**
 * Text from outside (a server's name, a reason) with its control and bidirectional-override characters shown as
 * `<U+202E>`: set as text they cannot run, and shown this way they cannot reorder or hide what follows them.
 */
export function printable(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (char) => `<U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`,
  );
}
