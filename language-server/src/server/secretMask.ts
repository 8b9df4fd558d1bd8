/**
 * Keeps literal credentials out of hovers and lenses. References (`${secret:…}`) are shown as written; a literal
 * in a credential-looking place is replaced, because the hover of one file may show a value from another.
 */
const CREDENTIAL_KEY = /(key|token|secret|password|passwd|auth|credential|bearer)/i;

export const MASKED_VALUE = '•••••• (literal value hidden)';

export function maskIfSecretLike(path: readonly string[], value: unknown): unknown {
  if (typeof value !== 'string' || value.includes('${')) return value;
  const last = path[path.length - 1] ?? '';
  const inVariables = path.includes('env') || path.includes('headers');
  if (CREDENTIAL_KEY.test(last) || (inVariables && looksLikeToken(value))) return MASKED_VALUE;
  return value;
}

/** Long, mixed-character strings without spaces: the shape of API keys and tokens. */
function looksLikeToken(value: string): boolean {
  return value.length >= 20 && !/\s/.test(value) && /[0-9]/.test(value) && /[A-Za-z]/.test(value);
}
