/** Secrets: references in values, providers, resolution for spawning, diagnostics and log redaction. */
export {
  findReferences,
  scanReferences,
  splitReferences,
  mapReferences,
  hasReferenceSyntax,
  type ValueReference,
  type EnvReference,
  type SecretReference,
  type FileReference,
  type MalformedReference,
  type ReferenceScan,
  type StringPart,
} from './references';
export {
  EnvironmentSecretProvider,
  SecretsFileProvider,
  ChainSecretProvider,
  defaultSecretProvider,
  defaultSecretsFile,
  secretVariableName,
  parseSecretsFile,
  type SecretProvider,
} from './providers';
export {
  resolveServer,
  resolveString,
  resolveReference,
  filePathOf,
  type ResolveContext,
  type ReferenceProblem,
  type StringResolution,
  type ServerResolution,
} from './resolve';
export { checkSecrets } from './check';
export { variableNameOf, claudeVariableOf } from './variables';
export { claudeCodeVariables, type ClaudeCodeVariables } from './claudeVariables';
export { findLiteralSecrets, credentialReason, shannonEntropy, suggestSecretName, type LiteralSecret } from './literal';
export { Redactor, REDACTION, MIN_REDACTED_LENGTH } from './redact';
