/**
 * The periodic check for new commits of the org layers, without VS Code: per workspace, the engine's
 * `sourceBehind` (one `git ls-remote`; objects travel only to count a tip not seen before), what was last found,
 * and which tip the person was already told about, so a notification comes once per new commit.
 */
import {
  sourceBehind,
  updateSources,
  type BehindReport,
  type GitRunner,
  type SourceStatus,
  type UpdateReport,
} from '@claude-env/engine';

/** Where the checker reaches git and the cache. */
export interface CheckerOptions {
  git: GitRunner;
  env: NodeJS.ProcessEnv;
  /** The git cache (default `$XDG_CACHE_HOME/claude-env/git` of `env`). */
  cacheDir?: string;
}

/** The answer of one check of one workspace. */
export interface CheckResult {
  workspace: string;
  report: BehindReport;
  /** Set when the ref has commits the person was not told about yet: tell them now. */
  newCommits?: { source: SourceStatus; count: number };
}

/** Whether the source's ref has moved away from the locked commit. */
export function isBehind(source: SourceStatus | undefined): source is SourceStatus {
  return source !== undefined && source.tip !== undefined && (source.behind > 0 || source.rewritten);
}

export class OrgUpdateChecker {
  private readonly last = new Map<string, SourceStatus>();
  /** Per workspace: the tip the person was told about (and chose Later for, or dismissed). */
  private readonly told = new Map<string, string>();

  constructor(private readonly options: CheckerOptions) {}

  /** Asks the repository how far the workspace's git source is behind. */
  async check(workspace: string): Promise<CheckResult> {
    const report = await sourceBehind({ ...this.options, workspace, previous: this.last.get(workspace) });
    const source = report.source;
    if (!source || report.unreachable) return { workspace, report };
    this.last.set(workspace, source);
    if (!isBehind(source) || this.told.get(workspace) === source.tip) return { workspace, report };
    this.told.set(workspace, source.tip!);
    return { workspace, report, newCommits: { source, count: source.behind } };
  }

  /** What the last check found (the Layers view shows "N behind" from it). */
  status(workspace: string): SourceStatus | undefined {
    return this.last.get(workspace);
  }

  /** The update the person would accept: the effective change, computed without moving the lock. */
  review(workspace: string): Promise<UpdateReport> {
    return updateSources({ ...this.options, workspace, dryRun: true });
  }

  /** Moves the lock to the ref's newest commit; the source is then up to date until the next commit. */
  async update(workspace: string): Promise<UpdateReport> {
    const report = await updateSources({ ...this.options, workspace });
    const moved = report.sources[0];
    const last = this.last.get(workspace);
    if (report.lockWritten && moved && last)
      this.last.set(workspace, { ...last, locked: moved.to, behind: 0, rewritten: false });
    return report;
  }
}
