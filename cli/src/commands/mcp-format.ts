import type { ServerState, ServerStatus, StateChangeEvent } from '@claude-env/mcp';
import { escapeControl } from '@claude-env/engine';
import { PALETTE_SEQUENCE, type Palette } from '../format/colour';

/** Renders rows as aligned columns; the last column is never padded so long reasons do not add trailing blanks. */
export function renderTable(headers: string[], rows: string[][], palette: Palette): string {
  // Widths as the sink will print the cells: colour codes take no room, escaped control characters do.
  const visible = (text: string) => escapeControl(text.replace(PALETTE_SEQUENCE, '')).length;
  const widths = headers.map((header, column) =>
    Math.max(visible(header), ...rows.map((row) => visible(row[column] ?? ''))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell + ' '.repeat(widths[column] - visible(cell))))
      .join('  ')
      .trimEnd();
  return [line(headers.map((header) => palette.bold(header))), ...rows.map(line)].join('\n') + '\n';
}

export function colourState(state: ServerState | string, palette: Palette): string {
  switch (state) {
    case 'running':
    case 'ok':
    case 'allowed':
      return palette.green(state);
    case 'degraded':
    case 'restarting':
    case 'starting':
      return palette.yellow(state);
    case 'crashed':
    case 'failed':
    case 'blocked':
    case 'unresolved':
      return palette.red(state);
    default:
      return state;
  }
}

/** `1.2 s`, `85 ms`, or `-` when unmeasured. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** One line per state change for `mcp run`: time, name, state and reason. */
export function formatStateChange(event: StateChangeEvent, palette: Palette): string {
  const time = new Date(event.time).toISOString();
  return `${palette.dim(time)} ${event.name}: ${colourState(event.state, palette)} - ${event.reason}\n`;
}

/** The JSON form of a status, for `mcp check --json` and `mcp run --json`. */
export function statusToJson(status: ServerStatus): Record<string, unknown> {
  return {
    name: status.name,
    type: status.type,
    state: status.state,
    reason: status.reason,
    serverInfo: status.serverInfo ?? null,
    handshakeMs: status.metrics.handshakeMs ?? null,
    pingMs: status.metrics.lastPingMs ?? null,
    restarts: status.metrics.restarts,
    tools: status.catalog.tools.map((tool) => tool.name),
    resources: status.catalog.resources.length,
    prompts: status.catalog.prompts.length,
  };
}
