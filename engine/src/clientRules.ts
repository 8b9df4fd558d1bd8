import { DiagnosticCode, type DiagnosticCodeValue } from './diagnosticCodes';
import { SHARED_LAYERS, type Diagnostic, type EffectiveNode, type Origin, type Severity } from './types';

/**
 * What the clients that read claude-env's files would do with the effective configuration, reported at the line
 * that sets it: keys Claude Code ignores in the file they are written to (scope rules), `cwd` that Claude Code
 * ignores, server names Claude Code rewrites, transports VS Code does not know. None of these is an error: the
 * file is still written as the layers say, and the message says what would make the key take effect.
 */
export function clientFindings(tree: EffectiveNode, outputs: Record<string, unknown>): Diagnostic[] {
  const findings: Diagnostic[] = [];
  const claudeSettings = typeof outputs.claudeSettings === 'string' ? outputs.claudeSettings : 'local';
  const mcpJson = outputs.mcpJson !== false;
  const vscodeMcpJson = outputs.vscodeMcpJson === true;
  const viaGateway = outputs.mcpVia === 'gateway';
  const settings = live(tree.children?.get('settings'));
  if (settings && claudeSettings !== 'none') {
    for (const [key, node] of settings.children ?? []) {
      if (!live(node)) continue;
      findings.push(...scopeFindings(key, node.origin, claudeSettings));
    }
  }
  for (const [name, server] of live(tree.children?.get('mcpServers'))?.children ?? []) {
    if (!live(server)) continue;
    findings.push(...serverFindings(name, server, { mcpJson, vscodeMcpJson, viaGateway }));
  }
  return findings;
}

/** Keys only managed settings (`managed-settings.json`, MDM, the admin console) honour. */
const MANAGED_ONLY = new Set([
  'allowManagedHooksOnly',
  'allowManagedPermissionRulesOnly',
  'allowManagedMcpServersOnly',
  'strictKnownMarketplaces',
  'allowedMcpServers',
  'deniedMcpServers',
]);
/** Keys Claude Code ignores in a committed `.claude/settings.json`: a cloned repository must not approve itself. */
const NOT_IN_SHARED = new Set(['enableAllProjectMcpServers', 'enabledMcpjsonServers', 'autoMemoryDirectory']);
/** Keys Claude Code reads from its state file `~/.claude.json` (or `claude config`), never from settings files. */
const CLAUDE_JSON_ONLY = new Set([
  'mcpServers',
  'theme',
  'preferredNotifChannel',
  'editorMode',
  'autoConnectIde',
  'autoInstallIdeExtension',
  'hasCompletedOnboarding',
  'projects',
]);

function scopeFindings(key: string, origin: Origin, claudeSettings: string): Diagnostic[] {
  const target = claudeSettings === 'shared' ? '.claude/settings.json' : '.claude/settings.local.json';
  if (MANAGED_ONLY.has(key)) {
    return [
      finding(
        origin,
        'warning',
        DiagnosticCode.scopeManagedOnly,
        `Claude Code honours '${key}' only in managed settings (managed-settings.json, MDM or the admin console); ` +
          `written to ${target} it has no effect. Deploy it as managed settings, or enforce the rule with ` +
          'claude-env `policy` in the base layer.',
      ),
    ];
  }
  if (NOT_IN_SHARED.has(key) && claudeSettings === 'shared' && SHARED_LAYERS.includes(origin.kind)) {
    const why =
      key === 'autoMemoryDirectory'
        ? 'a shared repository must not redirect memory'
        : 'a committed file cannot approve its own MCP servers';
    return [
      finding(
        origin,
        'warning',
        DiagnosticCode.scopeNotInSharedSettings,
        `Claude Code ignores '${key}' in the committed .claude/settings.json (${why}). Set it in your local ` +
          'or user layer, or write the settings to .claude/settings.local.json too (`outputs.claudeSettings: both`).',
      ),
    ];
  }
  if (CLAUDE_JSON_ONLY.has(key)) {
    const move =
      key === 'mcpServers'
        ? "Move the servers to the layer's top-level `mcpServers`, which apply writes to .mcp.json."
        : `Set it with \`claude config set -g ${key} <value>\`.`;
    return [
      finding(
        origin,
        'warning',
        DiagnosticCode.scopeClaudeJsonOnly,
        `Claude Code reads '${key}' from ~/.claude.json, not from settings files; in ${target} it has no effect. ${move}`,
      ),
    ];
  }
  return [];
}

interface ServerTargets {
  mcpJson: boolean;
  vscodeMcpJson: boolean;
  viaGateway: boolean;
}

function serverFindings(name: string, server: EffectiveNode, targets: ServerTargets): Diagnostic[] {
  const findings: Diagnostic[] = [];
  if (!/^[A-Za-z0-9_-]+$/.test(name)) {
    const toolName = `mcp__${name.replace(/[^A-Za-z0-9_-]/g, '_')}__<tool>`;
    findings.push(
      finding(
        server.origin,
        'warning',
        DiagnosticCode.clientServerName,
        `Claude Code names this server's tools \`${toolName}\`: characters other than letters, digits, '_' and '-' ` +
          'become `_`, so permission rules and hook matchers must use that form.',
      ),
    );
  }
  const field = (key: string) => live(server.children?.get(key));
  const type = field('type')?.value;
  const isStdio = type === undefined ? field('url') === undefined : type === 'stdio';
  const cwd = field('cwd');
  if (cwd && isStdio && targets.mcpJson && !targets.viaGateway) {
    findings.push(
      finding(
        cwd.origin,
        'warning',
        DiagnosticCode.clientCwdIgnored,
        'Claude Code ignores `cwd` in .mcp.json and starts the server in the folder it was started in; VS Code ' +
          'honours it. With `outputs.mcpVia: gateway` every client gets this working directory.',
      ),
    );
  }
  const typeNode = field('type');
  if (typeNode && type === 'ws' && (targets.mcpJson || targets.vscodeMcpJson)) {
    findings.push(
      finding(
        typeNode.origin,
        'warning',
        DiagnosticCode.clientTransport,
        'VS Code has no WebSocket transport: it reads .mcp.json and .vscode/mcp.json too, and will not start this ' +
          'server. Claude Code connects to it.',
      ),
    );
  }
  if (typeNode && type === 'streamable-http' && targets.vscodeMcpJson) {
    findings.push(
      finding(
        typeNode.origin,
        'info',
        DiagnosticCode.clientTransport,
        "Written as `http` to .vscode/mcp.json (VS Code's name for it); .mcp.json keeps `streamable-http`.",
      ),
    );
  }
  return findings;
}

function finding(origin: Origin, severity: Severity, code: DiagnosticCodeValue, message: string): Diagnostic {
  return { file: origin.file, range: origin.keyRange, severity, code, message };
}

function live(node: EffectiveNode | undefined): EffectiveNode | undefined {
  return node && !node.deleted ? node : undefined;
}
