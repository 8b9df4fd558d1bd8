import { readdirSync, readFileSync } from 'node:fs';

/**
 * Finding and ending every process a server started. Servers are spawned detached, in their own process group,
 * and carry a marker variable in their environment. At stop we signal the group, every descendant found by
 * walking /proc, and every process that still carries the marker: that last net catches a grandchild that
 * called setsid() and whose parent already died (it is then neither in the group nor below the server).
 */

/** Name of the environment variable that tags every process of one run. */
export const RUN_MARKER_VAR = 'CLAUDE_ENV_MCP_RUN';

interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
}

function readStat(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name sits in parentheses and may itself contain spaces or parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, state: fields[0], ppid: Number(fields[1]), pgid: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

function listPids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number);
  } catch {
    // No /proc (macOS): the process group is all we can signal.
    return [];
  }
}

/** Live (non-zombie) processes. */
function liveProcesses(): ProcInfo[] {
  const result: ProcInfo[] = [];
  for (const pid of listPids()) {
    const info = readStat(pid);
    if (info && info.state !== 'Z' && info.state !== 'X') result.push(info);
  }
  return result;
}

function hasMarker(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker);
  } catch {
    return false;
  }
}

const HAS_PROC = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

/** Whether a process exists and is not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  if (HAS_PROC) {
    const info = readStat(pid);
    return info !== undefined && info.state !== 'Z' && info.state !== 'X';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Every live process of one run: members of the group `pgid`, descendants of `rootPid`, and processes whose
 * environment holds `markerValue`. The supervisor itself is never included.
 */
export function processesOfRun(rootPid: number | undefined, pgid: number | undefined, markerValue: string): number[] {
  const all = liveProcesses();
  const found = new Set<number>();
  if (rootPid !== undefined && all.some((p) => p.pid === rootPid)) found.add(rootPid);
  for (const info of all) if (pgid !== undefined && info.pgid === pgid) found.add(info.pid);
  // Descendants: repeat until no new child appears, so that the order of /proc entries does not matter.
  let grew = true;
  while (grew) {
    grew = false;
    for (const info of all) {
      if (!found.has(info.pid) && found.has(info.ppid)) {
        found.add(info.pid);
        grew = true;
      }
    }
  }
  const marker = `${RUN_MARKER_VAR}=${markerValue}`;
  for (const info of all) if (!found.has(info.pid) && hasMarker(info.pid, marker)) found.add(info.pid);
  found.delete(process.pid);
  return [...found];
}

function signal(pids: number[], pgid: number | undefined, sig: NodeJS.Signals): void {
  if (pgid !== undefined) {
    try {
      process.kill(-pgid, sig);
    } catch {
      // The group is already empty.
    }
  }
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // Already gone.
    }
  }
}

/** Polls until none of `pids` is alive or `ms` passes; true when all are gone. */
async function waitGone(pids: number[], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  let delay = 5;
  for (;;) {
    if (!pids.some(isAlive)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, delay));
    // Short polls first because most servers leave within milliseconds of SIGTERM.
    delay = Math.min(delay * 2, 100);
  }
}

/** What `terminateRun` had to do. */
export interface Termination {
  /** Processes that were alive and got SIGTERM. */
  signalled: number[];
  /** Those that outlived the grace period and got SIGKILL. */
  killed: number[];
}

/** Ends every process of a run: SIGTERM, then SIGKILL after `graceMs` for what is left. */
export async function terminateRun(
  rootPid: number | undefined,
  pgid: number | undefined,
  markerValue: string,
  graceMs: number,
): Promise<Termination> {
  const signalled = processesOfRun(rootPid, pgid, markerValue);
  if (signalled.length === 0) return { signalled, killed: [] };
  signal(signalled, pgid, 'SIGTERM');
  if (await waitGone(signalled, graceMs)) return { signalled, killed: [] };
  // Look again: a process may have forked while handling SIGTERM.
  const killed = processesOfRun(rootPid, pgid, markerValue);
  signal(killed, pgid, 'SIGKILL');
  await waitGone(killed, 1_000);
  return { signalled, killed };
}

/** Synchronous last resort for when the host process is exiting: SIGKILL everything of the run now. */
export function killRunNow(rootPid: number | undefined, pgid: number | undefined, markerValue: string): void {
  signal(processesOfRun(rootPid, pgid, markerValue), pgid, 'SIGKILL');
}
