import { DiagnosticCode, type Diagnostic } from '@claude-env/engine';
import { flag, type CommandSpec } from '../command';
import { ExitCode } from '../exitCodes';
import { diagnosticToJson, formatDiagnostic, sortDiagnostics } from '../format/diagnostics';
import { provenanceToJson, renderTree } from '../format/tree';
import { loadWorkspace } from '../workspace';

/** Errors that leave a whole org layer out of the stack: its source is missing, not pinned, not fetched or changed. */
const LAYER_LEFT_OUT: ReadonlySet<string> = new Set([
  DiagnosticCode.stackUnreadable,
  DiagnosticCode.stackSourceMissing,
  DiagnosticCode.stackBaseMissing,
  DiagnosticCode.stackTeamMissing,
  DiagnosticCode.stackSourceCycle,
  DiagnosticCode.stackGitSourceInvalid,
  DiagnosticCode.stackGitNotLocked,
  DiagnosticCode.stackGitNotFetched,
  DiagnosticCode.stackGitContentMismatch,
  DiagnosticCode.stackLockInvalid,
]);

/**
 * An error that drops values from what is printed: a file could not be read or parsed (syntax, depth and size
 * limits), or an org layer could not be loaded at all.
 */
function leavesValuesOut(diagnostic: Diagnostic): boolean {
  if (diagnostic.severity !== 'error') return false;
  return diagnostic.code.startsWith('syntax.') || LAYER_LEFT_OUT.has(diagnostic.code);
}

export const showCommand: CommandSpec = {
  name: 'show',
  summary: 'print the effective environment (with --explain: where every value comes from)',
  usage: 'show [--explain] [--json]',
  description: [
    'Prints the merged settings, MCP servers and outputs as a YAML-like tree. Secret references are shown as written, never resolved.',
    'With --explain every value is followed by the layer, file and line that set it and the values ' +
      'it overrode, e.g. `← project .claude-env/project.yaml:12 (overrides team web ' +
      '../org/teams/web.yaml:8)`.',
    'Diagnostics of the stack go to stderr; `claude-env validate` reports them in full.',
  ],
  options: {
    explain: { type: 'boolean', short: 'e', description: 'add provenance to every value' },
    json: {
      type: 'boolean',
      description:
        'print JSON: `value`, `blocked` servers, `diagnostics`, and with --explain `provenance` by dotted path',
    },
  },
  positionals: { min: 0, max: 0 },
  exitCodes: [
    [ExitCode.ok, 'printed (even when the stack has errors)'],
    [
      ExitCode.findings,
      'printed, but a layer could not be read in full (a syntax error or a limit) or an org layer could not be ' +
        'loaded (its source is missing, not locked or not fetched): its values are missing',
    ],
    [ExitCode.usage, 'bad option'],
    [ExitCode.notLoaded, 'no project layer, or the folder does not exist'],
  ],
  async run(context) {
    const { cwd, io } = context;
    const environment = loadWorkspace(cwd, io);
    const diagnostics = sortDiagnostics(environment.diagnostics);
    const explain = flag(context, 'explain');
    // What is printed lacks the values of a file that could not be read: a script must not take it for the whole.
    const exitCode = diagnostics.some(leavesValuesOut) ? ExitCode.findings : ExitCode.ok;
    if (flag(context, 'json')) {
      const blocked = Object.fromEntries(
        environment.servers.filter((s) => s.blockedReason).map((s) => [s.name, s.blockedReason]),
      );
      const report: Record<string, unknown> = { value: environment.value, blocked };
      if (explain) report.provenance = provenanceToJson(environment, cwd);
      report.diagnostics = diagnostics.map((diagnostic) => diagnosticToJson(diagnostic, cwd));
      io.out(`${JSON.stringify(report, null, 2)}\n`);
      return exitCode;
    }
    for (const diagnostic of diagnostics) io.err(formatDiagnostic(diagnostic, cwd, io.errColour));
    io.out(renderTree(environment, { cwd, explain, colour: io.outColour }));
    return exitCode;
  },
};
