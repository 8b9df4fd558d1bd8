import { effectivePaths, explainSetting, type FoundExplanation, type MissingExplanation } from '@claude-env/engine';
import type { EffectiveEnvironment, Origin } from '@claude-env/engine';
import { flag, type CommandContext, type CommandSpec } from '../command';
import { CliError } from '../errors';
import { ExitCode } from '../exitCodes';
import { location } from '../format/diagnostics';
import { formatScalar, inlineArray, originToJson, plainLines } from '../format/origin';
import { closeMatches } from '@claude-env/engine';
import { renderSubtree } from '../format/tree';
import { loadWorkspace } from '../workspace';

function valueText(value: unknown): string {
  if (Array.isArray(value)) return inlineArray(value) ?? JSON.stringify(value);
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return formatScalar(value);
}

/** `path = value`, or `path =` and one item per line when the list is too long for one. */
function headline(wanted: string, value: unknown, bold: (text: string) => string): string[] {
  const nested =
    value !== null && typeof value === 'object' && !(Array.isArray(value) && inlineArray(value) !== undefined);
  if (nested) return [`${bold(wanted)} =`, ...plainLines(value, '  ')];
  return [`${bold(wanted)} = ${valueText(value)}`];
}

/** Suggestions for a path that does not exist: typos first, then what the deepest existing prefix holds. */
function suggestionsFor(environment: EffectiveEnvironment, missing: MissingExplanation): string[] {
  const wanted = missing.path;
  // A prefix of what was asked for exists already; suggesting it back would not help.
  const close = closeMatches(
    wanted,
    effectivePaths(environment).filter((path) => !wanted.startsWith(`${path}.`)),
  );
  return close.length > 0 ? close : missing.nearby;
}

/** Where a missing path stops, at the file position that sets the deepest value it reaches. */
function stopNote(cwd: string, stop: NonNullable<MissingExplanation['stop']>): string {
  const at = `\`${stop.keys.join('.')}\` (${location(cwd, stop.origin.file, stop.origin.keyRange)})`;
  const next = stop.missing.split('.')[0];
  if (stop.reason === 'noKey') return `${at} has no key \`${next}\``;
  if (stop.reason === 'noIndex')
    return `${at} is a list of ${(stop.value as unknown[]).length} items; \`${next}\` is not one of its indices`;
  const what = Array.isArray(stop.value) ? 'a list (indices are its last segment)' : `${describeScalar(stop.value)}`;
  return `${at} is ${what}: it holds no \`${stop.missing}\``;
}

function describeScalar(value: unknown): string {
  if (value === undefined) return 'deleted';
  if (value === null) return 'empty';
  if (value !== null && typeof value === 'object') return 'a map';
  return `a ${typeof value} (${formatScalar(value)})`;
}

function writesOf(explanation: FoundExplanation): Origin[] {
  return [explanation.winner, ...explanation.overridden];
}

function explainText(context: CommandContext, explanation: FoundExplanation): string {
  const { cwd, io } = context;
  const { node, path: wanted } = explanation;
  const colour = io.outColour;
  const lines: string[] = [];
  if (node.deleted) {
    lines.push(
      `${colour.bold(wanted)} is deleted by ${node.origin.label} at ${location(cwd, node.origin.file, node.origin.keyRange)}`,
    );
  } else if (node.children) {
    lines.push(
      renderSubtree(node.path[node.path.length - 1] ?? wanted, node, { cwd, explain: true, colour }).trimEnd(),
    );
  } else {
    lines.push(...headline(wanted, node.value, colour.bold));
  }
  lines.push('', node.children ? 'Set by (winner first):' : 'Written by (winner first):');
  const rows: [string, string, string, string][] = writesOf(explanation).map((origin, index) => [
    index === 0 ? colour.green('✔') : ' ',
    origin.label,
    location(cwd, origin.file, origin.keyRange),
    node.children ? '' : index === 0 && node.deleted ? '$delete' : valueText(origin.value),
  ]);
  for (const contributor of node.contributors ?? []) {
    rows.push([' ', contributor.label, location(cwd, contributor.file, contributor.keyRange), '(merged into it)']);
  }
  const labelWidth = Math.max(...rows.map((row) => row[1].length));
  const placeWidth = Math.max(...rows.map((row) => row[2].length));
  for (const [mark, label, place, shown] of rows) {
    lines.push(`  ${mark} ${label.padEnd(labelWidth)}  ${place.padEnd(placeWidth)}  ${shown}`.trimEnd());
  }
  if (node.itemOrigins && Array.isArray(node.value) && (node.contributors ?? []).length > 0) {
    lines.push('', 'Items (unioned across layers):');
    const items = (node.value as unknown[]).map((item) => valueText(item));
    const width = Math.max(...items.map((item) => item.length));
    node.itemOrigins.forEach((origin, index) => {
      lines.push(
        `  - ${(items[index] ?? '').padEnd(width)}  ${colour.dim(`← ${origin.label} ${location(cwd, origin.file, origin.keyRange)}`)}`,
      );
    });
  }
  return `${lines.join('\n')}\n`;
}

export const explainCommand: CommandSpec = {
  name: 'explain',
  summary: 'show the winning value of one key and every layer that set it',
  usage: 'explain <dotted.path> [--json]',
  description: [
    'Prints the effective value at a dotted path (e.g. `settings.model`, ' +
      '`settings.permissions.deny`, `mcpServers.context7.args`) and every layer that wrote it, winner ' +
      'first, each with file:line:col. Keys that contain dots (server names) are matched as a whole.',
    'A path that does not exist is an error that lists the closest existing paths.',
  ],
  options: {
    json: { type: 'boolean', description: 'print JSON: path, value, winner, overridden, contributors, items' },
  },
  positionals: { min: 1, max: 1, name: 'a dotted path such as settings.model' },
  exitCodes: [
    [ExitCode.ok, 'explained'],
    [ExitCode.findings, 'no such path (close matches listed)'],
    [ExitCode.usage, 'missing path or bad option'],
    [ExitCode.notLoaded, 'no project layer, or the folder does not exist'],
  ],
  async run(context) {
    const { cwd, io } = context;
    const environment = loadWorkspace(cwd, io);
    const explanation = explainSetting(environment, context.positionals[0] ?? '');
    if (!explanation.found) {
      const suggestions = suggestionsFor(environment, explanation);
      throw new CliError(`no value at \`${explanation.path}\` in the effective environment`, ExitCode.findings, [
        ...(explanation.stop ? [stopNote(cwd, explanation.stop)] : []),
        ...(suggestions.length > 0 ? [`did you mean: ${suggestions.join(', ')}`] : []),
      ]);
    }
    if (flag(context, 'json')) {
      const report: Record<string, unknown> = {
        path: explanation.path,
        keys: explanation.keys,
        deleted: explanation.deleted,
        value: explanation.value,
        winner: originToJson(explanation.winner, cwd),
        overridden: explanation.overridden.map((origin) => originToJson(origin, cwd)),
        contributors: explanation.contributors.map((origin) => originToJson(origin, cwd)),
      };
      if (explanation.items)
        report.items = explanation.items.map((item) => ({ value: item.value, origin: originToJson(item.origin, cwd) }));
      io.out(`${JSON.stringify(report, null, 2)}\n`);
      return ExitCode.ok;
    }
    io.out(explainText(context, explanation));
    return ExitCode.ok;
  },
};
