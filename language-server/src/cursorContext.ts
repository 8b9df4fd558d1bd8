/**
 * Where the cursor is, structurally, in a layer file that is being typed and so is often not valid YAML or JSON
 * yet. Completion cannot rely on the parsed tree: a half-typed key has no node. YAML is read by indentation,
 * JSON with jsonc-parser's tolerant scanner.
 */
import { getLocation } from 'jsonc-parser';
import type { Position } from '@claude-env/engine';

export type CursorContext =
  /** Typing a key of the map at `path`. */
  | { kind: 'key'; path: string[]; prefix: string }
  /** Typing the value of `path` (a scalar, or an item of the array at `path`). */
  | { kind: 'value'; path: string[]; prefix: string; inArray: boolean }
  /** Inside `${…` in a string value at `path`; `prefix` is what follows `${`. */
  | { kind: 'reference'; path: string[]; prefix: string };

const KEY_VALUE = /^(\s*)(?:-\s+)?(["']?)([^\s:#"'][^:#"']*)\2\s*:(?:\s+(.*))?$/;
const LIST_ITEM = /^(\s*)-\s*(.*)$/;

export function cursorContext(text: string, format: 'yaml' | 'json', position: Position): CursorContext {
  return format === 'json' ? jsonContext(text, position) : yamlContext(text, position);
}

function yamlContext(text: string, position: Position): CursorContext {
  const lines = text.split(/\r?\n|\r/);
  const before = (lines[position.line] ?? '').slice(0, position.character);
  const indent = before.length - before.trimStart().length;
  const dashed = /^\s*-(\s|$)/.test(before);
  // The path of the map or array the cursor line belongs to; a `- ` line is an item of the array above it.
  const container = dashed
    ? [...parentPath(lines, position.line, indent, true), '0']
    : parentPath(lines, position.line, indent, false);

  const keyValue = KEY_VALUE.exec(before);
  if (keyValue && keyValue[4] !== undefined) {
    const path = [...container, keyValue[3].trim()];
    return valueOrReference(path, keyValue[4], flowArray(keyValue[4]));
  }
  const item = LIST_ITEM.exec(before);
  if (item && !item[2].includes(':')) return valueOrReference(container.slice(0, -1), item[2], true);
  return { kind: 'key', path: container, prefix: before.trim().replace(/^-\s*/, '') };
}

/** A value typed inside a flow sequence (`[a, b`) is an array item. */
function flowArray(value: string): boolean {
  return value.trimStart().startsWith('[') && !value.includes(']');
}

function valueOrReference(path: string[], value: string, inArray: boolean): CursorContext {
  const open = value.lastIndexOf('${');
  if (open >= 0 && !value.slice(open).includes('}')) return { kind: 'reference', path, prefix: value.slice(open + 2) };
  const lastItem = inArray
    ? (
        value
          .replace(/^\s*\[/, '')
          .split(',')
          .pop() ?? ''
      ).trim()
    : value;
  return { kind: 'value', path, prefix: stripQuotes(lastItem), inArray };
}

function stripQuotes(value: string): string {
  return value.replace(/^["']/, '');
}

/**
 * The keys of the maps enclosing a line whose content starts at column `column`, read upwards: a `key:` line
 * further left opens the parent map; a `- ` line further left is an item (index `0`, all the schema needs).
 * `sameColumnParent` lets a `key:` at the same column own the line, as YAML allows for `key:` then `- item`.
 */
function parentPath(lines: readonly string[], lineNumber: number, column: number, sameColumnParent: boolean): string[] {
  const path: string[] = [];
  let limit = column;
  let sameColumn = sameColumnParent;
  for (let i = lineNumber - 1; i >= 0 && (limit > 0 || sameColumn); i--) {
    const raw = lines[i];
    const trimmed = raw.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const lineIndent = raw.length - trimmed.length;
    if (/^-(\s|$)/.test(trimmed)) {
      if (lineIndent >= limit) continue;
      const content = trimmed.replace(/^-\s*/, '');
      const contentColumn = lineIndent + (trimmed.length - content.length);
      const match = KEY_VALUE.exec(content);
      // `- hooks:` with the cursor's line nested under `hooks`.
      if (match && match[4] === undefined && contentColumn < limit) path.unshift(match[3].trim());
      path.unshift('0');
      limit = lineIndent;
      sameColumn = true;
      continue;
    }
    const match = KEY_VALUE.exec(raw);
    if (!match) continue;
    const opensMap = match[4] === undefined || match[4].trim() === '' || match[4].trim().startsWith('#');
    if (lineIndent < limit || (sameColumn && lineIndent === limit && opensMap)) {
      if (!opensMap) continue;
      path.unshift(match[3].trim());
      limit = lineIndent;
      sameColumn = false;
    }
  }
  return path;
}

function jsonContext(text: string, position: Position): CursorContext {
  const offset = offsetOf(text, position);
  const location = getLocation(text, offset);
  const path = location.path.map((segment) => String(segment));
  const prefix =
    location.previousNode?.type === 'string' || location.previousNode?.type === 'property'
      ? String(location.previousNode.value ?? '')
      : '';
  if (location.isAtPropertyKey) return { kind: 'key', path: path.slice(0, -1), prefix };
  const inArray = typeof location.path[location.path.length - 1] === 'number';
  const arrayPath = inArray ? path.slice(0, -1) : path;
  const open = prefix.lastIndexOf('${');
  if (open >= 0 && !prefix.slice(open).includes('}'))
    return { kind: 'reference', path: arrayPath, prefix: prefix.slice(open + 2) };
  return { kind: 'value', path: arrayPath, prefix, inArray };
}

function offsetOf(text: string, position: Position): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + position.character, text.length);
}
