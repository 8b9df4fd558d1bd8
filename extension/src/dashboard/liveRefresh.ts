/**
 * When the dashboard reads the servers' history again on its own: after a change of the daemon's fleet, at most
 * once per interval (the trailing edge, so the last change of a burst is shown), and only while the panel is
 * visible. Hidden, it follows no change, holds no timer and reads nothing; shown again, the panel reads at once.
 * Imports no `vscode`, and takes its clock, so a test drives it without waiting.
 */

/** Starts following the fleet's changes (./fleetChanges.ts); disposing stops. */
export type FollowChanges = (changed: () => void) => { dispose(): void };

/** The clock and timers the throttle uses (the real ones by default). */
export interface ThrottleClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_CLOCK: ThrottleClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** At most one re-read of the history per this many milliseconds while changes keep coming. */
export const LIVE_REFRESH_MS = 15_000;

export class LiveRefresh {
  private visible = false;
  private timer: unknown;
  private lastReadAt = Number.NEGATIVE_INFINITY;
  private disposed = false;
  private following: { dispose(): void } | undefined;

  constructor(
    private readonly read: () => Promise<unknown>,
    private readonly follow: FollowChanges,
    private readonly intervalMs = LIVE_REFRESH_MS,
    private readonly clock: ThrottleClock = REAL_CLOCK,
  ) {}

  /** Whether a re-read waits for its turn. */
  get pending(): boolean {
    return this.timer !== undefined;
  }

  /** Whether the fleet's changes are followed now. */
  get followed(): boolean {
    return this.following !== undefined;
  }

  /**
   * The panel was shown or hidden. Shown, the fleet's changes are followed; hidden, no longer, and a waiting
   * re-read is dropped (showing again reads anyway).
   */
  setVisible(visible: boolean): void {
    this.visible = visible && !this.disposed;
    if (this.visible) {
      this.following ??= this.follow(() => this.changed());
      return;
    }
    this.cancel();
    this.following?.dispose();
    this.following = undefined;
  }

  /** Follows again from scratch (Workspace Trust was granted: what may be followed changed). */
  refollow(): void {
    this.following?.dispose();
    this.following = undefined;
    this.setVisible(this.visible);
  }

  /** The fleet changed: read again now if the last read is older than the interval, else when it is. */
  changed(): void {
    if (!this.visible || this.timer !== undefined) return;
    const wait = this.lastReadAt + this.intervalMs - this.clock.now();
    if (wait <= 0) void this.readNow();
    else
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        if (this.visible) void this.readNow();
      }, wait);
  }

  /** A read asked for (the panel opened or shown again, Refresh): it covers every change before it. */
  readNow(): Promise<unknown> {
    this.cancel();
    this.lastReadAt = this.clock.now();
    return this.read();
  }

  dispose(): void {
    this.disposed = true;
    this.setVisible(false);
  }

  private cancel(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
