/**
 * The engine's reports of Initialize, Import and Apply as the lines a person reads in a notification and in the
 * output channel. Paths are shown relative to the repository folder.
 */
import { displayPath, type ApplyReport, type Diagnostic, type ImportReport, type InitReport } from '@claude-env/engine';

/** What to tell the person: whether it worked, and the lines to show (the first few in the notification). */
export interface Told {
  ok: boolean;
  lines: string[];
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** `file:line:col: severity code: message`, as the CLI and the Problems panel name a finding. */
function diagnosticLine(workspace: string, diagnostic: Diagnostic): string {
  const { line, character } = diagnostic.range.start;
  return (
    `${displayPath(workspace, diagnostic.file)}:${line + 1}:${character + 1}: ` +
    `${diagnostic.severity} ${diagnostic.code}: ${diagnostic.message}`
  );
}

export function importTold(report: ImportReport): Told {
  const { workspace } = report;
  const sources = report.sources.map((path) => displayPath(workspace, path)).join(', ');
  const target = report.target ? displayPath(workspace, report.target) : '';
  const findings = report.diagnostics.map((diagnostic) => diagnosticLine(workspace, diagnostic));
  switch (report.outcome) {
    case 'imported':
    case 'previewed':
      return {
        ok: true,
        lines: [
          `imported ${plural(report.servers, 'server')} and ${plural(report.settings, 'setting')} from ${sources} into ${target}`,
          ...report.replaced.map((path) => `replaced ${path}`),
          ...findings,
        ],
      };
    case 'nothingFound':
      return { ok: false, lines: [`nothing to import: none of ${report.lookedFor.join(', ')} exists in this folder`] };
    case 'invalid':
      return { ok: false, lines: ['nothing imported: the files have errors', ...findings] };
    case 'empty':
      return { ok: false, lines: [`nothing to import: ${sources} hold no settings and no servers`] };
    case 'targetIsJson':
      return { ok: false, lines: [`import writes YAML and ${target} is JSON: add the keys by hand`] };
    case 'targetExists':
      return { ok: false, lines: [`${target} already exists; not overwriting it`] };
    case 'cannotMerge':
      return { ok: false, lines: [`cannot add to ${target}: ${report.message ?? 'the layer cannot take the keys'}`] };
  }
}

export function initTold(report: InitReport): Told {
  const layer = displayPath(report.workspace, report.projectLayer);
  if (report.outcome === 'alreadyExists')
    return { ok: false, lines: [`${layer} already exists; not overwriting it (edit it, or use Import)`] };
  if (report.import) return importTold(report.import);
  const also = report.gitignoreUpdated ? ' and .claude-env/.gitignore' : '';
  const ignored = report.outputsIgnored ? '; the files Apply generates are listed in .gitignore' : '';
  return { ok: true, lines: [`created ${layer}${also}${ignored}`] };
}

export function applyTold(report: ApplyReport): Told {
  const { plan, workspace } = report;
  switch (report.outcome) {
    case 'blocked':
      return {
        ok: false,
        lines: [
          'errors in the layers block apply; nothing written (see the Problems panel)',
          ...plan.blockingErrors.map((diagnostic) => diagnosticLine(workspace, diagnostic)),
        ],
      };
    case 'unreadable':
      return {
        ok: false,
        lines: plan.unreadable.map((target) => `cannot apply: ${target.path} ${target.reason ?? 'cannot be read'}`),
      };
    case 'drifted':
      return {
        ok: false,
        lines: [
          `kept ${plural(plan.drifted.length, 'file')} edited by hand; nothing written: ` +
            `${plan.drifted.map((target) => target.path).join(', ')}`,
        ],
      };
    case 'applied':
    case 'incomplete': {
      const lines = report.targets.map((target) => {
        const backup = target.backup ? ` (your version is saved in ${displayPath(workspace, target.backup)})` : '';
        const why = target.outcome === 'refused' || target.outcome === 'failed' ? `: ${target.message ?? ''}` : '';
        return `${target.outcome} ${target.path}${backup}${why}`;
      });
      return { ok: report.outcome === 'applied', lines: lines.length > 0 ? lines : ['nothing to write'] };
    }
  }
}
