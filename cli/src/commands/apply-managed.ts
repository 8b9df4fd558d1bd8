import { writeManagedSettings, type EffectiveEnvironment } from '@claude-env/engine';
import type { CommandContext } from '../command';
import { ExitCode } from '../exitCodes';
import { diagnosticToJson } from '../format/diagnostics';
import { reportBlocked } from '../format/plan';

/** `apply --managed DIR`: the org's policy as Claude Code managed settings in DIR (nothing else is written). */
export async function applyManaged(
  context: CommandContext,
  environment: EffectiveEnvironment,
  folder: string,
  options: { file: boolean; dryRun: boolean; json: boolean },
): Promise<number> {
  const { cwd, io } = context;
  const report = await writeManagedSettings(environment, folder, {
    layout: options.file ? 'file' : 'drop-in',
    dryRun: options.dryRun,
  });
  if (options.json) {
    const json = {
      ok: report.outcome !== 'blocked',
      ...report,
      blockingErrors: report.blockingErrors.map((d) => diagnosticToJson(d, cwd)),
    };
    io.out(`${JSON.stringify(json, null, 2)}\n`);
    return report.outcome === 'blocked' ? ExitCode.findings : ExitCode.ok;
  }
  if (report.outcome === 'blocked') {
    reportBlocked(report.blockingErrors, cwd, io, 'apply');
    return ExitCode.findings;
  }
  for (const warning of report.warnings) io.err(`claude-env: warning: ${warning}\n`);
  const verb = report.outcome === 'unchanged' ? 'unchanged' : options.dryRun ? 'would write' : 'wrote';
  io.out(`${verb} ${report.path}\n`);
  return ExitCode.ok;
}
