import type { BudgetStatus, CostedTotals, MalformedLine, PriceTable, UsageRow } from '@claude-env/engine';
import type { Palette } from '../format/colour';

const NUMBER = new Intl.NumberFormat('en-US');

function dollars(value: number): string {
  return `$${value.toFixed(2)}`;
}

/** The cost cell: never `$0.00` for tokens whose price is unknown. */
export function costText(totals: CostedTotals): string {
  if (totals.unknownPriceTokens === 0) return dollars(totals.costUSD);
  return totals.costUSD > 0 ? `${dollars(totals.costUSD)} + unknown` : 'price unknown';
}

/** The token counts by kind, their sum and the cost: the same columns for a row and for the total. */
function amountCells(totals: CostedTotals): string[] {
  const counts = [totals.input, totals.output, totals.cacheCreation, totals.cacheRead, totals.totalTokens];
  return [...counts.map((count) => NUMBER.format(count)), costText(totals)];
}

function shortModel(model: string): string {
  return model.replace(/^claude-/, '').replace(/-\d{8}$/, '');
}

/** A table with a header, right-aligned numbers, and a total line. */
export function usageTable(
  rows: readonly UsageRow[],
  total: CostedTotals,
  firstColumn: string,
  colour: Palette,
  projectName: (folder: string) => string,
): string[] {
  const session = firstColumn === 'Session';
  const header = [firstColumn, 'Input', 'Output', 'Cache write', 'Cache read', 'Total tokens', 'Cost', 'Models'];
  if (session) header.splice(1, 0, 'Project');
  const body = rows.map((row) => {
    const cells = [
      session ? row.key.slice(0, 8) : row.key,
      ...amountCells(row),
      Object.keys(row.models).map(shortModel).sort().join(', '),
    ];
    if (session) cells.splice(1, 0, row.projects.map(projectName).join(', '));
    return cells;
  });
  const totalCells = ['Total', ...amountCells(total), ''];
  if (session) totalCells.splice(1, 0, '');
  const all = [header, ...body, totalCells];
  const widths = header.map((_, column) => Math.max(...all.map((cells) => cells[column].length)));
  const numeric = (column: number) => column > (session ? 1 : 0) && column < header.length - 1;
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (numeric(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  return [
    colour.bold(line(header)),
    ...body.map(line),
    colour.dim('─'.repeat(widths.reduce((a, b) => a + b + 2, -2))),
    colour.bold(line(totalCells)),
  ];
}

/** Where the dollars came from, and which prices were used. */
export function costSourceLines(total: CostedTotals, prices: PriceTable, unknownModels: string[]): string[] {
  const lines = [
    `Cost: ${dollars(total.reportedUSD)} as recorded by Claude Code (costUSD), ${dollars(total.computedUSD)} from ` +
      `the price table (checked ${prices.checked}).`,
  ];
  const layered = Object.entries(prices.fromLayers);
  if (layered.length > 0)
    lines.push(`Prices from layers: ${layered.map(([model, label]) => `${model} (${label})`).join(', ')}.`);
  if (unknownModels.length > 0)
    lines.push(
      `Price unknown for ${unknownModels.join(', ')} (${NUMBER.format(total.unknownPriceTokens)} tokens): ` +
        `add it under pricing: in a base or team layer.`,
    );
  return lines;
}

export function malformedLines(count: number, samples: readonly MalformedLine[], display: (file: string) => string) {
  if (count === 0) return [];
  const first = samples[0];
  return [
    `${NUMBER.format(count)} malformed line${count === 1 ? '' : 's'} skipped` +
      (first ? ` (first: ${display(first.file)}:${first.line}: ${first.reason})` : '') +
      '.',
  ];
}

export function budgetLine(status: BudgetStatus, project: string): string {
  const percent = Number.isFinite(status.fraction) ? `${(status.fraction * 100).toFixed(1)} %` : 'no budget';
  const unknown = status.unknownPriceTokens > 0 ? ' (and tokens of unknown price)' : '';
  const verdict =
    status.spentUSD >= status.budgetUSD
      ? 'over budget'
      : status.forecastUSD > status.budgetUSD
        ? 'on course to exceed it'
        : 'within budget';
  return (
    `Budget ${status.month} for ${project}: ${dollars(status.spentUSD)}${unknown} of ${dollars(status.budgetUSD)} ` +
    `(${percent}); forecast ${dollars(status.forecastUSD)} by ${status.monthEnd}, ${verdict}.`
  );
}
