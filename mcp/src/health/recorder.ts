import type { GatewayObserver } from '../gateway/observer';
import { addSample, type Histogram } from './histogram';
import { MAX_REASON_CHARS, type HealthRecord, type StateRecord, type TallyRecord } from './records';
import type { HealthStoreWriter } from './store';

/** The store's time resolution: a record covers at most one such slot of one server. Divides an hour. */
export const SLOT_MS = 5 * 60_000;
/** How often the daemon appends what it saw; also on `flush` requests and when it stops. */
export const FLUSH_INTERVAL_MS = 15_000;
/** States in which an instance serves requests. */
const UP_STATES: ReadonlySet<string> = new Set(['running', 'degraded']);
/** State changes kept between two flushes; a server flapping faster than this loses the excess, counted. */
const MAX_PENDING_STATES = 1_000;

type Event<K extends keyof GatewayObserver> = Parameters<NonNullable<GatewayObserver[K]>>[0];

interface Tally {
  slot: number;
  workspace: string;
  server: string;
  calls: number;
  errors: number;
  restarts: number;
  observedMs: number;
  upMs: number;
  histogram: Histogram;
}

/** The instances the daemon holds of one server in one workspace, and since when the server is in its condition. */
interface Watch {
  workspace: string;
  server: string;
  since: number;
  /** Instance id to its last state; an instance leaves when it stops or its backend is dropped. */
  instances: Map<string, string>;
}

export interface HealthRecorderOptions {
  /** Epoch milliseconds; tests pass a fake clock. */
  clock?: () => number;
  flushIntervalMs?: number;
  log?: (line: string) => void;
}

/**
 * Records the daemon's events as health history: per workspace and server and five-minute slot, the calls,
 * errors, restarts, latency histogram and the time observed and up; and every state change. A server is observed
 * while the daemon holds at least one instance of it that is not stopped, and up while every such instance is
 * running (or degraded: it still answers). Nothing of a call but its outcome and duration is kept.
 */
export class HealthRecorder implements GatewayObserver {
  private readonly tallies = new Map<string, Tally>();
  private readonly watches = new Map<string, Watch>();
  private states: StateRecord[] = [];
  private droppedStates = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly clock: () => number;

  constructor(
    private readonly writer: HealthStoreWriter,
    private readonly options: HealthRecorderOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /** Flushes every `flushIntervalMs` from now on; the timer never keeps the process alive. */
  start(): void {
    this.timer ??= setInterval(() => this.flush(), this.options.flushIntervalMs ?? FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  callFinished(event: Event<'callFinished'>): void {
    if (this.closed) return;
    const tally = this.tally(slotOf(this.clock()), event.workspace, event.server);
    tally.calls++;
    if (event.outcome !== 'ok') tally.errors++;
    // A call cut by a restart measured the time to the crash, not the server's latency.
    if (event.outcome !== 'restart') addSample(tally.histogram, event.seconds * 1000);
  }

  stateChanged(event: Event<'stateChanged'>): void {
    if (this.closed) return;
    const now = this.clock();
    const watch = this.watch(event.workspace, event.server, now);
    if (event.state === 'stopped') watch.instances.delete(event.instance);
    else watch.instances.set(event.instance, event.state);
    this.forgetIfEmpty(watch);
    if (this.states.length >= MAX_PENDING_STATES) {
      this.droppedStates++;
      return;
    }
    this.recordState(now, event.workspace, event.server, event.state, event.reason);
  }

  restarted(event: Event<'restarted'>): void {
    if (this.closed) return;
    this.tally(slotOf(this.clock()), event.workspace, event.server).restarts++;
  }

  instanceEnded(event: Event<'instanceEnded'>): void {
    if (this.closed) return;
    const watch = this.watch(event.workspace, event.server, this.clock());
    watch.instances.delete(event.instance);
    this.forgetIfEmpty(watch);
  }

  sessionsChanged(): void {}

  /**
   * Appends what was seen since the last flush: state changes, slots that ended, and the open slot of a server
   * that had calls or restarts in it (an idle server's open slot waits for its end, so an idle fleet writes one
   * line per server per slot). `everything` writes every open slot too: when the daemon stops, and when a reader
   * asks (the dashboard, `mcp health`), so that a server running idle since the slot began shows its time up.
   * The reader adds up the records of a slot, so a slot written in parts counts once.
   */
  flush(everything = false): void {
    const now = this.clock();
    for (const watch of this.watches.values()) this.accrue(watch, now);
    const current = slotOf(now);
    const records: HealthRecord[] = this.states;
    this.states = [];
    for (const [key, tally] of this.tallies) {
      if (!everything && tally.slot === current && tally.calls === 0 && tally.restarts === 0) continue;
      records.push(recordOf(tally));
      this.tallies.delete(key);
    }
    if (this.droppedStates > 0) {
      this.options.log?.(
        `health history: ${this.droppedStates} state change(s) over the limit between flushes were not kept`,
      );
      this.droppedStates = 0;
    }
    this.writer.write(records, now);
  }

  /** The daemon stops: observation ends now, and everything is written. */
  close(): void {
    if (this.closed) return;
    clearInterval(this.timer);
    const now = this.clock();
    // An instance whose session was ending as the daemon stopped may not have reported its stop yet.
    for (const watch of this.watches.values()) {
      this.accrue(watch, now);
      this.recordState(now, watch.workspace, watch.server, 'stopped', 'the gateway daemon stopped');
    }
    this.watches.clear();
    this.flush(true);
    this.closed = true;
  }

  private recordState(now: number, workspace: string, server: string, state: string, reason?: string): void {
    const record: StateRecord = { k: 's', t: now, w: workspace, s: server, state };
    // A start's reason is its command line: nothing the history needs, and not worth the risk of an argument.
    if (reason && state !== 'starting') record.why = reason.slice(0, MAX_REASON_CHARS);
    this.states.push(record);
  }

  private tally(slot: number, workspace: string, server: string): Tally {
    const key = `${slot}\0${workspace}\0${server}`;
    let tally = this.tallies.get(key);
    if (!tally) {
      tally = { slot, workspace, server, calls: 0, errors: 0, restarts: 0, observedMs: 0, upMs: 0, histogram: {} };
      this.tallies.set(key, tally);
    }
    return tally;
  }

  /** The server's watch, with the time since its last change credited to its condition until now. */
  private watch(workspace: string, server: string, now: number): Watch {
    const key = `${workspace}\0${server}`;
    let watch = this.watches.get(key);
    if (!watch) {
      watch = { workspace, server, since: now, instances: new Map() };
      this.watches.set(key, watch);
    }
    this.accrue(watch, now);
    return watch;
  }

  private forgetIfEmpty(watch: Watch): void {
    if (watch.instances.size === 0) this.watches.delete(`${watch.workspace}\0${watch.server}`);
  }

  /** Credits the time from `since` to `now`, split at slot boundaries, as observed (and up, if every instance is). */
  private accrue(watch: Watch, now: number): void {
    if (watch.instances.size > 0 && now > watch.since) {
      const up = [...watch.instances.values()].every((state) => UP_STATES.has(state));
      for (let from = watch.since; from < now;) {
        const slot = slotOf(from);
        const end = Math.min(now, slot + SLOT_MS);
        const tally = this.tally(slot, watch.workspace, watch.server);
        tally.observedMs += end - from;
        if (up) tally.upMs += end - from;
        from = end;
      }
    }
    watch.since = now;
  }
}

export function slotOf(epochMs: number): number {
  return Math.floor(epochMs / SLOT_MS) * SLOT_MS;
}

function recordOf(tally: Tally): TallyRecord {
  const observed = Math.round(tally.observedMs);
  return {
    k: 'm',
    t: tally.slot,
    w: tally.workspace,
    s: tally.server,
    c: tally.calls,
    e: tally.errors,
    r: tally.restarts,
    o: observed,
    u: Math.min(observed, Math.round(tally.upMs)),
    h: tally.histogram,
  };
}
