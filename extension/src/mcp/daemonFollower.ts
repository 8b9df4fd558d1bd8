/**
 * The editor's view of the gateway daemon's fleet: a subscription while a daemon runs, and while none does, a
 * watch on the socket's folder (a file-system event, not a poll), so that a daemon a shim or the CLI starts is
 * followed the moment it listens. Imports no `vscode`.
 */
import { watch, type FSWatcher } from 'node:fs';
import {
  SOCKET_NAME,
  checkPrivateSocket,
  ensurePrivateDir,
  queryDaemon,
  subscribeDaemon,
  type DaemonSubscription,
  type FleetStatus,
  type GatewayPaths,
} from '@claude-env/mcp';

export class DaemonFollower {
  /** The daemon's fleet as last pushed; undefined while no daemon runs. */
  status: FleetStatus | undefined;
  /** When `status` was taken: uptimes move on from there. */
  private statusAt = 0;
  private subscription: DaemonSubscription | undefined;
  private folderWatch: FSWatcher | undefined;
  private disposed = false;

  constructor(
    private readonly paths: GatewayPaths,
    private readonly changed: () => void,
    private readonly log: (message: string) => void,
    /** A subscription got its first status: a daemon runs (again). */
    private readonly found: () => void = () => undefined,
  ) {}

  /** How old `status` is. */
  ageMs(): number {
    return Date.now() - this.statusAt;
  }

  /** Subscribes unless subscribed; when no daemon answers, waits for its socket to appear. Call only when trusted. */
  follow(): void {
    if (this.disposed || this.subscription) return;
    let first = true;
    this.subscription = subscribeDaemon(
      (status) => {
        this.take(status);
        if (first) this.found();
        first = false;
      },
      () => {
        this.subscription = undefined;
        this.status = undefined;
        this.changed();
        this.watchForDaemon();
      },
      this.paths,
    );
  }

  /** A fresh status for a command's answer (the subscription's push may still be on its way). */
  async refresh(): Promise<void> {
    const status = (await queryDaemon('status', this.paths).catch(() => undefined)) as FleetStatus | undefined;
    if (status) this.take(status);
    else this.changed();
  }

  dispose(): void {
    this.disposed = true;
    this.subscription?.close();
    this.folderWatch?.close();
  }

  private take(status: FleetStatus): void {
    this.status = status;
    this.statusAt = Date.now();
    this.changed();
  }

  private watchForDaemon(): void {
    if (this.folderWatch || this.disposed) return;
    try {
      ensurePrivateDir(this.paths.dir);
      this.folderWatch = watch(this.paths.dir, (_event, file) => {
        if (file !== SOCKET_NAME || this.subscription) return;
        let present = false;
        try {
          present = checkPrivateSocket(this.paths.socket);
        } catch {
          // not a socket of ours: never followed
        }
        if (present) this.follow();
      });
      // A daemon that started between the end of the subscription and the watch is followed too.
      this.follow();
    } catch (error) {
      this.log(
        `cannot watch ${this.paths.dir} for the gateway daemon: ${error instanceof Error ? error.message : error}`,
      );
    }
  }
}
