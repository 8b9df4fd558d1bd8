/**
 * The engine's public surface. The CLI, the language server and the supervisor import from here only.
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
