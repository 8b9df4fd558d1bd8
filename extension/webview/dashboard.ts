/**
 * The dashboard page: draws what the extension posts (extension/webview/messages.ts). It holds no data of its own
 * and reaches nothing outside the page; the Refresh button asks the extension to read the transcripts again.
 */
import './nonce';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { Chart, stackedBarOptions } from './barChart';
import { element, folderName, headerRow, PALETTE, redrawKeepingFocus, select, themeColour } from './dom';
import type { DashboardData, DashboardMessage, ScopeSummary, ServersData } from './messages';
import { renderServers, type ServersView } from './serversSection';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const page = document.getElementById('dashboard')!;
// The usage part and the servers part, each drawn when its figures arrive.
const root = element('div');
const serversRoot = element('section');
serversRoot.setAttribute('aria-label', 'MCP servers');
const view = (vscode.getState() as ({ scope?: string; metric?: string } & ServersView) | undefined) ?? {};
let data: DashboardData | undefined;
let servers: ServersData | undefined;
let chart: Chart | undefined;

function dollars(value: number): string {
  return `$${value.toFixed(2)}`;
}

function costText(costUSD: number, unknownTokens: number): string {
  if (unknownTokens === 0) return dollars(costUSD);
  return costUSD > 0 ? `${dollars(costUSD)} + unknown` : 'price unknown';
}

function render(): void {
  if (!data) return;
  const scopeName = view.scope === 'all' || !data.project ? 'all' : 'project';
  const metric = view.metric === 'tokens' ? 'tokens' : 'cost';
  const figures = element('div');
  root.replaceChildren(element('h1', 'Claude Code usage'));

  const controls = element('div', undefined, 'controls');
  const scopes: [string, string][] = [['all', 'All projects']];
  if (data.project) scopes.unshift(['project', `This project (${data.projectName})`]);
  controls.append(
    select('Projects', 'scope', scopes, scopeName, (value) => {
      view.scope = value;
      vscode.setState(view);
      drawFigures(figures);
    }),
    select(
      'Show',
      'metric',
      [
        ['cost', 'Cost'],
        ['tokens', 'Tokens'],
      ],
      metric,
      (value) => {
        view.metric = value;
        vscode.setState(view);
        drawFigures(figures);
      },
    ),
  );
  const refresh = document.createElement('vscode-button');
  refresh.textContent = 'Refresh';
  refresh.addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
  controls.append(refresh);
  // A choice redraws the figures below the controls only: the control a person used stays, with the focus.
  root.append(controls, figures);
  drawFigures(figures);
}

function drawFigures(figures: HTMLElement): void {
  if (!data) return;
  const scopeName = view.scope === 'all' || !data.project ? 'all' : 'project';
  const metric = view.metric === 'tokens' ? 'tokens' : 'cost';
  const scope: ScopeSummary = scopeName === 'all' ? data.all : data.project!;
  figures.replaceChildren();

  const summary = element('section', undefined, 'summary');
  summary.setAttribute('aria-label', 'This month');
  const month = element('div');
  month.append(
    element('div', `${scope.month.month}, ${scopeName === 'all' ? 'all projects' : data.projectName}`, 'label'),
    element('div', costText(scope.month.costUSD, scope.month.unknownPriceTokens), 'figure'),
    element('div', `${scope.month.tokens.toLocaleString('en-US')} tokens`, 'label'),
  );
  summary.append(month);
  if (data.budget) {
    const budget = element('div');
    const percent = Math.min(100, data.budget.fraction * 100);
    const meter = element('div', undefined, data.budget.fraction >= 1 ? 'meter over' : 'meter');
    meter.setAttribute('role', 'meter');
    meter.setAttribute('aria-label', 'Budget used');
    meter.setAttribute('aria-valuemin', '0');
    meter.setAttribute('aria-valuemax', String(data.budget.budgetUSD));
    meter.setAttribute('aria-valuenow', data.budget.spentUSD.toFixed(2));
    const fill = element('div');
    fill.style.width = `${percent}%`;
    meter.append(fill);
    budget.append(
      element('div', `Budget of ${data.projectName}`, 'label'),
      element('div', `${dollars(data.budget.spentUSD)} of ${dollars(data.budget.budgetUSD)}`, 'figure'),
      meter,
      element('div', `Forecast ${dollars(data.budget.forecastUSD)} by ${data.budget.monthEnd}`, 'label'),
    );
    summary.append(budget);
  }
  if (data.rateLimits) {
    const limits = element('div');
    limits.append(element('div', 'Plan limits (Claude Code)', 'label'));
    for (const [name, window] of [
      ['5-hour', data.rateLimits.fiveHour],
      ['7-day', data.rateLimits.sevenDay],
    ] as const) {
      if (!window) continue;
      const reset = new Date(window.resetsAt).toLocaleString(undefined, {
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
      });
      limits.append(element('div', `${name}: ${Math.round(window.usedPercent)} % until ${reset}`));
    }
    summary.append(limits);
  }
  figures.append(summary);

  figures.append(element('h2', `${metric === 'cost' ? 'Cost' : 'Tokens'} per day by model, last 30 days`));
  const holder = element('div', undefined, 'chart');
  const canvas = element('canvas');
  const total = scope.days.reduce(
    (sum, day) => sum + Object.values(day.models).reduce((s, m) => s + (metric === 'cost' ? m.costUSD : m.tokens), 0),
    0,
  );
  canvas.setAttribute('role', 'img');
  canvas.setAttribute(
    'aria-label',
    `${scope.days.length} days, ${metric === 'cost' ? dollars(total) : `${total.toLocaleString('en-US')} tokens`} in all`,
  );
  holder.append(canvas);
  figures.append(holder);
  drawChart(canvas, scope, metric);

  figures.append(element('h2', "Today's sessions"));
  if (scope.sessionsToday.length === 0) figures.append(element('p', 'No sessions today.', 'note'));
  else {
    const table = element('table');
    table.append(
      headerRow([
        ['Last activity', false],
        ['Session', false],
        ['Project', false],
        ['Models', false],
        ['Tokens', true],
        ['Cost', true],
      ]),
    );
    for (const session of scope.sessionsToday) {
      const row = element('tr');
      row.append(
        element('td', new Date(session.lastActivity).toTimeString().slice(0, 5)),
        element('td', session.session.slice(0, 8)),
        projectCell(session.project),
        element('td', session.models.map((m) => m.replace(/^claude-/, '')).join(', ')),
        element('td', session.tokens.toLocaleString('en-US'), 'number'),
        element('td', costText(session.costUSD, session.unknownPriceTokens), 'number'),
      );
      table.append(row);
    }
    figures.append(table);
  }
  const notes = [`Prices checked ${data.pricesChecked}.`];
  if (data.unknownPriceModels.length > 0)
    notes.push(
      `Price unknown for ${data.unknownPriceModels.join(', ')}: add it under pricing: in a base or team layer.`,
    );
  if (data.malformedLines > 0) notes.push(`${data.malformedLines} malformed transcript lines skipped.`);
  figures.append(element('p', notes.join(' '), 'note'));
}

/** A session's project folders by name, as the servers section names workspaces; the full paths as its title. */
function projectCell(projects: string): HTMLElement {
  const paths = projects.split(', ');
  const cell = element('td', paths.map(folderName).join(', '));
  cell.title = projects;
  return cell;
}

function drawChart(canvas: HTMLCanvasElement, scope: ScopeSummary, metric: 'cost' | 'tokens'): void {
  chart?.destroy();
  const models = [...new Set(scope.days.flatMap((day) => Object.keys(day.models)))].sort();
  chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: scope.days.map((day) => day.day.slice(5)),
      datasets: models.map((model, i) => ({
        label: model.replace(/^claude-/, ''),
        data: scope.days.map((day) => {
          const figures = day.models[model];
          if (!figures) return 0;
          return metric === 'cost' ? Number(figures.costUSD.toFixed(4)) : figures.tokens;
        }),
        backgroundColor: themeColour(PALETTE[i % PALETTE.length]),
      })),
    },
    options: stackedBarOptions(),
  });
}

function show(): void {
  if (!page.contains(root)) page.replaceChildren(root, serversRoot);
}

window.addEventListener('message', (event: MessageEvent<DashboardMessage>) => {
  if (event.data?.type === 'data') {
    data = event.data;
    show();
    redrawKeepingFocus(root, render);
  } else if (event.data?.type === 'servers') {
    servers = event.data;
    show();
    drawServers();
  }
});

function drawServers(): void {
  if (servers) renderServers(serversRoot, servers, view, () => vscode.setState(view));
}
vscode.postMessage({ type: 'ready' });
