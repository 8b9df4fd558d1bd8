/**
 * Text from a repository (keys, values, team names, file paths) shown in the editor's markdown (hover) and in code
 * lens titles. Markdown acts on more than control characters: `*`, `_`, `[`, backticks and `&#27;`-style entities
 * restyle, relink or re-create the control characters the text was cleaned of; a lens title turns `$(name)` into
 * an icon. Each helper makes the text show as written, control characters as `\uXXXX`.
 */
import { escapeControl } from '@claude-env/engine';

/** One line: control characters escaped, line breaks (which end a markdown paragraph) as spaces. */
function oneLine(text: string): string {
  return escapeControl(text.replace(/\n/g, ' '));
}

/**
 * Text inside a markdown paragraph, shown as written: the characters that start emphasis, code, links, images,
 * HTML, entities, tables and strikethrough are backslash-escaped (CommonMark allows it before any punctuation);
 * parentheses too, as marked (VS Code's renderer) reads `\[x\](y)` inside a link label as a link.
 */
export function markdownText(text: string): string {
  return oneLine(text).replace(/[\\`*_[\]()<>&~|!]/g, (char) => `\\${char}`);
}

/** Bold text from a repository (a layer's label). */
export function bold(text: string): string {
  return `**${markdownText(text)}**`;
}

/**
 * An inline code span that holds any text: fenced by one backtick more than the longest run inside it, padded with
 * a space where the text starts or ends with a backtick (CommonMark strips one space each side).
 */
export function inlineCode(text: string): string {
  const content = oneLine(text);
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const padded = /^`|`$/.test(content) || /^ .* $/.test(content) ? ` ${content} ` : content;
  return `${fence}${padded}${fence}`;
}

/** A link whose label is text from the repository and whose target is a URI (in `<…>`: parentheses stay inside). */
export function markdownLink(label: string, uri: string): string {
  return `[${markdownText(label)}](<${uri.replace(/[<>\s]/g, encodeURIComponent)}>)`;
}

/** A code lens title: control characters escaped, and `$(name)` shown as written instead of as an icon. */
export function lensTitle(text: string): string {
  return oneLine(text).replace(/\$\(/g, '\\$(');
}
