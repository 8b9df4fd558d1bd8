/**
 * Import: turns an existing `.mcp.json`, `.claude/settings.json`, `.claude/settings.local.json` or
 * `.vscode/mcp.json` into a claude-env layer.
 */
export {
  importFiles,
  guessImportKind,
  type ImportKind,
  type ImportSource,
  type ImportedLayer,
  type ImportedFile,
  type ImportResult,
  type ImportOptions,
} from './importer';
export { layerToYaml, mergeIntoLayerText, type MergedLayerText } from './yamlLayer';
export { fromClaudeSyntax, fromVscodeSyntax } from './references';
export { parseJsonc, positionAt } from './jsonc';
