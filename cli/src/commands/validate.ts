import { flag, type CommandSpec } from '../command';
import { ExitCode } from '../exitCodes';
import {
  countDiagnostics,
  diagnosticToJson,
  displayPath,
  formatDiagnostic,
  sortDiagnostics,
  summaryLine,
} from '../format/diagnostics';
import { loadWorkspace, secretDiagnostics, stackFiles } from '../workspace';

export const validateCommand: CommandSpec = {
  name: 'validate',
  summary: 'check every layer file of the stack: syntax, schema, policy, conflicts, secrets',
  usage: 'validate [--json] [--no-secrets] [--strict]',
  description: [
    'Checks every file of the stack (base, teams, project, user, local, CLAUDE_ENV_* variables) and ' +
      'prints each finding as `file:line:col: severity code: message` (paths relative to the working ' +
      'folder), then a summary line.',
    'Secret references are resolved to check that they can be (values are never printed); use ' +
      '--no-secrets where the secrets are not available, e.g. in CI.',
  ],
  options: {
    json: { type: 'boolean', description: 'print one JSON object: files, diagnostics (1-based positions), counts' },
    'no-secrets': { type: 'boolean', description: 'skip secret checks (unresolved references, literal credentials)' },
    strict: { type: 'boolean', description: 'treat warnings as errors for the exit code' },
  },
  positionals: { min: 0, max: 0 },
  exitCodes: [
    [ExitCode.ok, 'no errors (warnings allowed unless --strict)'],
    [ExitCode.findings, 'at least one error'],
    [ExitCode.usage, 'bad option'],
    [ExitCode.notLoaded, 'no project layer, or the folder does not exist'],
  ],
  async run(context) {
    const { cwd, io } = context;
    // An unreadable project layer is a finding to print here, not a reason to stop.
    const environment = loadWorkspace(cwd, io, 'report');
    const secrets = flag(context, 'no-secrets') ? [] : await secretDiagnostics(environment, cwd, io);
    // concat, not push(...): a large file's findings can outnumber the arguments a call takes.
    const diagnostics = environment.diagnostics.concat(secrets);
    const sorted = sortDiagnostics(diagnostics);
    const counts = countDiagnostics(sorted);
    const files = stackFiles(environment);
    const failed = counts.errors > 0 || (flag(context, 'strict') && counts.warnings > 0);
    if (flag(context, 'json')) {
      const report = {
        ok: !failed,
        workspace: cwd,
        files: files.map((file) => displayPath(cwd, file)),
        diagnostics: sorted.map((diagnostic) => diagnosticToJson(diagnostic, cwd)),
        counts,
      };
      io.out(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      for (const diagnostic of sorted) io.out(formatDiagnostic(diagnostic, cwd, io.outColour));
      io.out(summaryLine(counts, files.length, io.outColour));
    }
    return failed ? ExitCode.findings : ExitCode.ok;
  },
};
