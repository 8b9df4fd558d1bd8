/** Translation between the engine's plain types and LSP's (positions are already zero-based UTF-16 on both sides). */
import {
  DiagnosticSeverity,
  type Diagnostic as LspDiagnostic,
  type DiagnosticRelatedInformation,
} from 'vscode-languageserver/node';
import type { Diagnostic, Severity } from '@claude-env/engine';
import { escapeControl } from '@claude-env/engine';
import { pathToUri } from './documents';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The `source` shown next to every claude-env diagnostic. */
export const DIAGNOSTIC_SOURCE = 'claude-env';

export function toLspDiagnostic(diagnostic: Diagnostic): LspDiagnostic {
  const related: DiagnosticRelatedInformation[] = [];
  for (const location of diagnostic.related ?? []) {
    const uri = pathToUri(location.file);
    if (uri) related.push({ location: { uri, range: location.range }, message: escapeControl(location.message) });
  }
  return {
    range: diagnostic.range,
    severity: SEVERITIES[diagnostic.severity],
    code: diagnostic.code,
    source: DIAGNOSTIC_SOURCE,
    // Messages quote keys and values as written; a bidi override or an escape in them must show, not act.
    message: escapeControl(diagnostic.message),
    ...(related.length > 0 ? { relatedInformation: related } : {}),
    ...(diagnostic.data
      ? { data: { ...diagnostic.data, code: diagnostic.code } }
      : { data: { code: diagnostic.code } }),
  };
}

/** Identity of a diagnostic across workspaces, so a base file used by two workspaces shows each problem once. */
export function diagnosticKey(diagnostic: Diagnostic): string {
  const { start, end } = diagnostic.range;
  return `${diagnostic.code}|${start.line}:${start.character}-${end.line}:${end.character}|${diagnostic.message}`;
}
