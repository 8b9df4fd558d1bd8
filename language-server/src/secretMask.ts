/**
 * Keeps literal credentials out of hovers, lenses, the outline and the `claudeEnv/` requests. References
 * (`${secret:…}`) are shown as written; a literal that the secrets check would flag is masked, because the hover
 * of one file may show a value written in another, the effective configuration opens as a document, and a screen
 * share should not leak it.
 */
import { findLiteralSecrets, setOwn } from '@claude-env/engine';

export const MASKED_VALUE = '•••••• (literal credential hidden)';

/**
 * `value` (found at `path`) with every string that looks like a credential replaced by `MASKED_VALUE`, also inside
 * lists and maps: a string is judged by the key that holds it (`API_KEY: …`), list items by the list's key.
 */
export function maskIfSecretLike(path: readonly (string | number)[], value: unknown): unknown {
  return maskValue(value, keyNameOf(path));
}

function keyNameOf(path: readonly (string | number)[]): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const segment = path[i];
    // A list index says nothing about the value; the key of the list does (`args`, `headers.Authorization`).
    if (typeof segment === 'string' && !/^\d+$/.test(segment)) return segment;
  }
  return '';
}

function maskValue(value: unknown, keyName: string): unknown {
  if (typeof value === 'string') return findLiteralSecrets(value, keyName).length > 0 ? MASKED_VALUE : value;
  if (Array.isArray(value)) return value.map((item) => maskValue(item, keyName));
  if (value !== null && typeof value === 'object') {
    const masked: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) setOwn(masked, key, maskValue(item, key));
    return masked;
  }
  return value;
}
