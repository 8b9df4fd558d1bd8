/**
 * How one supervisor log line reads in a server's output channel. Kept apart from the channel code (no `vscode`
 * import) so that it is tested against a real server without an editor.
 */
import { escapeControl } from '@claude-env/engine';
import type { LogLine } from '@claude-env/mcp';

/**
 * `time [source level] text`. The text is already redacted by the supervisor; what a server printed is shown as
 * written with its control characters as `\uXXXX` (an output channel is an editor: bidirectional overrides reorder
 * what is read there), and a line break inside one log record as `\n`, so a server cannot forge a line of its own.
 */
export function formatLogLine(line: LogLine): string {
  const level = line.level ? ` ${oneLine(line.level)}` : '';
  return `${new Date(line.time).toISOString()} [${line.source}${level}] ${oneLine(line.text)}`;
}

function oneLine(text: string): string {
  return escapeControl(text).replace(/\n/g, '\\n');
}
