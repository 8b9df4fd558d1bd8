import { displayPath, escapeControl, type Diagnostic, type Range, type Severity } from '@claude-env/engine';
import type { Palette } from './colour';

// The engine words paths the same way in its reports' sentences; the CLI has no second copy of the rule.
export { displayPath };

/** `file:line:col` with one-based line and column, as compilers print it so terminals and editors link it. */
export function location(cwd: string, file: string, range: Range): string {
  const path = displayPath(cwd, file);
  if (path.startsWith('env:')) return path;
  return `${path}:${range.start.line + 1}:${range.start.character + 1}`;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** Diagnostics in reading order: by file, then position, then severity. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.code.localeCompare(b.code),
  );
}

function paintSeverity(severity: Severity, colour: Palette): string {
  if (severity === 'error') return colour.red(colour.bold(severity));
  if (severity === 'warning') return colour.yellow(severity);
  return colour.cyan(severity);
}

/** `file:line:col: severity code: message`, then one indented `note` line per related location. */
export function formatDiagnostic(diagnostic: Diagnostic, cwd: string, colour: Palette): string {
  const lines = [
    `${colour.bold(location(cwd, diagnostic.file, diagnostic.range))}: ` +
      `${paintSeverity(diagnostic.severity, colour)} ${colour.dim(diagnostic.code)}: ` +
      `${escapeControl(diagnostic.message)}`,
  ];
  for (const related of diagnostic.related ?? []) {
    lines.push(`  ${location(cwd, related.file, related.range)}: note: ${escapeControl(related.message)}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface DiagnosticCounts {
  errors: number;
  warnings: number;
  infos: number;
}

export function countDiagnostics(diagnostics: readonly Diagnostic[]): DiagnosticCounts {
  return {
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
    infos: diagnostics.filter((d) => d.severity === 'info' || d.severity === 'hint').length,
  };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** `2 errors, 1 warning in 4 files` or `no problems in 4 files`. */
export function summaryLine(counts: DiagnosticCounts, fileCount: number, colour: Palette): string {
  const parts: string[] = [];
  if (counts.errors > 0) parts.push(colour.red(plural(counts.errors, 'error')));
  if (counts.warnings > 0) parts.push(colour.yellow(plural(counts.warnings, 'warning')));
  if (counts.infos > 0) parts.push(plural(counts.infos, 'note'));
  const what = parts.length > 0 ? parts.join(', ') : colour.green('no problems');
  return `${what} in ${plural(fileCount, 'file')}\n`;
}

/**
 * The JSON form of a diagnostic: one-based positions like the text form, paths relative and absolute. The
 * message is escaped like the text form, so that a program printing it does not replay a repository's escapes.
 */
export function diagnosticToJson(diagnostic: Diagnostic, cwd: string): Record<string, unknown> {
  const { start, end } = diagnostic.range;
  const json: Record<string, unknown> = {
    file: displayPath(cwd, diagnostic.file),
    path: diagnostic.file,
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    severity: diagnostic.severity,
    code: diagnostic.code,
    message: escapeControl(diagnostic.message),
  };
  if (diagnostic.related && diagnostic.related.length > 0) {
    json.related = diagnostic.related.map((related) => ({
      file: displayPath(cwd, related.file),
      line: related.range.start.line + 1,
      column: related.range.start.character + 1,
      message: escapeControl(related.message),
    }));
  }
  if (diagnostic.data) json.data = diagnostic.data;
  return json;
}
