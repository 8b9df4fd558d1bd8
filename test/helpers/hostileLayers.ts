/**
 * Layer documents built to exhaust a parser's stack or memory, generated on demand (none is committed): the
 * language server tests and `bench/lsp-memory.ts` open them, and `memoryOf` reads what a process holds.
 */
import { existsSync, readFileSync } from 'node:fs';

const times = (count: number, make: (i: number) => string) => Array.from({ length: count }, (_, i) => make(i));

export interface HostileDocument {
  name: string;
  text: () => string;
  /** The limit it breaks and the zero-based line where the server reports it. */
  code: 'syntax.tooManyNodes' | 'syntax.tooDeep';
  line: number;
}

export const LARGE_DOCUMENTS: HostileDocument[] = [
  {
    name: '300k keys (4.4 MB)',
    text: () => `version: 1\nsettings:\n  env:\n${times(300_000, (i) => `    K${i}: v\n`).join('')}`,
    code: 'syntax.tooManyNodes',
    line: 10_001,
  },
  {
    name: '4 MB flow-mapping line',
    text: () => `version: 1\nsettings: {${times(300_000, (i) => `key${i}: 1`).join(', ')}}\n`,
    code: 'syntax.tooManyNodes',
    line: 1,
  },
  {
    name: '10k-deep maps',
    text: () => `version: 1\nsettings:\n  x: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`,
    code: 'syntax.tooDeep',
    line: 2,
  },
  {
    name: '100k-deep lists',
    text: () => `version: 1\nsettings:\n  x: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
    code: 'syntax.tooDeep',
    line: 2,
  },
];

/** Whether this system reports process memory in /proc (Linux). */
export const CAN_MEASURE_MEMORY = existsSync('/proc/self/status');

/** Resident and peak resident memory of a process, in MiB (Linux: /proc/<pid>/status). */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
  return { rssMiB: Math.round(field('VmRSS')), peakMiB: Math.round(field('VmHWM')) };
}
