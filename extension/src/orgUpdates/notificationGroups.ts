/**
 * One notification per new tip of a repository and ref, however many projects in the window draw it: "The org
 * layers have 2 new commits in services/api, services/web". A workspace folder's own project is not named.
 */
import type { SourceStatus } from '@claude-env/engine';
import type { CheckResult } from './checker';

/** A project a notification is about, with what its check found. */
export interface NotifiedProject {
  path: string;
  label: string;
  source: SourceStatus;
}

export interface NotificationGroup {
  /** The first project's source (the repository, ref and tip are the same for all). */
  source: SourceStatus;
  message: string;
  projects: NotifiedProject[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Names of at most three projects, then how many more. */
function projectNames(labels: string[]): string {
  if (labels.length <= 3) return labels.join(', ');
  return `${labels.slice(0, 3).join(', ')} and ${labels.length - 3} more`;
}

/** The notifications to show for a round's results, in the order the projects were found. */
export function notificationGroups(
  results: readonly CheckResult[],
  projects: readonly { path: string; label: string; isRoot: boolean }[],
): NotificationGroup[] {
  const groups = new Map<string, { projects: NotifiedProject[]; roots: number }>();
  for (const result of results) {
    const source = result.newCommits?.source;
    if (!source) continue;
    const project = projects.find((candidate) => candidate.path === result.workspace);
    const key = [source.url, source.ref, source.tip, source.rewritten].join('\n');
    const group = groups.get(key) ?? { projects: [], roots: 0 };
    groups.set(key, group);
    group.projects.push({ path: result.workspace, label: project?.label ?? result.workspace, source });
    if (project?.isRoot) group.roots++;
  }
  return [...groups.values()].map(({ projects: members, roots }) => {
    const source = members[0]!.source;
    const count = Math.max(...members.map((member) => member.source.behind));
    const what = source.rewritten
      ? `The org layers' history was rewritten (${source.ref} is now ${source.tip?.slice(0, 12)})`
      : `The org layers have ${plural(count, 'new commit')}`;
    const named = members.length === 1 && roots === 1 ? '' : ` in ${projectNames(members.map((m) => m.label))}`;
    return { source, message: `${what}${named}`, projects: members };
  });
}
