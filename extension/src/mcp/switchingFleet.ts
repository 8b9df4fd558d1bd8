/**
 * The fleet the view, status bar and commands hold for the whole window: it delegates to the supervisor the
 * `claudeEnv.mcp.supervisor` setting chooses (the gateway daemon, or one in this extension host) and switches
 * when the setting changes, without a reload. Imports no `vscode`.
 */
import { EventEmitter } from 'node:events';
import type { LogLine } from '@claude-env/mcp';
import type { EditorFleet, FleetEntry, FleetEvents, SupervisorMode } from './fleet';

export class SwitchingFleet extends EventEmitter<FleetEvents> implements EditorFleet {
  private current: EditorFleet;
  private trusted = false;
  private switching: Promise<void> = Promise.resolve();
  private readonly onChanged = () => this.emit('changed');
  private readonly onLog = (name: string, line: LogLine) => this.emit('log', name, line);

  constructor(
    private readonly create: (mode: SupervisorMode) => EditorFleet,
    mode: SupervisorMode,
  ) {
    super();
    this.current = this.attach(create(mode));
  }

  get mode(): SupervisorMode {
    return this.current.mode;
  }

  get workspace(): string {
    return this.current.workspace;
  }

  get layerFiles(): string[] {
    return this.current.layerFiles;
  }

  /** Hands the servers to the other supervisor: the old one stops what it ran (in-process) or lets go of it. */
  switchTo(mode: SupervisorMode): Promise<void> {
    this.switching = this.switching.then(async () => {
      if (mode === this.current.mode) return;
      const previous = this.current;
      previous.off('changed', this.onChanged);
      previous.off('log', this.onLog);
      await previous.dispose();
      this.current = this.attach(this.create(mode));
      await this.current.setTrusted(this.trusted);
      this.emit('changed');
    });
    return this.switching;
  }

  list(): FleetEntry[] {
    return this.current.list();
  }

  entry(name: string): FleetEntry | undefined {
    return this.current.entry(name);
  }

  logs(name: string): LogLine[] {
    return this.current.logs(name);
  }

  setTrusted(trusted: boolean): Promise<void> {
    this.trusted = trusted;
    return this.current.setTrusted(trusted);
  }

  reload(): Promise<void> {
    return this.current.reload();
  }

  start(name: string): Promise<FleetEntry> {
    return this.current.start(name);
  }

  stop(name: string): Promise<FleetEntry> {
    return this.current.stop(name);
  }

  restart(name: string): Promise<FleetEntry> {
    return this.current.restart(name);
  }

  startAll(): Promise<FleetEntry[]> {
    return this.current.startAll();
  }

  stopAll(): Promise<void> {
    return this.current.stopAll();
  }

  async dispose(): Promise<void> {
    await this.switching;
    await this.current.dispose();
    this.removeAllListeners();
  }

  private attach(fleet: EditorFleet): EditorFleet {
    fleet.on('changed', this.onChanged);
    fleet.on('log', this.onLog);
    return fleet;
  }
}
