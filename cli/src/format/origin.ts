import { homedir } from 'node:os';
import { originPlace, originText, type Origin } from '@claude-env/engine';
import { displayPath } from './diagnostics';

/** `.claude-env/project.yaml:12` (key line, 1-based) relative to `cwd`, or the variable name for the environment layer. */
export function placeOf(origin: Origin, cwd: string): string {
  return originPlace(originText(origin, { folder: cwd, home: homedir() }));
}

/** `team web ../org/teams/web.yaml:5` — who set a value and where. */
export function describeWrite(origin: Origin, cwd: string): string {
  return `${origin.label} ${placeOf(origin, cwd)}`;
}

/** `← project .claude-env/project.yaml:12 (overrides team web teams/web.yaml:8, base base.yaml:5)`. */
export function provenanceNote(origin: Origin, overridden: readonly Origin[], cwd: string): string {
  const overrides =
    overridden.length > 0 ? ` (overrides ${overridden.map((o) => describeWrite(o, cwd)).join(', ')})` : '';
  return `← ${describeWrite(origin, cwd)}${overrides}`;
}

/** The JSON form of an origin: layer, file (relative and absolute), 1-based line and column of the key. */
export function originToJson(origin: Origin, cwd: string): Record<string, unknown> {
  const env = origin.file.startsWith('env:');
  return {
    layer: origin.kind,
    label: origin.label,
    file: env ? origin.file : displayPath(cwd, origin.file),
    path: origin.file,
    line: env ? undefined : origin.keyRange.start.line + 1,
    column: env ? undefined : origin.keyRange.start.character + 1,
    value: origin.value,
  };
}

const RESERVED = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', '~', '']);

/** A value as YAML would print it: plain where unambiguous, quoted JSON otherwise. */
export function formatScalar(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value) ?? 'null';
  const plain =
    // YAML indicators cannot start a plain scalar; `-` can only when a letter follows (`-y` reads fine).
    !/^[\s?:,[\]{}#&*!|>'"%@`]/.test(value) &&
    !/^-(\s|$|-)/.test(value) &&
    !/\n|: | #/.test(value) &&
    !/[:\s]$/.test(value) &&
    !RESERVED.has(value.toLowerCase()) &&
    Number.isNaN(Number(value));
  return plain ? value : JSON.stringify(value);
}

/** A short array of scalars on one line, as `[a, b]`; undefined when it would not read well. */
export function inlineArray(value: unknown[]): string | undefined {
  if (!value.every((item) => item === null || typeof item !== 'object')) return undefined;
  const text = `[${value.map(formatScalar).join(', ')}]`;
  return text.length <= 80 ? text : undefined;
}

/**
 * A plain JSON value as YAML-like lines (objects inside lists, `$replace`d maps), each line prefixed with
 * `indent`. Short scalar lists stay on one line.
 */
export function plainLines(value: unknown, indent: string): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}[]`];
    return value.flatMap((item) => {
      const nested =
        item !== null && typeof item === 'object'
          ? plainLines(item, `${indent}  `)
          : [`${indent}  ${formatScalar(item)}`];
      const first = (nested[0] ?? '').slice(indent.length + 2);
      return [`${indent}- ${first}`, ...nested.slice(1)];
    });
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return [`${indent}{}`];
    return entries.flatMap(([key, item]) => {
      const label = /^[A-Za-z0-9_.@/-]+$/.test(key) ? key : JSON.stringify(key);
      if (item === null || typeof item !== 'object') return [`${indent}${label}: ${formatScalar(item)}`];
      const inline = Array.isArray(item) ? inlineArray(item) : undefined;
      if (inline !== undefined) return [`${indent}${label}: ${inline}`];
      if (Object.keys(item).length === 0) return [`${indent}${label}: ${Array.isArray(item) ? '[]' : '{}'}`];
      return [`${indent}${label}:`, ...plainLines(item, `${indent}  `)];
    });
  }
  return [`${indent}${formatScalar(value)}`];
}
