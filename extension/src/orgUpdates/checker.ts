/**
 * The periodic check for new commits of the org layers, without VS Code: per project, the engine's `sourceBehind`
 * (one `git ls-remote` per repository and ref in a round, however many projects draw it; objects travel only to
 * count a tip not seen before), what was last found, and which tip the person was already told about, so a
 * notification comes once per new commit. "Told about tip T" is kept in a {@link TellMemory} that outlives the
 * window (the extension's workspace state), so after Later a reload does not tell the same commit again.
 */
import {
  sourceBehind,
  updateSources,
  type BehindReport,
  type GitRunner,
  type RemoteTips,
  type SourceStatus,
  type UpdateReport,
} from '@claude-env/engine';

/** Where the checker reaches git and the cache. */
export interface CheckerOptions {
  git: GitRunner;
  env: NodeJS.ProcessEnv;
  /** The git cache (default `$XDG_CACHE_HOME/claude-env/git` of `env`). */
  cacheDir?: string;
  /** Where "told about tip T" outlives the window (VS Code's `Memento` has this shape). Default: in memory only. */
  memory?: TellMemory;
}

/** A key-value store that outlives the checker (the extension's `workspaceState`). */
export interface TellMemory {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** The answer of one check of one project. */
export interface CheckResult {
  workspace: string;
  report: BehindReport;
  /** Set when the ref has commits the person was not told about yet: tell them now. */
  newCommits?: { source: SourceStatus; count: number };
  /** An unexpected failure of this project's check (the round goes on with the others). */
  failed?: string;
}

/** Whether the source's ref has moved away from the locked commit. */
export function isBehind(source: SourceStatus | undefined): source is SourceStatus {
  return source !== undefined && source.tip !== undefined && (source.behind > 0 || source.rewritten);
}

/** The memory key of "told about" for a project's source: the folder, then the repository and ref as written. */
export function toldKey(workspace: string, source: Pick<SourceStatus, 'url' | 'ref'>): string {
  return `claudeEnv.orgLayers.told\n${workspace}\n${source.url}\n${source.ref}`;
}

function inMemory(): TellMemory {
  const values = new Map<string, unknown>();
  return {
    get: (key) => values.get(key),
    update: async (key, value) => void (value === undefined ? values.delete(key) : values.set(key, value)),
  };
}

export class OrgUpdateChecker {
  private readonly last = new Map<string, SourceStatus>();
  private readonly memory: TellMemory;

  constructor(private readonly options: CheckerOptions) {
    this.memory = options.memory ?? inMemory();
  }

  /** Checks several projects in one round: one `git ls-remote` per repository and ref. */
  async checkAll(workspaces: readonly string[]): Promise<CheckResult[]> {
    const remoteTips: RemoteTips = new Map();
    const results: CheckResult[] = [];
    for (const workspace of workspaces) {
      try {
        results.push(await this.check(workspace, remoteTips));
      } catch (error) {
        const failed = error instanceof Error ? error.message : String(error);
        results.push({ workspace, report: { diagnostics: [], unreachable: false }, failed });
      }
    }
    return results;
  }

  /** Asks the repository how far the project's git source is behind (`remoteTips`: the round's shared answers). */
  async check(workspace: string, remoteTips?: RemoteTips): Promise<CheckResult> {
    const previous = this.last.get(workspace);
    const report = await sourceBehind({ ...this.options, workspace, previous, remoteTips });
    const source = report.source;
    if (!source || report.unreachable) return { workspace, report };
    this.last.set(workspace, source);
    if (!isBehind(source) || this.wasTold(workspace, source)) return { workspace, report };
    // Kept when told, not when answered: the write reaches the editor's storage long before a reload could lose it.
    await this.memory.update(toldKey(workspace, source), source.tip);
    return { workspace, report, newCommits: { source, count: source.behind } };
  }

  private wasTold(workspace: string, source: SourceStatus): boolean {
    return this.memory.get(toldKey(workspace, source)) === source.tip;
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
    if (report.lockWritten && moved && last) {
      this.last.set(workspace, { ...last, locked: moved.to, behind: 0, rewritten: false });
      await this.memory.update(toldKey(workspace, last), undefined);
    }
    return report;
  }
}
