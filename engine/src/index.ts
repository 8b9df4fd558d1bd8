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
export { parseLayer } from './parse';
export { discoverStack, findProjectLayer, userConfigDir, type DiscoverOptions } from './discovery';
export { mergeStack, loadEnvironment } from './merge';
export { explainPath, nodeAtPath, effectiveNodeAt } from './provenance';
export { locate, type Located } from './locate';
export { nodeRealFs, overlayReader } from './fs';
export { schemaAt, childSchema, mergeStrategyAt, type SchemaNode } from './schema';
export { parseDuration } from './servers';
export { findReferences } from './secrets/references';
export {
  renderOutputs,
  DEFAULT_GATEWAY_LAUNCH,
  type GatewayLaunch,
  planApply,
  applyPlan,
  diffOutputs,
  BACKUP_FOLDER,
  type ApplyPlan,
  type PlanEntry,
  type AppliedTarget,
} from './outputs';
export {
  checkSecrets,
  ChainSecretProvider,
  resolveServer,
  defaultSecretProvider,
  claudeCodeVariables,
  findLiteralSecrets,
  Redactor,
  type ResolveContext,
  type SecretProvider,
} from './secrets';
export { importFiles, layerToYaml, mergeIntoLayerText, type ImportSource } from './import';
