/**
 * The MCP Servers view: one row per effective server with its state, uptime, ping and tool count; below a
 * running server, its tools, resources and prompts. Menus key on `contextValue` (`mcpServer.<state>`).
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { formatMs, isConnected } from '@claude-env/mcp';
import type { FleetEntry, FleetState, EditorFleet } from './fleet';
import { gatewayChildren, gatewayItem, gatewayTooltipLines, type GatewayElement } from './gatewayRows';

export const MCP_VIEW_ID = 'claudeEnv.mcpServers';

type Section = 'tools' | 'resources' | 'prompts';

/**
 * A row of the view: a server, one of its catalog sections, or one tool/resource/prompt; under the gateway also
 * the server's instances, and below each its sessions and last calls.
 */
export type McpTreeElement =
  | { kind: 'server'; name: string }
  | { kind: 'section'; server: string; section: Section }
  | { kind: 'item'; server: string; section: Section; label: string; detail?: string }
  | GatewayElement;

const STATE_ICONS: Record<FleetState, vscode.ThemeIcon> = {
  stopped: new vscode.ThemeIcon('circle-outline'),
  starting: new vscode.ThemeIcon('loading~spin'),
  running: new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed')),
  degraded: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  crashed: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  restarting: new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('list.warningForeground')),
  failed: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('list.errorForeground')),
  blocked: new vscode.ThemeIcon('lock'),
  unresolved: new vscode.ThemeIcon('key', new vscode.ThemeColor('list.warningForeground')),
};

const SECTION_ICONS: Record<Section, string> = { tools: 'tools', resources: 'file', prompts: 'comment' };

/** "running · up 2m 3s · ping 4 ms · 12 tools": what a glance at the row should tell. */
export function describeEntry(entry: FleetEntry): string {
  const parts: string[] = [entry.state];
  const gateway = entry.gateway;
  if (gateway?.instances.length) {
    const { instances, sessions } = gateway;
    parts.push(`${instances.length} instance${instances.length === 1 ? '' : 's'}`);
    parts.push(`${sessions.length} session${sessions.length === 1 ? '' : 's'}`);
  }
  const metrics = entry.status?.metrics;
  if (metrics?.uptimeMs !== undefined) parts.push(`up ${formatMs(metrics.uptimeMs)}`);
  const ping = metrics?.medianPingMs ?? metrics?.lastPingMs;
  if (ping !== undefined && isConnected(entry.state)) parts.push(`ping ${formatMs(ping)}`);
  const listed = entry.status?.catalog.tools.length ?? 0;
  const tools = listed || Math.max(0, ...(gateway?.instances.map((instance) => instance.tools) ?? []));
  if (isConnected(entry.state)) parts.push(`${tools} tool${tools === 1 ? '' : 's'}`);
  if (
    entry.state === 'blocked' ||
    entry.state === 'unresolved' ||
    entry.state === 'failed' ||
    entry.state === 'crashed'
  ) {
    parts.push(entry.reason);
  }
  return parts.join(' · ');
}

/** The row's tooltip: state and reason, figures, the launch line and where the server is defined. */
export function tooltipOf(entry: FleetEntry): vscode.MarkdownString {
  const { definition, status } = entry;
  const lines = [`**${definition.name}** — ${entry.state}`, '', entry.reason];
  const launch =
    definition.type === 'stdio'
      ? [definition.command, ...(definition.args ?? [])].join(' ')
      : `${definition.type} ${definition.url ?? ''}`;
  lines.push('', `\`${launch}\``);
  if (status) {
    const m = status.metrics;
    const figures = [
      status.pid !== undefined ? `pid ${status.pid}` : '',
      status.serverInfo ? `${status.serverInfo.name} ${status.serverInfo.version}` : '',
      m.handshakeMs !== undefined ? `handshake ${formatMs(m.handshakeMs)}` : '',
      m.medianPingMs !== undefined ? `median ping ${formatMs(m.medianPingMs)}` : '',
      m.failedPings ? `${m.failedPings} failed ping(s)` : '',
      `${m.restarts} restart(s)`,
      `${status.catalog.tools.length} tools, ${status.catalog.resources.length} resources, ${status.catalog.prompts.length} prompts`,
    ].filter(Boolean);
    lines.push('', figures.join(' · '));
  }
  if (entry.gateway) lines.push(...gatewayTooltipLines(entry.gateway));
  const line = definition.origin.keyRange.start.line + 1;
  lines.push('', `Defined in the ${definition.origin.label} layer: \`${basename(definition.origin.file)}:${line}\``);
  const markdown = new vscode.MarkdownString(lines.join('\n'));
  markdown.supportThemeIcons = false;
  return markdown;
}

export class McpServersTreeProvider implements vscode.TreeDataProvider<McpTreeElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<McpTreeElement | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly onFleetChange = () => this.changed.fire(undefined);
  /** Uptime in the description moves on its own; refresh while something runs. */
  private readonly ticker: NodeJS.Timeout;

  constructor(private readonly fleet: EditorFleet) {
    fleet.on('changed', this.onFleetChange);
    this.ticker = setInterval(() => {
      if (fleet.list().some((entry) => isConnected(entry.state))) this.changed.fire(undefined);
    }, 15_000);
  }

  getChildren(element?: McpTreeElement): McpTreeElement[] {
    if (!element) return this.fleet.list().map((entry) => ({ kind: 'server', name: entry.definition.name }));
    if (element.kind === 'item') return [];
    const entry = this.fleet.entry(element.kind === 'server' ? element.name : element.server);
    if (element.kind === 'instance' || element.kind === 'session' || element.kind === 'call')
      return entry?.gateway ? gatewayChildren(element, entry.gateway) : [];
    const instances: McpTreeElement[] =
      element.kind === 'server' && entry?.gateway ? gatewayChildren(element, entry.gateway) : [];
    const catalog = entry?.status?.catalog;
    if (!catalog) return instances;
    if (element.kind === 'server') {
      return [
        ...instances,
        ...(['tools', 'resources', 'prompts'] as const)
          .filter((section) => catalog[section].length > 0)
          .map((section) => ({ kind: 'section' as const, server: element.name, section })),
      ];
    }
    const server = element.server;
    switch (element.section) {
      case 'tools':
        return catalog.tools.map((tool) => ({
          kind: 'item',
          server,
          section: 'tools',
          label: tool.name,
          detail: tool.description,
        }));
      case 'resources':
        return catalog.resources.map((resource) => ({
          kind: 'item',
          server,
          section: 'resources',
          label: resource.name,
          detail: resource.uri,
        }));
      case 'prompts':
        return catalog.prompts.map((prompt) => ({
          kind: 'item',
          server,
          section: 'prompts',
          label: prompt.name,
          detail: prompt.description,
        }));
    }
  }

  getTreeItem(element: McpTreeElement): vscode.TreeItem {
    if (element.kind === 'server') return this.serverItem(element.name);
    if (element.kind === 'instance' || element.kind === 'session' || element.kind === 'call')
      return gatewayItem(element, this.fleet.entry(element.server)?.gateway);
    if (element.kind === 'section') {
      const count = this.fleet.entry(element.server)?.status?.catalog[element.section].length ?? 0;
      const item = new vscode.TreeItem(
        element.section[0].toUpperCase() + element.section.slice(1),
        vscode.TreeItemCollapsibleState.Collapsed,
      );
      item.id = `${element.server}/${element.section}`;
      item.description = String(count);
      item.iconPath = new vscode.ThemeIcon(SECTION_ICONS[element.section]);
      item.contextValue = `mcpSection.${element.section}`;
      return item;
    }
    const item = new vscode.TreeItem(element.label, vscode.TreeItemCollapsibleState.None);
    item.id = `${element.server}/${element.section}/${element.label}`;
    item.description = element.detail?.split('\n')[0];
    item.tooltip = element.detail;
    item.contextValue = `mcpItem.${element.section}`;
    return item;
  }

  getParent(element: McpTreeElement): McpTreeElement | undefined {
    if (element.kind === 'server') return undefined;
    if (element.kind === 'section' || element.kind === 'instance') return { kind: 'server', name: element.server };
    if (element.kind === 'session' || element.kind === 'call')
      return { kind: 'instance', server: element.server, id: element.instance };
    return { kind: 'section', server: element.server, section: element.section };
  }

  private serverItem(name: string): vscode.TreeItem {
    const entry = this.fleet.entry(name);
    const catalog = entry?.status?.catalog;
    const hasChildren =
      (entry?.gateway?.instances.length ?? 0) > 0 ||
      (catalog !== undefined && catalog.tools.length + catalog.resources.length + catalog.prompts.length > 0);
    const item = new vscode.TreeItem(
      name,
      hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `server/${name}`;
    if (!entry) return item;
    item.iconPath = STATE_ICONS[entry.state];
    item.description = describeEntry(entry);
    item.tooltip = tooltipOf(entry);
    item.contextValue = `mcpServer.${entry.state}`;
    return item;
  }

  dispose(): void {
    clearInterval(this.ticker);
    this.fleet.off('changed', this.onFleetChange);
    this.changed.dispose();
  }
}
