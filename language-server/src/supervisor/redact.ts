/**
 * Masks resolved secret values in text before it is kept or shown. The engine's shared redactor lives in
 * `engine/secrets`; the supervisor carries this small one so that it depends only on `ResolvedServer` values.
 */
export type RedactFn = (text: string) => string;

export const REDACTED = '***';

/** Values shorter than this are not masked: masking `1` or `a` would shred every log line. */
const MIN_SECRET_LENGTH = 4;

export function createRedactor(secretValues: readonly string[]): RedactFn {
  // Longest first so that a secret containing another secret is masked whole.
  const secrets = [...new Set(secretValues)]
    .filter((value) => value.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  if (secrets.length === 0) return (text) => text;
  const pattern = new RegExp(secrets.map(escapeRegExp).join('|'), 'g');
  return (text) => text.replace(pattern, REDACTED);
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
