/**
 * Shared helpers of the in-editor suite. Waiting is done on VS Code's events (diagnostics, stack changes) with a
 * deadline, never by sleeping.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClaudeEnvApi } from '../../../extension/src/api';
import { SUITE_MODE_ENV, type SuiteMode } from '../suiteReport';

export const EXTENSION_ID = 'claude-env.claude-env';

export function suiteMode(): SuiteMode {
  return process.env[SUITE_MODE_ENV] === 'restricted' ? 'restricted' : 'trusted';
}

export function extension(): vscode.Extension<ClaudeEnvApi> {
  const found = vscode.extensions.getExtension<ClaudeEnvApi>(EXTENSION_ID);
  if (!found) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return found;
}

/** Activates the extension (if the workspace did not already) and waits for the language server. */
export async function activeApi(): Promise<ClaudeEnvApi> {
  const api = await extension().activate();
  await api.serverStarted;
  return api;
}

/** Absolute path of the opened workspace folder (a temp copy of examples/workspace). */
export function workspacePath(...segments: string[]): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the suite needs an opened folder');
  return path.join(folder.uri.fsPath, ...segments);
}

/** Resolves with the first value `probe` returns that is not undefined, re-checking when `event` fires. */
export function whenEvent<T>(
  event: vscode.Event<unknown>,
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const finish = (value: T | undefined) => {
      if (done || value === undefined) return;
      done = true;
      clearTimeout(timer);
      subscription.dispose();
      resolve(value);
    };
    const check = () => void Promise.resolve(probe()).then(finish, () => undefined);
    const timer = setTimeout(() => {
      done = true;
      subscription.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const subscription = event(check);
    check();
  });
}

/** Waits until the diagnostics of `uri` satisfy `accept` and returns them. */
export function diagnosticsWhen(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
): Promise<vscode.Diagnostic[]> {
  return whenEvent(
    vscode.languages.onDidChangeDiagnostics,
    () => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      return accept(diagnostics) ? diagnostics : undefined;
    },
    what,
  );
}

/** Opens a workspace file in an editor. */
export async function openInEditor(...segments: string[]): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(workspacePath(...segments)));
  return vscode.window.showTextDocument(document, { preview: false });
}

/** Replaces a document's whole text in its editor buffer (unsaved, as a person typing). */
export async function replaceText(editor: vscode.TextEditor, text: string): Promise<void> {
  const document = editor.document;
  const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
  const applied = await editor.edit((edit) => edit.replace(whole, text));
  if (!applied) throw new Error(`could not edit ${document.uri.fsPath}`);
}

/** The position of the first occurrence of `needle` in a document (its first character, or `offset` into it). */
export function positionOf(document: vscode.TextDocument, needle: string, offset = 0): vscode.Position {
  const index = document.getText().indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" not found in ${document.uri.fsPath}`);
  return document.positionAt(index + offset);
}

/** Plain text of hover contents. */
export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}
