/** Shortest value worth redacting: shorter ones (`1`, `yes`) would blank out ordinary log text. */
export const MIN_REDACTED_LENGTH = 4;

/** The text that replaces a secret in logs. */
export const REDACTION = '***';

/**
 * The forms in which a server commonly prints a value it was given: as is; JSON-escaped (it logs the JSON it
 * received), twice when that JSON is itself a string in a log record; URL-encoded (query strings, form bodies);
 * and base64 (Basic auth headers, tokens in JWT-like blobs).
 */
export function encodedForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const component = encodeURIComponent(value);
  return [
    value,
    json,
    JSON.stringify(json).slice(1, -1),
    component,
    component.replace(/%20/g, '+'),
    encodeURI(value),
    ...base64Forms(value),
  ];
}

/**
 * The base64 text of `value` wherever it sits in a longer encoded string. Base64 encodes three bytes as four
 * characters, so the same value encodes three ways depending on its offset modulo 3; of each, only the
 * characters that depend on the value alone are kept (the first ones mix in the bytes before it, the last one
 * the bytes after it). Standard and URL-safe alphabets both.
 */
function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const first = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    const core = encoded.slice(first, end);
    forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

/**
 * Replaces registered secret values in text before it reaches a log, a status or a terminal. Every occurrence of
 * every form of every value is found in the original text first and the overlapping ones are merged, so that
 * two secrets sharing characters (`abcd1234` and `1234efgh` in `abcd1234efgh`) are hidden as a whole, and a
 * secret containing another leaves no part of itself visible.
 */
export class Redactor {
  private readonly values = new Set<string>();
  private ordered: string[] | undefined;

  constructor(values: Iterable<string> = []) {
    this.addAll(values);
  }

  /** Registers one value in all its `encodedForms`; values shorter than `MIN_REDACTED_LENGTH` are ignored. */
  add(value: string): void {
    if (value.length < MIN_REDACTED_LENGTH) return;
    for (const form of encodedForms(value)) {
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

  /**
   * Where a text that continues later (a line longer than a log keeps whole) may be cut so that each part, redacted
   * on its own, hides every secret: before the last `longest - 1` characters (a secret may start there and end in
   * what follows), and never inside a registered form. The text up to the cut can be redacted and emitted; the rest
   * must be kept and prefixed to what comes next. Returns `text.length` when nothing is registered.
   */
  safeCut(text: string): number {
    if (this.values.size === 0) return text.length;
    const longest = this.sorted()[0].length;
    let cut = Math.max(0, text.length - (longest - 1));
    // Moving the cut to the start of a form may land inside another one that overlaps it: repeat until none does.
    const spans = this.spans(text);
    for (let moved = true; moved && cut > 0;) {
      moved = false;
      for (const [start, end] of spans) {
        if (start < cut && cut < end) {
          cut = start;
          moved = true;
        }
      }
    }
    // Only overlapping forms all the way back leave no cut: then the text is all secret, and redacts to `***`.
    return cut > 0 ? cut : text.length;
  }

  redact(text: string): string {
    if (this.values.size === 0 || !text) return text;
    const spans = this.spans(text);
    if (spans.length === 0) return text;
    let out = '';
    let kept = 0;
    let spanStart = spans[0][0];
    let spanEnd = spans[0][1];
    for (const [start, end] of spans) {
      if (start <= spanEnd) {
        spanEnd = Math.max(spanEnd, end);
        continue;
      }
      out += text.slice(kept, spanStart) + REDACTION;
      kept = spanEnd;
      spanStart = start;
      spanEnd = end;
    }
    out += text.slice(kept, spanStart) + REDACTION + text.slice(spanEnd);
    // A value that contains `***` can re-form around a replacement: hide it too.
    for (const value of this.sorted()) if (out.includes(value)) out = out.split(value).join(REDACTION);
    return out;
  }

  private sorted(): string[] {
    this.ordered ??= [...this.values].sort((a, b) => b.length - a.length);
    return this.ordered;
  }

  /** Every occurrence of every form in `text`, as [start, end), sorted by start (longest first on a tie). */
  private spans(text: string): Array<[number, number]> {
    const spans: Array<[number, number]> = [];
    for (const value of this.sorted()) {
      for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) spans.push([at, at + value.length]);
    }
    return spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  }
}
