/**
 * Workspace operations: what `claude-env init`, `import`, `diff`, `apply` and `explain` do, as typed functions that
 * return typed reports. The CLI formats the reports as text or JSON; the extension turns them into prompts and
 * messages. Nothing here prints, exits or formats for a terminal.
 */
export { WorkspaceError, type WorkspaceErrorKind } from './errors';
export { displayPath } from './paths';
export { loadWorkspace, type WorkspaceOptions } from './load';
export { initWorkspace, PROJECT_TEMPLATE, type InitOptions, type InitOutcome, type InitReport } from './init';
export {
  importConfiguration,
  IMPORT_TARGETS,
  DEFAULT_IMPORT_FILES,
  type ImportConfigurationOptions,
  type ImportOutcome,
  type ImportReport,
  type ImportTarget,
} from './import';
export { planWorkspace, type ApplyPlanReport, type PlanOutcome, type PlannedTarget } from './plan';
export {
  applyWorkspace,
  type ApplyWorkspaceOptions,
  type ApplyOutcome,
  type ApplyReport,
  type DriftDecision,
} from './apply';
export {
  explainSetting,
  effectivePaths,
  type Explanation,
  type FoundExplanation,
  type MissingExplanation,
  type ExplainedItem,
} from './explain';
export {
  fetchSources,
  projectGitSource,
  type FetchAction,
  type FetchedSource,
  type FetchReport,
  type GitSourceOperationOptions,
  type ProjectGitSource,
} from './gitSources';
export {
  updateSources,
  sourceStatus,
  type SourceMove,
  type UpdateOptions,
  type UpdateReport,
  type StatusReport,
} from './gitUpdate';
export {
  sourceBehind,
  remoteTipKey,
  type BehindOptions,
  type BehindReport,
  type RemoteTips,
  type SourceStatus,
} from './gitBehind';
export { environmentChanges, updateConflicts, type EnvironmentChange, type UpdateConflict } from './environmentChanges';
export { writeManagedSettings, type ManagedReport } from './managed';
export {
  findProjects,
  findProjectsSync,
  SKIPPED_PROJECT_FOLDERS,
  type FoundProjects,
  type ProjectSearchLimits,
} from './findProjects';
