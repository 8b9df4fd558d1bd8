/**
 * Keeps literal credentials out of hovers, lenses and the outline. References (`${secret:…}`) are shown as
 * written; a literal that the secrets check would flag is masked, because the hover of one file may show a value
 * written in another, and a screen share should not leak it.
 */
import { findLiteralSecrets } from '@claude-env/engine';

export const MASKED_VALUE = '•••••• (literal credential hidden)';

export function maskIfSecretLike(path: readonly string[], value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const keyName = path[path.length - 1] ?? '';
  return findLiteralSecrets(value, keyName).length > 0 ? MASKED_VALUE : value;
}
