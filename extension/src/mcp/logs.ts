/**
 * One output channel per server, created the first time a person asks for that server's log: most servers are
 * never looked at, and a channel per server would crowd the Output panel's list. The channel is filled from the
 * fleet's ring buffer, then follows new lines. Lines arrive already redacted by the supervisor.
 */
import * as vscode from 'vscode';
import type { LogLine } from '@claude-env/mcp';
import type { EditorFleet } from './fleet';

export class ServerLogChannels implements vscode.Disposable {
  private readonly channels = new Map<string, vscode.OutputChannel>();
  private readonly onLog = (name: string, line: LogLine) => this.channels.get(name)?.appendLine(formatLine(line));

  constructor(private readonly fleet: EditorFleet) {
    fleet.on('log', this.onLog);
  }

  /** Opens the server's log channel (creating and back-filling it the first time). */
  show(name: string): vscode.OutputChannel {
    let channel = this.channels.get(name);
    if (!channel) {
      channel = vscode.window.createOutputChannel(`Claude Env MCP: ${name}`);
      for (const line of this.fleet.logs(name)) channel.appendLine(formatLine(line));
      this.channels.set(name, channel);
    }
    channel.show(true);
    return channel;
  }

  /** Names of the servers whose channel exists (for tests: channels are lazy). */
  opened(): string[] {
    return [...this.channels.keys()];
  }

  dispose(): void {
    this.fleet.off('log', this.onLog);
    for (const channel of this.channels.values()) channel.dispose();
    this.channels.clear();
  }
}

function formatLine(line: LogLine): string {
  const level = line.level ? ` ${line.level}` : '';
  return `${new Date(line.time).toISOString()} [${line.source}${level}] ${line.text}`;
}
