/** Shortest value worth redacting: shorter ones (`1`, `yes`) would blank out ordinary log text. */
export const MIN_REDACTED_LENGTH = 4;

/** The text that replaces a secret in logs. */
export const REDACTION = '***';

/**
 * Replaces registered secret values in text before it reaches a log. Values are matched longest first so that
 * a secret containing another secret is hidden as a whole. A value is also registered in its JSON-escaped
 * form, because servers often log the JSON they received.
 */
export class Redactor {
  private readonly values = new Set<string>();
  private ordered: string[] | undefined;

  constructor(values: Iterable<string> = []) {
    this.addAll(values);
  }

  /** Registers one value; values shorter than `MIN_REDACTED_LENGTH` are ignored. */
  add(value: string): void {
    for (const form of [value, JSON.stringify(value).slice(1, -1)]) {
      if (form.length >= MIN_REDACTED_LENGTH && !this.values.has(form)) {
        this.values.add(form);
        this.ordered = undefined;
      }
    }
  }

  addAll(values: Iterable<string>): void {
    for (const value of values) this.add(value);
  }

  /** Number of distinct forms registered (for tests and status output). */
  get size(): number {
    return this.values.size;
  }

  redact(text: string): string {
    if (this.values.size === 0 || !text) return text;
    this.ordered ??= [...this.values].sort((a, b) => b.length - a.length);
    let out = text;
    for (const value of this.ordered) {
      if (out.includes(value)) out = out.split(value).join(REDACTION);
    }
    return out;
  }
}
