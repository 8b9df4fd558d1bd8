/**
 * Renders provenance (where a value was set, what it overrode) for tooltips and messages, and turns an origin
 * into the location a click jumps to.
 */
import * as vscode from 'vscode';
import { originPlace, originText } from '@claude-env/engine';
import type { OriginJson, ProtocolRange } from '@claude-env/protocol';

/** `web.yaml:5` (one-based line), or the variable's name for the environment layer. */
export function originLabel(origin: OriginJson): string {
  return originPlace(originText(origin, { nameOnly: true }));
}

/** A short single-line rendering of a value, for tree descriptions. */
export function shortValue(value: unknown, max = 60): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Markdown explaining where `value` at `path` came from and what it replaced. */
export function provenanceMarkdown(
  path: string[],
  value: unknown,
  origin: OriginJson,
  overridden: OriginJson[],
): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString();
  markdown.appendMarkdown(`**${path.join('.')}**`);
  if (typeof value !== 'object' || value === null) markdown.appendMarkdown(` = \`${shortValue(value, 120)}\``);
  markdown.appendMarkdown(`\n\nSet by the **${origin.label}** layer at \`${originLabel(origin)}\` (${origin.file})`);
  if (overridden.length > 0) {
    markdown.appendMarkdown('\n\nOverrides:');
    for (const previous of overridden) {
      markdown.appendMarkdown(
        `\n- ${previous.label} at \`${originLabel(previous)}\`: \`${shortValue(previous.value, 80)}\``,
      );
    }
  }
  return markdown;
}

function toRange(range: ProtocolRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/** The `vscode.open` command that shows the line an origin wrote, or undefined for the environment layer. */
export function openOriginCommand(origin: OriginJson): vscode.Command | undefined {
  if (!origin.uri) return undefined;
  const options: vscode.TextDocumentShowOptions = { selection: toRange(origin.keyRange), preview: true };
  return { command: 'vscode.open', title: 'Go to Definition', arguments: [vscode.Uri.parse(origin.uri), options] };
}
