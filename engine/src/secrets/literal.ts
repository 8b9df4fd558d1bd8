import { splitReferences } from './references';

/** A piece of a literal string that looks like a credential. Offsets index the string as written. */
export interface LiteralSecret {
  start: number;
  end: number;
  /** Why it looks like a key: the known prefix (e.g. `ghp_`) or `high-entropy token`. */
  reason: string;
}

// Vendors' key formats: a fixed prefix followed by a long token. The minimum lengths keep ordinary words
// such as `sk-learn` or `AKIA` on its own from matching.
const KNOWN_PREFIXES: Array<{ pattern: RegExp; label: string }> = [
  { pattern: /^sk-ant-[A-Za-z0-9_-]{16,}$/, label: 'Anthropic key (sk-ant-)' },
  { pattern: /^sk-(proj-)?[A-Za-z0-9_-]{16,}$/, label: 'API key (sk-)' },
  { pattern: /^gh[pousr]_[A-Za-z0-9]{20,}$/, label: 'GitHub token (ghp_)' },
  { pattern: /^github_pat_[A-Za-z0-9_]{20,}$/, label: 'GitHub token (github_pat_)' },
  { pattern: /^xox[abprs]-[A-Za-z0-9-]{10,}$/, label: 'Slack token (xox…-)' },
  { pattern: /^(AKIA|ASIA)[A-Z0-9]{16}$/, label: 'AWS access key (AKIA)' },
  { pattern: /^glpat-[A-Za-z0-9_-]{16,}$/, label: 'GitLab token (glpat-)' },
  { pattern: /^AIza[A-Za-z0-9_-]{30,}$/, label: 'Google API key (AIza)' },
  { pattern: /^hf_[A-Za-z0-9]{20,}$/, label: 'Hugging Face token (hf_)' },
  { pattern: /^npm_[A-Za-z0-9]{30,}$/, label: 'npm token (npm_)' },
];

/** Key names that announce a credential; for them a shorter random-looking token is enough to warn. */
const SECRET_KEY_NAME = /key|token|secret|passw|auth|credential|bearer/i;

/**
 * Finds credential-like tokens among the literal parts of `text` (references are skipped). `keyName` is the
 * variable or header name that holds the value; a name such as `API_KEY` lowers the bar for random tokens.
 */
export function findLiteralSecrets(text: string, keyName = ''): LiteralSecret[] {
  const found: LiteralSecret[] = [];
  const hinted = SECRET_KEY_NAME.test(keyName);
  let offset = 0;
  for (const part of splitReferences(text)) {
    if (part.kind === 'reference') {
      offset = part.reference.end;
      continue;
    }
    // Splitting on separators keeps `Bearer <token>`, `?key=<token>` and `user:<token>` apart. `/` separates
    // only in URLs: elsewhere it belongs to base64 keys (AWS secret keys contain it).
    const tokenPattern = keyName.toLowerCase() === 'url' ? /[^\s"'=&?,;:@/]+/g : /[^\s"'=&?,;:@]+/g;
    for (let match = tokenPattern.exec(part.text); match; match = tokenPattern.exec(part.text)) {
      const token = match[0];
      const reason = credentialReason(token, hinted);
      // Escapes (`$${`) make the literal part shorter than the source; offsets then only approximate.
      if (reason) found.push({ start: offset + match.index, end: offset + match.index + token.length, reason });
    }
    offset += part.text.length;
  }
  return found;
}

/** Why `token` looks like a credential, or undefined. */
export function credentialReason(token: string, hinted = false): string | undefined {
  for (const { pattern, label } of KNOWN_PREFIXES) if (pattern.test(token)) return label;
  if (!/^[A-Za-z0-9+/=_.~-]+$/.test(token)) return undefined;
  if (!/[0-9]/.test(token) || !/[A-Za-z]/.test(token)) return undefined;
  // Paths (`/opt/node/v20.11.0/bin`, `./dist/x-1.js`) contain `/` like base64 does, but also a leading
  // `/`, `.` or `~`, or the `.`, `-`, `_` that standard base64 never has.
  if (token.includes('/') && (/^[/.~]/.test(token) || /[._-]/.test(token))) return undefined;
  // Versions, file names and domain names are dotted words, not keys.
  if (/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(token) && !/[A-Za-z0-9]{20,}/.test(token)) return undefined;
  // Commit hashes and checksums are hex; only a key-like name makes a hex string suspicious.
  if (!hinted && /^[0-9a-f]+$/i.test(token)) return undefined;
  const minLength = hinted ? 16 : 32;
  const minEntropy = hinted ? 3.0 : 3.5;
  if (token.length >= minLength && shannonEntropy(token) >= minEntropy) return 'high-entropy token';
  return undefined;
}

/** Bits per character of the token's own character distribution. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/**
 * A secret name for a quick fix: `magic` + `API_KEY` → `magic-api-key`; settings (no server) use the key alone.
 * Lower-case kebab so that it reads well in `${secret:…}` and maps back to `MAGIC_API_KEY`.
 */
export function suggestSecretName(serverName: string | undefined, keyName: string): string {
  const kebab = (text: string): string =>
    text
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
  const key = kebab(keyName);
  const server = serverName ? kebab(serverName) : '';
  if (!server) return key || 'secret';
  if (!key) return server;
  return key.startsWith(`${server}-`) || key === server ? key : `${server}-${key}`;
}
