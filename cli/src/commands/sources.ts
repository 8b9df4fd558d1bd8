import {
  DiagnosticCode,
  fetchSources,
  sourceStatus,
  systemGit,
  updateSources,
  type Diagnostic,
  type EnvironmentChange,
} from '@claude-env/engine';
import { flag, type CommandContext, type CommandSpec } from '../command';
import { UsageError } from '../errors';
import { ExitCode } from '../exitCodes';
import { diagnosticToJson, formatDiagnostic, sortDiagnostics } from '../format/diagnostics';
import { originToJson } from '../format/origin';
import { changeLine, conflictLines, writePlace } from './sources-format';

/** Problems of reaching a repository (as opposed to what was found there): exit 5, so CI can tell "offline". */
const UNAVAILABLE = new Set<string>([DiagnosticCode.sourceFetchFailed, DiagnosticCode.sourceRefNotFound]);

function exitFor(diagnostics: readonly Diagnostic[]): number | undefined {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return undefined;
  return errors.every((d) => UNAVAILABLE.has(d.code)) ? ExitCode.sourceUnavailable : ExitCode.findings;
}

function printDiagnostics(context: CommandContext, diagnostics: readonly Diagnostic[]): void {
  for (const diagnostic of sortDiagnostics(diagnostics))
    context.io.err(formatDiagnostic(diagnostic, context.cwd, context.io.errColour));
}

const short = (commit: string | undefined) => (commit ? commit.slice(0, 12) : 'none');

export const fetchCommand: CommandSpec = {
  name: 'fetch',
  summary: 'fill the git cache from .claude-env/lock.yaml, or pin the git source in a new lock',
  usage: 'fetch [--frozen] [--json]',
  description: [
    'Brings the commit .claude-env/lock.yaml pins into the cache ($XDG_CACHE_HOME/claude-env/git, shared by every ' +
      'project), checking that it is still reachable from its ref and that its files hash to the lock. A cached ' +
      'checkout changed by hand is replaced. Nothing moves: use `update` for newer commits.',
    'A git source the lock does not pin yet (or pins for another URL, ref or sub-folder) is resolved and pinned; with ' +
      '--frozen (CI, dev containers) that is an error and the lock is never written.',
  ],
  options: {
    frozen: { type: 'boolean', description: 'never write the lock; fail when it is missing or stale' },
    json: { type: 'boolean', description: 'print JSON: per source the action and commit, and the findings' },
  },
  positionals: { min: 0, max: 0 },
  exitCodes: [
    [ExitCode.ok, 'the cache holds every locked commit (or there is no git source)'],
    [
      ExitCode.findings,
      'a lock problem: commit unreachable from its ref, content hash mismatch, stale lock with --frozen',
    ],
    [ExitCode.usage, 'bad option'],
    [ExitCode.sourceUnavailable, 'a repository could not be reached or has no such ref'],
  ],
  async run(context) {
    const { cwd, io } = context;
    const report = await fetchSources({
      workspace: cwd,
      env: io.env,
      git: systemGit({ env: io.env }),
      frozen: flag(context, 'frozen'),
    });
    const code = exitFor(report.diagnostics) ?? ExitCode.ok;
    if (flag(context, 'json')) {
      const json = {
        ok: code === ExitCode.ok,
        ...report,
        diagnostics: report.diagnostics.map((d) => diagnosticToJson(d, cwd)),
      };
      io.out(`${JSON.stringify(json, null, 2)}\n`);
      return code;
    }
    printDiagnostics(context, report.diagnostics);
    if (report.sources.length === 0 && report.diagnostics.length === 0)
      io.out('No git source in this project: nothing to fetch.\n');
    for (const source of report.sources) {
      if (source.action === 'failed') continue;
      const words = {
        cached: 'already cached',
        fetched: 'fetched',
        repaired: 'restored (the cached copy had been changed)',
        locked: 'pinned',
      };
      io.out(`${source.name}: ${source.url} ${source.ref} @ ${short(source.commit)} ${words[source.action]}\n`);
    }
    if (report.lockWritten) io.out('Wrote .claude-env/lock.yaml: commit it.\n');
    return code;
  },
};

function changeToJson(change: EnvironmentChange, cwd: string): Record<string, unknown> {
  return { ...change, origin: originToJson(change.origin, cwd) };
}

export const updateCommand: CommandSpec = {
  name: 'update',
  summary: 'move the lock to the newest commit of each git source and show what changes in the environment',
  usage: 'update [source] [--dry-run] [--json]',
  description: [
    'Fetches each git source (or only the one named, by its key or URL), moves .claude-env/lock.yaml to the newest ' +
      'commit of its ref and prints what that changes in the effective environment: settings and servers added (+), ' +
      'removed (-) and changed (~), each with the org file and line it comes from.',
    'Conflicts are named with both lines: an org value that changed but that a project, user or local layer overrides, ' +
      'and a new lock, deny rule or server list that refuses a line of a higher layer. Run `apply` afterwards to write ' +
      "Claude Code's files.",
  ],
  options: {
    'dry-run': { type: 'boolean', description: 'show the change without moving the lock (exit 1 when there is one)' },
    json: { type: 'boolean', description: 'print JSON: sources (from, to, commits), changes, conflicts' },
  },
  positionals: { min: 0, max: 1, name: 'source' },
  exitCodes: [
    [ExitCode.ok, 'the lock was moved, or nothing was new'],
    [ExitCode.findings, '--dry-run found a newer commit; or a lock problem'],
    [ExitCode.usage, 'bad option, or no git source of that name'],
    [ExitCode.sourceUnavailable, 'a repository could not be reached or has no such ref'],
  ],
  async run(context) {
    const { cwd, io } = context;
    const dryRun = flag(context, 'dry-run');
    const report = await updateSources({
      workspace: cwd,
      env: io.env,
      git: systemGit({ env: io.env }),
      dryRun,
      only: context.positionals[0],
    });
    if (report.unknownSource) throw new UsageError(report.unknownSource);
    const moved = report.sources.some((source) => source.from !== source.to);
    const code = exitFor(report.diagnostics) ?? (dryRun && moved ? ExitCode.findings : ExitCode.ok);
    if (flag(context, 'json')) {
      const json = {
        ok: code === ExitCode.ok,
        dryRun,
        sources: report.sources,
        changes: report.changes.map((change) => changeToJson(change, cwd)),
        conflicts: report.conflicts.map((conflict) => ({
          kind: conflict.kind,
          path: conflict.path,
          message: conflict.message,
          org: conflict.org && originToJson(conflict.org, cwd),
          winner: conflict.winner && originToJson(conflict.winner, cwd),
          diagnostic: conflict.diagnostic && diagnosticToJson(conflict.diagnostic, cwd),
        })),
        lockWritten: report.lockWritten,
        diagnostics: report.diagnostics.map((d) => diagnosticToJson(d, cwd)),
      };
      io.out(`${JSON.stringify(json, null, 2)}\n`);
      return code;
    }
    printDiagnostics(context, report.diagnostics);
    const colour = io.outColour;
    const subFolder = report.sources[0]?.path ?? '';
    for (const source of report.sources) {
      const path = source.name;
      if (source.from === source.to) {
        io.out(`${path}: ${source.url} ${source.ref} is up to date @ ${short(source.to)}\n`);
        continue;
      }
      if (source.from === undefined) {
        io.out(`${path}: ${source.url} ${source.ref} pinned @ ${short(source.to)} (it was not in the lock)\n`);
        continue;
      }
      const how = source.rewritten
        ? 'history rewritten'
        : `${source.commits} new commit${source.commits === 1 ? '' : 's'}`;
      io.out(`${path}: ${source.url} ${source.ref} ${short(source.from)} → ${short(source.to)} (${how})\n`);
    }
    if (moved) {
      if (report.changes.length === 0) io.out('The effective environment does not change.\n');
      else {
        io.out(colour.bold('Changes to the effective environment:\n'));
        for (const change of report.changes) io.out(`${changeLine(change, cwd, subFolder, colour)}\n`);
      }
      if (report.conflicts.length > 0) {
        io.out(colour.bold(`Conflicts (${report.conflicts.length}):\n`));
        for (const conflict of report.conflicts)
          io.out(`${conflictLines(conflict, cwd, subFolder, colour).join('\n')}\n`);
      }
    }
    if (report.lockWritten) io.out("Wrote .claude-env/lock.yaml: commit it, then run 'claude-env apply'.\n");
    else if (dryRun && moved) io.out('Dry run: the lock was not changed.\n');
    return code;
  },
};

export const statusCommand: CommandSpec = {
  name: 'status',
  summary: 'whether the git sources have new commits and the generated files are up to date',
  usage: 'status [--json]',
  description: [
    'For each git source: the locked commit, and how many commits its ref has gained since (one `git ls-remote`; new ' +
      'objects are fetched into the cache only to count them). Then the generated files: out of date (the layers ' +
      'changed since the last `apply`) or edited by hand. Never moves the lock. Exit codes let a CI job tell ' +
      '"behind or stale" (1) from "could not ask the repository" (5).',
  ],
  options: {
    json: {
      type: 'boolean',
      description: 'print JSON: sources (locked, tip, behind, rewritten), outdated and edited files',
    },
  },
  positionals: { min: 0, max: 0 },
  exitCodes: [
    [ExitCode.ok, 'every source is at its ref, every generated file is up to date'],
    [
      ExitCode.findings,
      'a source is behind or was rewritten, a generated file is out of date or edited, or the stack has errors',
    ],
    [ExitCode.usage, 'bad option'],
    [ExitCode.sourceUnavailable, 'a repository could not be reached'],
  ],
  async run(context) {
    const { cwd, io } = context;
    const report = await sourceStatus({ workspace: cwd, env: io.env, git: systemGit({ env: io.env }) });
    const behind = report.sources.some((source) => source.behind > 0 || source.rewritten);
    const findings = behind || report.outdated.length > 0 || report.edited.length > 0 || report.diagnostics.length > 0;
    const code = report.unreachable ? ExitCode.sourceUnavailable : findings ? ExitCode.findings : ExitCode.ok;
    if (flag(context, 'json')) {
      const json = {
        ok: code === ExitCode.ok,
        ...report,
        diagnostics: report.diagnostics.map((d) => diagnosticToJson(d, cwd)),
      };
      io.out(`${JSON.stringify(json, null, 2)}\n`);
      return code;
    }
    printDiagnostics(context, report.diagnostics);
    for (const source of report.sources) {
      const state = source.rewritten
        ? `its history was rewritten (now ${short(source.tip)}): review, then 'claude-env update'`
        : source.behind > 0
          ? `behind by ${source.behind} commit${source.behind === 1 ? '' : 's'} (${short(source.tip)}): ` +
            "'claude-env update --dry-run' shows the change"
          : 'up to date';
      io.out(`${source.name}: ${source.url} ${source.ref} @ ${short(source.locked)}: ${state}\n`);
    }
    for (const file of report.outdated) io.out(`${file}: out of date: 'claude-env apply' writes it\n`);
    for (const file of report.edited) io.out(`${file}: edited by hand since claude-env wrote it\n`);
    if (code === ExitCode.ok) io.out('Everything is up to date.\n');
    return code;
  },
};

export { writePlace };
