import { basename, dirname } from 'node:path';
import type { Node as JsonNode } from 'jsonc-parser';
import { propertiesOf } from './jsonc';

/**
 * The kinds of file `import` understands. `claudeUserJson` is Claude Code's own state file `~/.claude.json`: only
 * its user-scope `mcpServers` are configuration, the rest (history, tips, caches) is not imported.
 * `claudeDesktopJson` is Claude Desktop's `claude_desktop_config.json` and `cursorMcpJson` Cursor's
 * `.cursor/mcp.json`: both hold `mcpServers` in Claude Code's shape, beside keys of their own.
 */
export type ImportKind =
  | 'mcpJson'
  | 'claudeSettings'
  | 'claudeLocalSettings'
  | 'vscodeMcpJson'
  | 'claudeUserJson'
  | 'claudeDesktopJson'
  | 'cursorMcpJson';

/** The program whose file each kind is, for messages. */
export const KIND_OWNER: Record<ImportKind, string> = {
  mcpJson: 'Claude Code',
  claudeSettings: 'Claude Code',
  claudeLocalSettings: 'Claude Code',
  vscodeMcpJson: 'VS Code',
  claudeUserJson: 'Claude Code',
  claudeDesktopJson: 'Claude Desktop',
  cursorMcpJson: 'Cursor',
};

/** Guesses what a file is from its name, then from its content. */
export function guessImportKind(file: string, root: JsonNode | undefined): ImportKind {
  const name = basename(file);
  const folder = basename(dirname(file));
  if (name === '.mcp.json') return 'mcpJson';
  if (name === '.claude.json') return 'claudeUserJson';
  if (name === 'claude_desktop_config.json') return 'claudeDesktopJson';
  if (name === 'settings.local.json') return 'claudeLocalSettings';
  if (name === 'settings.json' && folder === '.claude') return 'claudeSettings';
  if (name === 'mcp.json' && folder === '.vscode') return 'vscodeMcpJson';
  if (name === 'mcp.json' && folder === '.cursor') return 'cursorMcpJson';
  const keys = root ? propertiesOf(root).map((property) => property.key) : [];
  if (keys.includes('servers')) return 'vscodeMcpJson';
  if (keys.includes('mcpServers')) return 'mcpJson';
  return 'claudeSettings';
}

/** Kinds whose servers sit under `mcpServers` (VS Code's under `servers`). */
export function serverSection(kind: ImportKind): 'mcpServers' | 'servers' {
  return kind === 'vscodeMcpJson' ? 'servers' : 'mcpServers';
}

/** Keys of a server file that are that program's own business, not servers: skipped without a warning. */
export function ignoredKeys(kind: ImportKind): readonly string[] {
  if (kind === 'vscodeMcpJson') return ['inputs', '$schema'];
  if (kind === 'claudeUserJson') return ['*'];
  return ['$schema'];
}
