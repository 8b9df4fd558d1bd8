/**
 * The gateway's rows of the MCP Servers view: below a server, its instances in the daemon (per-session or shared,
 * pid, uptime); below an instance, the sessions on it, labelled by the client's name from its `initialize`
 * (Claude Code through the shim, VS Code, the CLI), and its last calls (tool, duration, outcome).
 */
import * as vscode from 'vscode';
import { formatMs, type BackendStatus, type CallRecord, type SessionStatus } from '@claude-env/mcp';
import type { GatewayView } from './fleet';

export type GatewayElement =
  | { kind: 'instance'; server: string; id: string }
  | { kind: 'session'; server: string; instance: string; id: number }
  | { kind: 'call'; server: string; instance: string; index: number };

/** Calls shown below an instance, newest first. */
const CALLS_SHOWN = 10;

export function gatewayChildren(
  element: { kind: 'server'; name: string } | GatewayElement,
  view: GatewayView,
): GatewayElement[] {
  if (element.kind === 'server')
    return view.instances.map((instance) => ({ kind: 'instance', server: element.name, id: instance.id }));
  if (element.kind !== 'instance') return [];
  const instance = view.instances.find((candidate) => candidate.id === element.id);
  if (!instance) return [];
  const sessions: GatewayElement[] = instance.sessions.map((id) => ({
    kind: 'session',
    server: element.server,
    instance: instance.id,
    id,
  }));
  const calls: GatewayElement[] = newestCalls(instance).map(({ index }) => ({
    kind: 'call',
    server: element.server,
    instance: instance.id,
    index,
  }));
  return [...sessions, ...calls];
}

export function gatewayItem(element: GatewayElement, view: GatewayView | undefined): vscode.TreeItem {
  const instance = view?.instances.find(
    (candidate) => candidate.id === (element.kind === 'instance' ? element.id : element.instance),
  );
  if (!instance) return new vscode.TreeItem('(gone)');
  if (element.kind === 'instance') {
    const hasChildren = instance.sessions.length + instance.recentCalls.length > 0;
    const item = new vscode.TreeItem(
      instance.id,
      hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `instance/${instance.id}`;
    item.description = describeInstance(instance);
    item.tooltip = `${instance.id} (${shareText(instance)}) — ${instance.state}: ${instance.reason}`;
    item.iconPath = new vscode.ThemeIcon('server-process');
    item.contextValue = `mcpInstance.${instance.state}`;
    return item;
  }
  if (element.kind === 'session') {
    const session = view?.sessions.find((candidate) => candidate.id === element.id);
    const item = new vscode.TreeItem(clientLabel(session), vscode.TreeItemCollapsibleState.None);
    item.id = `session/${instance.id}/${element.id}`;
    item.description = session ? describeSession(session) : '';
    item.tooltip = `Session ${element.id} on ${instance.id}${session?.client ? ` — ${session.client}` : ''}`;
    item.iconPath = new vscode.ThemeIcon('plug');
    item.contextValue = 'mcpSession';
    return item;
  }
  const call = instance.recentCalls[element.index];
  const item = new vscode.TreeItem(call ? callLabel(call) : '(gone)', vscode.TreeItemCollapsibleState.None);
  item.id = `call/${instance.id}/${call?.at ?? element.index}/${element.index}`;
  if (call) {
    item.description = `${formatMs(call.ms)} · ${call.outcome} · ${new Date(call.at).toLocaleTimeString()}`;
    item.tooltip = `${call.method} ${call.target} — ${call.outcome} in ${formatMs(call.ms)}`;
    item.iconPath = new vscode.ThemeIcon(call.outcome === 'ok' ? 'check' : 'error');
  }
  item.contextValue = 'mcpCall';
  return item;
}

/** Lines the server row's tooltip gains under the gateway. */
export function gatewayTooltipLines(view: GatewayView): string[] {
  if (view.instances.length === 0) return ['', 'Gateway: no instance in the daemon for this workspace.'];
  const lines = ['', '**Gateway instances**', ''];
  for (const instance of view.instances) {
    const clients = instance.sessions
      .map((id) => clientLabel(view.sessions.find((session) => session.id === id)))
      .join(', ');
    lines.push(`- ${instance.id}: ${describeInstance(instance)}${clients ? ` — sessions: ${clients}` : ''}`);
  }
  const calls = view.instances
    .flatMap((instance) => instance.recentCalls)
    .sort((a, b) => b.at - a.at)
    .slice(0, 5);
  if (calls.length) {
    lines.push('', '**Last calls**', '');
    for (const call of calls) lines.push(`- ${callLabel(call)} · ${formatMs(call.ms)} · ${call.outcome}`);
  }
  return lines;
}

function describeInstance(instance: BackendStatus): string {
  const parts = [instance.state, shareText(instance)];
  if (instance.pid !== undefined) parts.push(`pid ${instance.pid}`);
  if (instance.uptimeMs !== undefined) parts.push(`up ${formatMs(instance.uptimeMs)}`);
  if (instance.restarts) parts.push(`${instance.restarts} restart${instance.restarts === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

function shareText(instance: BackendStatus): string {
  return instance.share === 'workspace' ? 'shared by the workspace' : 'per session';
}

function describeSession(session: SessionStatus): string {
  const parts = [`since ${new Date(session.openedAt).toLocaleTimeString()}`];
  if (session.inFlight) parts.push(`${session.inFlight} in flight`);
  return parts.join(' · ');
}

/** The client's name from its `initialize`, or a placeholder before it has sent one. */
function clientLabel(session: SessionStatus | undefined): string {
  return session?.client || `session ${session?.id ?? '?'} (not initialized yet)`;
}

function callLabel(call: CallRecord): string {
  return call.target || call.method;
}

function newestCalls(instance: BackendStatus): { call: CallRecord; index: number }[] {
  return instance.recentCalls
    .map((call, index) => ({ call, index }))
    .reverse()
    .slice(0, CALLS_SHOWN);
}
