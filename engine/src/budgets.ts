import { describeOrigin } from './describe';
import { literalValue } from './directives';
import { DiagnosticCode, type DiagnosticCodeValue } from './diagnosticCodes';
import {
  POLICY_LAYERS,
  type Diagnostic,
  type EffectiveNode,
  type LayerKind,
  type Origin,
  type ParsedLayer,
} from './types';

/** Layers whose `budgets` count: the organisation's and the project's, not a person's own. */
const BUDGET_LAYERS: readonly LayerKind[] = ['base', 'team', 'project'];

/** Whether a layer of this kind may set this top-level key (`pricing` and `budgets` are restricted). */
export function honoured(key: string, kind: LayerKind): boolean {
  if (key === 'pricing') return POLICY_LAYERS.includes(kind);
  if (key === 'budgets') return BUDGET_LAYERS.includes(kind);
  return true;
}

/** The warning for a `pricing` or `budgets` block a layer may not set, or undefined. */
export function usageKeyNotHonoured(
  key: string,
  layer: ParsedLayer,
): { code: DiagnosticCodeValue; message: string } | undefined {
  if (honoured(key, layer.kind)) return undefined;
  return key === 'pricing'
    ? {
        code: DiagnosticCode.pricingNotHonoured,
        message: `Prices are read only from base and team layers; this block in the ${layer.label} layer is ignored.`,
      }
    : {
        code: DiagnosticCode.budgetNotHonoured,
        message:
          `Budgets are read only from base, team and project layers; this block in the ${layer.label} layer ` +
          `is ignored.`,
      };
}

interface BudgetWrite {
  value: number;
  origin: Origin;
}

function monthlyWrites(layers: readonly ParsedLayer[]): BudgetWrite[] {
  const writes: BudgetWrite[] = [];
  for (const layer of layers) {
    if (!BUDGET_LAYERS.includes(layer.kind)) continue;
    const budgets = layer.root?.entries.find((entry) => entry.key === 'budgets')?.value;
    if (budgets?.type !== 'map') continue;
    const monthly = budgets.entries.find((entry) => entry.key === 'monthly');
    if (monthly?.value.type !== 'scalar' || typeof monthly.value.value !== 'number') continue;
    writes.push({
      value: monthly.value.value,
      origin: {
        kind: layer.kind,
        label: layer.label,
        file: layer.file,
        keyRange: monthly.keyRange,
        range: monthly.value.range,
        value: literalValue(monthly.value),
      },
    });
  }
  return writes;
}

/**
 * A later layer may lower a base or team budget, never raise it: a `budgets.monthly` above the lowest one a base
 * or team layer set before it is an error at its line, and the effective budget is that lower one.
 */
export function keepBudgetCeilings(root: EffectiveNode, layers: readonly ParsedLayer[], out: Diagnostic[]): void {
  let ceiling: BudgetWrite | undefined;
  for (const write of monthlyWrites(layers)) {
    if (ceiling && write.value > ceiling.value) {
      out.push({
        file: write.origin.file,
        range: write.origin.range,
        severity: 'error',
        code: DiagnosticCode.budgetRaised,
        message:
          `This raises the monthly budget to ${write.value} above ${ceiling.value} set by ` +
          `${describeOrigin(ceiling.origin)}; a budget can only be lowered, so ${ceiling.value} stays in effect.`,
        related: [{ file: ceiling.origin.file, range: ceiling.origin.range, message: 'budget set here' }],
      });
    }
    if (POLICY_LAYERS.includes(write.origin.kind) && (!ceiling || write.value < ceiling.value)) ceiling = write;
  }
  const node = root.children?.get('budgets')?.children?.get('monthly');
  if (!node || !ceiling || typeof node.value !== 'number' || node.value <= ceiling.value) return;
  node.overridden = [node.origin, ...node.overridden];
  node.origin = ceiling.origin;
  node.value = ceiling.value;
}
