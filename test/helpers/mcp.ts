/** MCP servers for the supervisor tests: resolved definitions of the fixture server and of npm packages, state
 * waits, and the scan for processes a test left behind. */
import { readdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DEFAULT_SUPERVISION, type ResolvedServer, type SupervisionOptions } from '../../engine/src/types';
import { isAlive, type ServerState, type StateChangeEvent, type Supervisor } from '@claude-env/mcp';
import { REPO_ROOT } from './paths';

export const FIXTURE_SERVER = join(REPO_ROOT, 'test/fixtures/mcp/fixture-server.cjs');

/** Tags every process a test file starts, so that the leftover scan finds exactly ours. */
export const TEST_TAG_VAR = 'CLAUDE_ENV_TEST_TAG';

export function newTag(): string {
  return randomUUID();
}

/** A stdio server definition, already resolved, as the engine would hand it to the supervisor. */
export function stdioServer(
  name: string,
  command: string,
  args: string[],
  tag: string,
  options: {
    env?: Record<string, string>;
    supervision?: Partial<SupervisionOptions>;
    secretValues?: string[];
    cwd?: string;
  } = {},
): ResolvedServer {
  return {
    name,
    type: 'stdio',
    command,
    args,
    env: { ...options.env, [TEST_TAG_VAR]: tag },
    cwd: options.cwd ?? REPO_ROOT,
    headers: {},
    supervision: { ...DEFAULT_SUPERVISION, ...options.supervision },
    secretValues: options.secretValues ?? [],
  };
}

/** The fixture server in one of its modes (see test/fixtures/mcp/fixture-server.cjs). */
export function fixture(
  name: string,
  mode: string,
  tag: string,
  options: Parameters<typeof stdioServer>[4] = {},
): ResolvedServer {
  return stdioServer(name, process.execPath, [FIXTURE_SERVER, mode], tag, options);
}

/** A package's bin started with this Node, offline (no npx). */
export function npmServer(
  name: string,
  binPath: string,
  args: string[],
  tag: string,
  options: Parameters<typeof stdioServer>[4] = {},
): ResolvedServer {
  return stdioServer(name, process.execPath, [join(REPO_ROOT, 'node_modules', binPath), ...args], tag, options);
}

/**
 * Resolves with the first state event of `name` that matches, or rejects after `timeoutMs` with the states
 * seen (a guard against a hung test, not a synchronisation sleep).
 */
export function waitForState(
  supervisor: Supervisor,
  name: string,
  states: ServerState | ServerState[],
  timeoutMs = 8_000,
): Promise<StateChangeEvent> {
  const wanted = Array.isArray(states) ? states : [states];
  const current = supervisor.get(name);
  if (current && wanted.includes(current.state)) {
    return Promise.resolve({
      name,
      state: current.state,
      previous: current.state,
      reason: current.reason,
      time: Date.now(),
    });
  }
  return collectUntil(supervisor, name, (event) => wanted.includes(event.state), timeoutMs).then(
    (events) => events[events.length - 1],
  );
}

/** Collects the state events of `name` until `done` says so. */
export function collectUntil(
  supervisor: Supervisor,
  name: string,
  done: (event: StateChangeEvent, seen: StateChangeEvent[]) => boolean,
  timeoutMs = 8_000,
): Promise<StateChangeEvent[]> {
  return new Promise((resolvePromise, reject) => {
    const seen: StateChangeEvent[] = [];
    const onState = (event: StateChangeEvent) => {
      if (event.name !== name) return;
      seen.push(event);
      if (done(event, seen)) {
        clearTimeout(timer);
        supervisor.off('state', onState);
        resolvePromise(seen);
      }
    };
    const timer = setTimeout(() => {
      supervisor.off('state', onState);
      reject(
        new Error(
          `timed out after ${timeoutMs} ms; states seen: ${seen.map((e) => `${e.state} (${e.reason})`).join(' → ') || 'none'}`,
        ),
      );
    }, timeoutMs);
    supervisor.on('state', onState);
  });
}

/** Live (non-zombie) processes whose environment carries the tag. */
export function taggedProcesses(tag: string): number[] {
  const marker = `${TEST_TAG_VAR}=${tag}`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      if (state === 'Z' || state === 'X') continue;
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(marker)) found.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return found;
}

/**
 * Polls until none of `pids` is alive. Only for processes that are not our children (a dead host's server
 * processes): no event reports their end, and SIGKILL takes effect asynchronously.
 */
export async function waitUntilGone(pids: number[], timeoutMs = 2_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = pids.filter(isAlive);
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
