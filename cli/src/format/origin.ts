import type { Origin } from '../../../language-server/src/engine/types';
import { displayPath } from './diagnostics';

/** `.claude-env/project.yaml:12` (key line, 1-based), or the variable name for the environment layer. */
export function originPlace(origin: Origin, cwd: string): string {
  if (origin.file.startsWith('env:')) return origin.file.slice(4);
  return `${displayPath(cwd, origin.file)}:${origin.keyRange.start.line + 1}`;
}

/** `team web ../org/teams/web.yaml:5` — who set a value and where. */
export function describeWrite(origin: Origin, cwd: string): string {
  return `${origin.label} ${originPlace(origin, cwd)}`;
}

/** `← project .claude-env/project.yaml:12 (overrides team web teams/web.yaml:8, base base.yaml:5)`. */
export function provenanceNote(origin: Origin, overridden: readonly Origin[], cwd: string): string {
  const overrides = overridden.length > 0 ? ` (overrides ${overridden.map((o) => describeWrite(o, cwd)).join(', ')})` : '';
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
