/**
 * The dashboard's MCP servers section: the gateway daemon's history of each server over the last day or week
 * (uptime, restarts, calls, errors, p50/p95 latency, last state), for this project or all projects. A chart of
 * calls and errors per slice, the same figures in tables, and, with no history, why there is none and what to do.
 * Server names, workspace names and reasons come from outside: they are set as text only, never as HTML.
 */
import { Chart, stackedBarOptions } from './barChart';
import { element, headerRow, PALETTE, printable, redrawKeepingFocus, select, themeColour } from './dom';
import type { HealthBucket, HealthWindow, ServerHistoryRow, ServerHistoryWindow, ServersData } from './messages';
import { count, latencyText, sentence, sliceLabel, timeText, updatedText, uptimeText } from './serversFormat';

/** The section's switches, kept with the page's state (`vscode.setState`). */
export interface ServersView {
  serversWindow?: string;
  serversScope?: string;
}

const SPAN: Record<HealthWindow, string> = { day: 'last 24 hours', week: 'last 7 days' };
/** A slice of each window (mcp's WINDOW_LAYOUT): per what, and how long. */
const SLICE: Record<HealthWindow, { per: string; length: string }> = {
  day: { per: 'hour', length: 'an hour' },
  week: { per: '6 hours', length: '6 hours' },
};
let chart: Chart | undefined;

export function renderServers(root: HTMLElement, data: ServersData, view: ServersView, save: () => void): void {
  // New figures redraw the section; the control a person was on keeps the focus.
  redrawKeepingFocus(root, () => drawSection(root, data, view, save));
}

function drawSection(root: HTMLElement, data: ServersData, view: ServersView, save: () => void): void {
  root.replaceChildren(element('h2', 'MCP servers'));
  const controls = element('div', undefined, 'controls');
  const body = element('div');
  const scopes: [string, string][] = [['all', 'All projects']];
  if (data.projectName !== undefined) scopes.unshift(['project', `This project (${printable(data.projectName)})`]);
  // A switch redraws what is below the controls only: the control stays, with the focus.
  const switched = (key: keyof ServersView) => (value: string) => {
    view[key] = value;
    save();
    drawFigures(body, data, view);
  };
  controls.append(
    select('Servers of', 'servers-scope', scopes, scopeOf(data, view), switched('serversScope')),
    select(
      'Over',
      'servers-window',
      [
        ['day', 'Last 24 hours'],
        ['week', 'Last 7 days'],
      ],
      windowOf(view),
      switched('serversWindow'),
    ),
    // When the figures were read: the section follows the daemon while it is visible.
    element('span', updatedText(data.week.to), 'label updated'),
  );
  root.append(controls, body);
  drawFigures(body, data, view);
}

function windowOf(view: ServersView): HealthWindow {
  return view.serversWindow === 'week' ? 'week' : 'day';
}

function scopeOf(data: ServersData, view: ServersView): 'project' | 'all' {
  return view.serversScope === 'all' || data.projectName === undefined ? 'all' : 'project';
}

function drawFigures(body: HTMLElement, data: ServersData, view: ServersView): void {
  const windowName = windowOf(view);
  const scope = scopeOf(data, view);
  const history = data[windowName];
  const shown = history.servers.filter((server) => scope === 'all' || server.thisProject);
  chart?.destroy();
  chart = undefined;
  body.replaceChildren();
  if (shown.length === 0) body.append(...emptyState(data, windowName, scope));
  else {
    body.append(element('h3', `Calls and errors per ${SLICE[windowName].per}, ${SPAN[windowName]}`));
    const holder = element('div', undefined, 'chart');
    const canvas = element('canvas');
    const slices = sumSlices(shown);
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', chartSummary(history, shown, slices));
    holder.append(canvas);
    body.append(holder, serverTable(shown, scope, history), sliceTable(history, slices));
    chart = drawChart(canvas, history, slices);
  }
  body.append(...notes(data));
}

/** Why there is no history, and what would record it. */
function emptyState(data: ServersData, windowName: HealthWindow, scope: 'project' | 'all'): HTMLElement[] {
  const whose = scope === 'project' ? ` for ${printable(data.projectName ?? '')}` : '';
  const parts: HTMLElement[] = [element('p', `No MCP server history${whose} over the ${SPAN[windowName]}.`, 'empty')];
  const elsewhere = data[windowName].servers.length;
  if (scope === 'project' && elsewhere > 0)
    parts.push(element('p', `${count(elsewhere, 'server')} of other projects have history: choose All projects.`));
  const other: HealthWindow = windowName === 'day' ? 'week' : 'day';
  const inOther = data[other].servers.filter((server) => scope === 'all' || server.thisProject).length;
  if (inOther > 0) parts.push(element('p', `${count(inOther, 'server')} have history over the ${SPAN[other]}.`));
  parts.push(
    sentence(
      'History is recorded only by the claude-env gateway daemon, for the servers it runs: Claude Code sessions ' +
        "through claude-env's shim, and this window's MCP Servers view when the setting ",
      { code: 'claudeEnv.mcp.supervisor' },
      ' is ',
      { code: 'gateway' },
      ' (the default).',
    ),
  );
  if (data.supervisor === 'inProcess')
    parts.push(
      sentence(
        "This window's ",
        { code: 'claudeEnv.mcp.supervisor' },
        ' is ',
        { code: 'inProcess' },
        ': its servers run inside the editor and are not recorded. Set it to ',
        { code: 'gateway' },
        ' to record them.',
      ),
    );
  parts.push(
    data.recordingOff
      ? sentence(
          { code: 'CLAUDE_ENV_GATEWAY_HEALTH=off' },
          " is set in the editor's environment: a gateway daemon started from here records nothing. Unset it and " +
            'restart the daemon to record history.',
        )
      : sentence('A daemon started with ', { code: 'CLAUDE_ENV_GATEWAY_HEALTH=off' }, ' records nothing.'),
  );
  return parts;
}

function notes(data: ServersData): HTMLElement[] {
  const found: HTMLElement[] = [];
  if (data.damagedRecords > 0)
    found.push(element('p', `${count(data.damagedRecords, 'damaged record')} in the history skipped.`, 'note'));
  for (const problem of data.problems)
    found.push(element('p', `The history could not be read in full: ${printable(problem)}`, 'note problem'));
  return found;
}

function serverTable(shown: ServerHistoryRow[], scope: 'project' | 'all', history: ServerHistoryWindow): HTMLElement {
  const table = element('table');
  table.append(element('caption', `Each server over the ${SPAN[history.window]}`));
  const columns: [string, boolean][] = [['Server', false]];
  if (scope === 'all') columns.push(['Project', false]);
  columns.push(['Uptime', true], ['Restarts', true], ['Calls', true], ['Errors', true], ['p50', true], ['p95', true]);
  columns.push(['Last state', false]);
  table.append(headerRow(columns));
  for (const server of shown) {
    const row = element('tr');
    const name = element('th', printable(server.server));
    name.scope = 'row';
    row.append(name);
    if (scope === 'all') row.append(element('td', printable(server.workspaceName)));
    row.append(
      element('td', uptimeText(server.uptime), 'number'),
      element('td', String(server.restarts), 'number'),
      element('td', String(server.calls), 'number'),
      element('td', String(server.errors), server.errors > 0 ? 'number errors' : 'number'),
      element('td', latencyText(server.p50Ms), 'number'),
      element('td', latencyText(server.p95Ms), 'number'),
      lastStateCell(server),
    );
    table.append(row);
  }
  return table;
}

function lastStateCell(server: ServerHistoryRow): HTMLElement {
  const last = server.lastState;
  if (!last) return element('td', '–');
  const parts = [printable(last.state), timeText(last.at)];
  if (last.reason) parts.push(printable(last.reason));
  const cell = element('td', parts.join(' · '));
  cell.title = last.at;
  return cell;
}

/** The chart's figures as a table, in a disclosure a screen reader or a person who wants numbers opens. */
function sliceTable(history: ServerHistoryWindow, slices: HealthBucket[]): HTMLElement {
  const details = element('details');
  details.append(element('summary', `Calls, errors and restarts per ${SLICE[history.window].per}`));
  const table = element('table');
  table.append(
    headerRow([
      ['Starting', false],
      ['Calls', true],
      ['Errors', true],
      ['Restarts', true],
    ]),
  );
  for (const slice of slices) {
    const row = element('tr');
    row.append(
      element('td', sliceLabel(history.window, slice.start)),
      element('td', String(slice.calls), 'number'),
      element('td', String(slice.errors), 'number'),
      element('td', String(slice.restarts), 'number'),
    );
    table.append(row);
  }
  details.append(table);
  return details;
}

/** The servers' slices added up (latency percentiles do not add, so they stay in the server table). */
function sumSlices(servers: ServerHistoryRow[]): HealthBucket[] {
  return servers[0].buckets.map((bucket, index) => {
    const sum = { ...bucket, calls: 0, errors: 0, restarts: 0, observedSeconds: 0, upSeconds: 0 };
    for (const server of servers) {
      const slice = server.buckets[index];
      sum.calls += slice.calls;
      sum.errors += slice.errors;
      sum.restarts += slice.restarts;
    }
    return { ...sum, p50Ms: undefined, p95Ms: undefined };
  });
}

function chartSummary(history: ServerHistoryWindow, shown: ServerHistoryRow[], slices: HealthBucket[]): string {
  const calls = slices.reduce((sum, slice) => sum + slice.calls, 0);
  const errors = slices.reduce((sum, slice) => sum + slice.errors, 0);
  const busiest = slices.reduce((best, slice) => (slice.calls > best.calls ? slice : best), slices[0]);
  const peak =
    calls > 0 ? `, most in the ${SLICE[history.window].per} from ${sliceLabel(history.window, busiest.start)}` : '';
  return (
    `${count(shown.length, 'server')}, ${slices.length} slices of ${SLICE[history.window].length}: ` +
    `${count(calls, 'call')} and ${count(errors, 'error')} in all${peak}`
  );
}

function drawChart(canvas: HTMLCanvasElement, history: ServerHistoryWindow, slices: HealthBucket[]): Chart {
  const red = PALETTE.find(([name]) => name === 'red') ?? PALETTE[0];
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: slices.map((slice) => sliceLabel(history.window, slice.start)),
      datasets: [
        { label: 'Answered', data: slices.map((s) => s.calls - s.errors), backgroundColor: themeColour(PALETTE[0]) },
        { label: 'Errors', data: slices.map((s) => s.errors), backgroundColor: themeColour(red) },
      ],
    },
    options: stackedBarOptions(true),
  });
}
