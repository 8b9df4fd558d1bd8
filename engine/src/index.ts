/**
 * The engine's public surface: the CLI, the language server, the MCP supervisor and the extension import
 * `@claude-env/engine`, which resolves here, and nothing below it (the lint step refuses deep imports).
 */
export type {
  Position,
  Range,
  Severity,
  Diagnostic,
  RelatedLocation,
  LayerKind,
  ScalarValue,
  SourceNode,
  MapNode,
  MapEntry,
  ArrayNode,
  ScalarNode,
  ParsedLayer,
  Origin,
  EffectiveNode,
  ServerDefinition,
  SupervisionOptions,
  LayerStack,
  EffectiveEnvironment,
  FileReader,
  ResolvedServer,
} from './types';
export { LAYER_ORDER, SHARED_LAYERS, POLICY_LAYERS, DEFAULT_SUPERVISION } from './types';
export { DiagnosticCode, type DiagnosticCodeValue } from './diagnosticCodes';
export { parseLayer } from './parse';
export { MAX_LAYER_BYTES, MAX_NESTING_DEPTH, MAX_NODES } from './limits';
export { discoverStack, findProjectLayer, LAYER_EXTENSIONS, userConfigDir, type DiscoverOptions } from './discovery';
export { mergeStack, loadEnvironment } from './merge';
export { explainPath, nodeAtPath, effectiveNodeAt } from './provenance';
export { locate, type Located } from './locate';
export { nodeRealFs, overlayReader } from './fs';
export {
  readRegularFile,
  readRegularFileBytes,
  assertInside,
  assertFileTarget,
  FileProblem,
  UnsafePathError,
  MAX_FILE_BYTES,
  type ReadOptions,
  type UnsafePathKind,
} from './safePaths';
export { schemaAt, childSchema, mergeStrategyAt, type SchemaNode } from './schema';
export { parseDuration } from './servers';
export { closeMatches, closestMatch, typoLimit } from './suggest';
export {
  describeOrigin,
  displayFile,
  originPlace,
  originText,
  type OriginText,
  type OriginTextOptions,
} from './describe';
export { escapeControl, hasControl } from './printable';
export { findReferences } from './secrets/references';
export {
  renderOutputs,
  DEFAULT_GATEWAY_LAUNCH,
  type GatewayLaunch,
  planApply,
  applyPlan,
  diffOutputs,
  BACKUP_FOLDER,
  writeFileAtomic,
  removeStaleTemporaryFiles,
  FileWriteError,
  withApplyLock,
  WorkspaceBusyError,
  APPLY_LOCK,
  TEMP_SUFFIX,
  type ApplyPlan,
  type PlanEntry,
  type PlanAction,
  type AppliedTarget,
  type AtomicWriteOptions,
} from './outputs';
export {
  checkSecrets,
  ChainSecretProvider,
  resolveServer,
  resolveString,
  credentialReason,
  defaultSecretProvider,
  claudeCodeVariables,
  findLiteralSecrets,
  Redactor,
  type ResolveContext,
  type ReferenceProblem,
  type SecretProvider,
} from './secrets';
export { importFiles, layerToYaml, mergeIntoLayerText, type ImportSource } from './import';
export {
  WorkspaceError,
  displayPath,
  loadWorkspace,
  initWorkspace,
  PROJECT_TEMPLATE,
  importConfiguration,
  IMPORT_TARGETS,
  DEFAULT_IMPORT_FILES,
  planWorkspace,
  applyWorkspace,
  explainSetting,
  effectivePaths,
  type WorkspaceErrorKind,
  type WorkspaceOptions,
  type InitOptions,
  type InitOutcome,
  type InitReport,
  type ImportConfigurationOptions,
  type ImportOutcome,
  type ImportReport,
  type ImportTarget,
  type ApplyPlanReport,
  type PlanOutcome,
  type PlannedTarget,
  type ApplyWorkspaceOptions,
  type ApplyOutcome,
  type ApplyReport,
  type DriftDecision,
  type Explanation,
  type FoundExplanation,
  type MissingExplanation,
  type ExplainedItem,
} from './workspace';
export {
  transcriptRoots,
  listTranscripts,
  projectSlug,
  TranscriptIndex,
  MAX_LINE_BYTES,
  readStatePath,
  loadTranscriptIndex,
  saveTranscriptIndex,
  BUNDLED_PRICES,
  PRICES_CHECKED,
  PRICES_SOURCE,
  bundledPriceTable,
  modelFamily,
  priceFor,
  usageRows,
  totalOf,
  dayOf,
  emptyTotals,
  budgetStatus,
  SLICE_MS,
  parseTranscriptLine,
  priceTableFor,
  type TranscriptFile,
  type FileCursor,
  type MalformedLine,
  type RefreshStats,
  type ModelPrice,
  type DatedPrice,
  type PriceTable,
  type CostedTotals,
  type UsageRow,
  type Grouping,
  type ReportOptions,
  type BudgetStatus,
  type BudgetOptions,
  type TokenCounts,
} from './usage';
