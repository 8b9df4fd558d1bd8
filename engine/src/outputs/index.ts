/** Outputs: Claude Code's and VS Code's own files rendered from the effective environment, applied safely. */
export {
  renderOutputs,
  outputSelection,
  DEFAULT_OUTPUTS,
  CLAUDE_SHARED_SETTINGS,
  CLAUDE_LOCAL_SETTINGS,
  MCP_JSON,
  VSCODE_MCP_JSON,
  DEFAULT_GATEWAY_LAUNCH,
  type GatewayLaunch,
  type RenderedOutput,
  type RenderOptions,
  type OutputSelection,
} from './render';
export {
  planApply,
  applyPlan,
  diffOutputs,
  BACKUP_FOLDER,
  type ApplyPlan,
  type PlanEntry,
  type PlanAction,
  type ApplyOptions,
  type ApplyResult,
  type AppliedTarget,
} from './apply';
export {
  writeFileAtomic,
  removeStaleTemporaryFiles,
  FileWriteError,
  TEMP_SUFFIX,
  type AtomicWriteOptions,
} from './atomic';
export { withApplyLock, WorkspaceBusyError, APPLY_LOCK } from './lock';
export { readState, writeState, statePath, sha256, STATE_FOLDER, type ApplyState, type TargetRecord } from './state';
export { claudeVariableOf, variableNameOf, toClaudeCodeSyntax, toVsCodeSyntax } from './convert';
