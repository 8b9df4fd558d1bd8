/**
 * Quick fixes for the diagnostics that have one obvious repair: remove an override of a locked key, add a
 * missing required property, replace a literal credential by a `${secret:…}` reference, store a secret that is not
 * set on this machine (Set Secret, a command of the editor: the value never passes through here). Each fix is computed
 * from the diagnostic's range and `data` against the current buffer; nothing here trusts stale positions.
 */
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit,
} from 'vscode-languageserver/node';
import { locate, DiagnosticCode } from '@claude-env/engine';
import { layerDocument, type FeatureContext, type LayerDocument } from './featureContext';
import { mapStartingAt } from './paths';

type Fixer = (target: LayerDocument, diagnostic: Diagnostic) => CodeAction | undefined;

/** Quick fixes by diagnostic code. */
const FIXERS: Record<string, Fixer> = {
  [DiagnosticCode.policyLockedKey]: removeEntry,
  [DiagnosticCode.schemaMissingProperty]: addMissingProperty,
  [DiagnosticCode.secretLiteral]: replaceLiteralSecret,
  [DiagnosticCode.secretUnresolved]: setSecretCommand,
};

/** The editor's command that stores a secret in its secret storage (the extension registers it). */
export const SET_SECRET_COMMAND = 'claudeEnv.setSecret';

export async function codeActions(context: FeatureContext, params: CodeActionParams): Promise<CodeAction[]> {
  const relevant = params.context.diagnostics.filter(
    (diagnostic) => typeof diagnostic.code === 'string' && FIXERS[diagnostic.code],
  );
  if (relevant.length === 0) return [];
  const target = await layerDocument(context, params.textDocument.uri);
  if (!target) return [];
  const actions: CodeAction[] = [];
  for (const diagnostic of relevant) {
    const action = FIXERS[diagnostic.code as string](target, diagnostic);
    if (action) actions.push({ ...action, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic] });
  }
  return actions;
}

function edit(target: LayerDocument, title: string, edits: TextEdit[], isPreferred = false): CodeAction {
  return { title, isPreferred, edit: { changes: { [target.document.uri]: edits } } };
}

/** Deletes the whole entry (key, value and its lines) that overrides a locked key. YAML only: JSON needs commas. */
function removeEntry(target: LayerDocument, diagnostic: Diagnostic): CodeAction | undefined {
  if (target.layer.format !== 'yaml') return undefined;
  const located = locate(target.layer, diagnostic.range.start);
  const entry = located?.entry;
  if (!entry) return undefined;
  const end = entry.value.range.end;
  // A value's range may stop at the end of its last line or include the line break; delete whole lines either way.
  const endLine = end.character === 0 && end.line > entry.keyRange.start.line ? end.line : end.line + 1;
  return edit(
    target,
    `Remove the override of locked \`${entry.key}\``,
    [
      {
        range: { start: { line: entry.keyRange.start.line, character: 0 }, end: { line: endLine, character: 0 } },
        newText: '',
      },
    ],
    true,
  );
}

/** Inserts `name: ` as the first key of the map that lacks it, at its children's indentation. */
function addMissingProperty(target: LayerDocument, diagnostic: Diagnostic): CodeAction | undefined {
  const missing = (diagnostic.data as { missingProperty?: unknown } | undefined)?.missingProperty;
  if (typeof missing !== 'string') return undefined;
  if (!target.layer.root) return undefined;
  const map = mapStartingAt(target.layer.root, diagnostic.range.start);
  const title = `Add the required property \`${missing}\``;
  if (target.layer.format === 'json') {
    const at = { line: map.range.start.line, character: map.range.start.character + 1 };
    return edit(target, title, [{ range: { start: at, end: at }, newText: ` "${missing}": "",` }]);
  }
  const first = map.entries[0];
  if (!first) return undefined;
  const line = first.keyRange.start.line;
  const lineText = target.document.getText({
    start: { line, character: 0 },
    end: { line, character: first.keyRange.start.character },
  });
  // `- matcher: x` starts an item map after the dash: the new key goes on its own line, aligned with `matcher`.
  if (lineText.trim().startsWith('-')) {
    const at = first.keyRange.start;
    return edit(target, title, [
      { range: { start: at, end: at }, newText: `${missing}: \n${' '.repeat(at.character)}` },
    ]);
  }
  return edit(target, title, [
    { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${lineText}${missing}: \n` },
  ]);
}

/** Replaces the literal by the reference the secrets check suggests, keeping the value's quoting style. */
function replaceLiteralSecret(target: LayerDocument, diagnostic: Diagnostic): CodeAction | undefined {
  const data = diagnostic.data as
    { replacement?: unknown; suggestedReference?: unknown; suggestedName?: unknown } | undefined;
  if (typeof data?.replacement !== 'string') return undefined;
  const written = target.document.getText(diagnostic.range);
  const newText =
    target.layer.format === 'yaml' && written.startsWith("'")
      ? `'${data.replacement.replace(/'/g, "''")}'`
      : JSON.stringify(data.replacement);
  return edit(
    target,
    `Replace the literal with \`${String(data.suggestedReference ?? data.replacement)}\``,
    [{ range: diagnostic.range, newText }],
    true,
  );
}

/** For `${secret:name}` not set here: the editor's Set Secret, with the name filled in. No edit to the file. */
function setSecretCommand(_target: LayerDocument, diagnostic: Diagnostic): CodeAction | undefined {
  const reference = (diagnostic.data as { reference?: unknown } | undefined)?.reference;
  const name = typeof reference === 'string' ? /^\$\{secret:([^}]+)\}$/.exec(reference)?.[1] : undefined;
  if (!name) return undefined;
  return {
    title: `Set Secret \`${name}\``,
    isPreferred: true,
    command: { title: 'Set Secret', command: SET_SECRET_COMMAND, arguments: [{ name }] },
  };
}
