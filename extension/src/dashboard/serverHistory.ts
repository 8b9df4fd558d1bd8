/**
 * The MCP servers' history for the dashboard: the gateway daemon's health store (docs/server-health.md) read for
 * the last day and week, after asking a running daemon to flush, and handed to the page as names and figures
 * (./serversData.ts).
 */
import * as vscode from 'vscode';
import {
  healthStoreDir,
  readServerHealthWindows,
  WINDOW_LAYOUT,
  type HealthWindow,
  type ServerHealthReport,
} from '@claude-env/mcp';
import type { ServersData } from '../../webview/messages';
import { serversData } from './serversData';

export class ServerHistory implements vscode.Disposable {
  private running: Promise<ServersData> | undefined;
  private readonly updated = new vscode.EventEmitter<ServersData>();
  readonly onDidUpdate = this.updated.event;
  latest: ServersData | undefined;

  constructor(
    /** The project folder the dashboard shows (the usage tracker's). */
    private readonly folder: () => string | undefined,
    private readonly supervisor: () => 'gateway' | 'inProcess',
    private readonly output: vscode.LogOutputChannel,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Reads both windows again (a running daemon flushes first) and publishes them; one read at a time. */
  refresh(): Promise<ServersData> {
    this.running ??= this.read().finally(() => (this.running = undefined));
    return this.running;
  }

  private async read(): Promise<ServersData> {
    const now = new Date();
    const dir = healthStoreDir(this.env);
    let day: ServerHealthReport;
    let week: ServerHealthReport;
    try {
      // The daemon flushes first; one pass over the week's files gives the day too, without blocking the host.
      ({ day, week } = await readServerHealthWindows({ windows: ['day', 'week'], env: this.env, now }));
    } catch (error) {
      // Not expected (the reader reports what it finds on disk), but the page says so rather than showing nothing.
      const problem = error instanceof Error ? error.message : String(error);
      day = emptyReport('day', now, dir, problem);
      week = emptyReport('week', now, dir, problem);
    }
    for (const problem of new Set([...(day.store.problems ?? []), ...(week.store.problems ?? [])]))
      this.output.warn(`server history: ${problem}`);
    const data = serversData(day, week, { folder: this.folder(), supervisor: this.supervisor(), env: this.env });
    this.latest = data;
    this.updated.fire(data);
    return data;
  }

  dispose(): void {
    this.updated.dispose();
  }
}

function emptyReport(window: HealthWindow, now: Date, dir: string, problem: string): ServerHealthReport {
  const { bucketMinutes } = WINDOW_LAYOUT[window];
  const to = now.toISOString();
  return { window, from: to, to, bucketMinutes, servers: [], store: { dir, damagedRecords: 0, problems: [problem] } };
}
