/**
 * The shape of MCP server health history as the dashboard and `claude-env mcp health` read it: per server of a
 * workspace, over the last day or week, from what the gateway daemon recorded. Plain data (it crosses into the
 * dashboard webview): names, counts, times and durations, never arguments, output or secrets.
 */

/** The span a report covers, ending now. */
export type HealthWindow = 'day' | 'week';

/** One slice of the window (an hour of a day, six hours of a week). */
export interface HealthBucket {
  /** ISO time the slice starts. */
  start: string;
  calls: number;
  errors: number;
  restarts: number;
  /** Seconds of the slice the daemon was watching the server, and of those the seconds it was running. */
  observedSeconds: number;
  upSeconds: number;
  /** Call latency percentiles in the slice; undefined without calls. */
  p50Ms: number | undefined;
  p95Ms: number | undefined;
}

/** One server of one workspace over the window. */
export interface ServerHealth {
  server: string;
  /** The workspace folder whose layers define the server. */
  workspace: string;
  /** Running seconds over observed seconds (0–1); undefined when the daemon never watched it in the window. */
  uptime: number | undefined;
  observedSeconds: number;
  restarts: number;
  calls: number;
  errors: number;
  p50Ms: number | undefined;
  p95Ms: number | undefined;
  /** The last state change recorded, if any in the window. */
  lastState: { state: string; at: string; reason?: string } | undefined;
  /** In time order, covering the whole window (slices without data have zeros and undefined percentiles). */
  buckets: HealthBucket[];
}

export interface ServerHealthReport {
  window: HealthWindow;
  /** ISO times the window starts and ends. */
  from: string;
  to: string;
  bucketMinutes: number;
  /** Sorted by workspace, then server. Empty when nothing was recorded. */
  servers: ServerHealth[];
  /** Where the history lives, and whether the store could be read in full (damaged records are counted). */
  store: {
    dir: string;
    damagedRecords: number;
    /** Files or folders of the store that were refused (a symbolic link, another user's) or unreadable, with why. */
    problems?: string[];
  };
}
