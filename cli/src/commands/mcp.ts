import type { EffectiveEnvironment, ResolvedServer, ServerDefinition } from '@claude-env/engine';
import { resolveServer, type ResolveContext } from '@claude-env/engine';
import { Supervisor, type ServerStatus, type SupervisorTuning } from '@claude-env/mcp';
import type { CliIo } from '../command';
import { UsageError } from '../errors';
import { ExitCode } from '../exitCodes';
import { placeOf } from '../format/origin';
import { closeMatches } from '@claude-env/engine';
import { colourState, formatDuration, formatStateChange, renderTable, statusToJson } from './mcp-format';

/** One effective server as the `mcp` commands see it: its definition and, when its references resolved, the server. */
export interface McpTarget {
  definition: ServerDefinition;
  /** Undefined when a reference could not be resolved (see `problems`). */
  server?: ResolvedServer;
  /** Why the server could not be resolved, one line per reference. */
  problems: string[];
}

/** Resolves every effective server in memory. Never throws: unresolvable servers carry their problems. */
export async function resolveTargets(environment: EffectiveEnvironment, context: ResolveContext): Promise<McpTarget[]> {
  return Promise.all(
    environment.servers.map(async (definition) => {
      const resolution = await resolveServer(definition, context);
      // The resolver names the server in each message; the commands print the name in its own column.
      const prefix = `${definition.name}: `;
      const problems = resolution.errors.map((error) =>
        error.startsWith(prefix) ? error.slice(prefix.length) : error,
      );
      return { definition, server: resolution.server, problems };
    }),
  );
}

/** Keeps the targets named on the command line (all when none), refusing unknown names with suggestions. */
export function selectTargets(targets: McpTarget[], names: string[], command: string): McpTarget[] {
  if (names.length === 0) return targets;
  const known = targets.map((target) => target.definition.name);
  for (const name of names) {
    if (known.includes(name)) continue;
    const close = closeMatches(name, known);
    const hint = close.length ? ` (did you mean ${close.join(' or ')}?)` : '';
    throw new UsageError(`no MCP server named \`${name}\`${hint}; known: ${known.join(', ') || 'none'}`, command);
  }
  return targets.filter((target) => names.includes(target.definition.name));
}

export interface McpListOptions {
  json: boolean;
  /** Folder that paths are shown relative to. */
  cwd: string;
}

/** `claude-env mcp list`: the effective servers, where each is defined, and whether policy allows it. Starts nothing. */
export function mcpList(options: McpListOptions, targets: McpTarget[], io: CliIo): number {
  const verdict = (target: McpTarget) =>
    target.definition.blockedReason
      ? { state: 'blocked', reason: target.definition.blockedReason }
      : target.problems.length
        ? { state: 'unresolved', reason: target.problems.join('; ') }
        : { state: 'allowed', reason: '' };
  if (options.json) {
    const servers = targets.map((target) => {
      const { definition } = target;
      return {
        name: definition.name,
        type: definition.type,
        command: definition.command ?? null,
        args: definition.args ?? [],
        url: definition.url ?? null,
        ...verdict(target),
        supervision: definition.supervision,
        definedAt: placeOf(definition.origin, options.cwd),
      };
    });
    io.out(`${JSON.stringify({ servers }, null, 2)}\n`);
    return ExitCode.ok;
  }
  if (targets.length === 0) {
    io.out('No MCP servers in the effective environment.\n');
    return ExitCode.ok;
  }
  const rows = targets.map((target) => {
    const { definition } = target;
    const { state, reason } = verdict(target);
    const launch =
      definition.type === 'stdio' ? [definition.command, ...(definition.args ?? [])].join(' ') : (definition.url ?? '');
    const flags = [
      definition.supervision.autoStart ? 'autoStart' : '',
      definition.supervision.required ? 'required' : '',
    ]
      .filter(Boolean)
      .join(',');
    return [
      definition.name,
      definition.type,
      launch,
      colourState(state, io.outColour),
      `${definition.supervision.restart}${flags ? ` ${flags}` : ''}`,
      placeOf(definition.origin, options.cwd),
      reason,
    ];
  });
  io.out(
    renderTable(['NAME', 'TYPE', 'COMMAND / URL', 'POLICY', 'RESTART', 'DEFINED AT', 'REASON'], rows, io.outColour),
  );
  return ExitCode.ok;
}

export interface McpCheckOptions {
  json: boolean;
  /** Overrides each server's startup timeout (milliseconds). */
  timeoutMs?: number;
  /** Servers checked at once; the rest wait (a cold server is CPU-bound while it starts). */
  concurrency?: number;
  /** Supervisor tuning, for tests. */
  tuning?: Partial<SupervisorTuning>;
  /** The servers were named on the command line: each one counts as required for the exit code. */
  named?: boolean;
}

/** The outcome of checking one server. */
export interface CheckResult {
  name: string;
  required: boolean;
  ok: boolean;
  /** `ok`, or the state the server ended in (`crashed`, `failed`, `blocked`), or `unresolved`. */
  result: string;
  reason: string;
  status?: ServerStatus;
}

/**
 * `claude-env mcp check`: starts each server, completes the handshake, lists its tools, pings it and stops it.
 * Exit 1 when a `required` server, or one named on the command line, is not ok. Blocked and unresolved servers are reported, never started.
 */
export async function mcpCheck(
  options: McpCheckOptions,
  targets: McpTarget[],
  io: CliIo,
  abort?: AbortSignal,
): Promise<number> {
  const supervisor = new Supervisor(options.tuning);
  const onAbort = () => void supervisor.stopAll();
  abort?.addEventListener('abort', onAbort);
  try {
    const results = await mapPool(targets, options.concurrency ?? 4, (target) =>
      abort?.aborted ? Promise.resolve(interrupted(target, options)) : checkOne(supervisor, target, options),
    );
    printCheck(results, options, io);
    return results.some((result) => result.required && !result.ok) ? ExitCode.findings : ExitCode.ok;
  } finally {
    abort?.removeEventListener('abort', onAbort);
    await supervisor.dispose();
  }
}

function interrupted(target: McpTarget, options: McpCheckOptions): CheckResult {
  const { name, supervision } = target.definition;
  const required = supervision.required || options.named === true;
  return { name, required, ok: false, result: 'skipped', reason: 'interrupted before its turn' };
}

async function checkOne(supervisor: Supervisor, target: McpTarget, options: McpCheckOptions): Promise<CheckResult> {
  const { definition, server } = target;
  // A server the person named is one they want to know about: its failure is the command's failure.
  const base = { name: definition.name, required: definition.supervision.required || options.named === true };
  if (definition.blockedReason) return { ...base, ok: false, result: 'blocked', reason: definition.blockedReason };
  if (!server) return { ...base, ok: false, result: 'unresolved', reason: target.problems.join('; ') };
  // A check is one attempt: no restarts, and the caller's timeout when given.
  const supervision = {
    ...server.supervision,
    restart: 'never' as const,
    startupTimeoutMs: options.timeoutMs ?? server.supervision.startupTimeoutMs,
  };
  const supervised = await supervisor.add({ ...server, supervision });
  const status = await supervised.start();
  if (status.state !== 'running') return { ...base, ok: false, result: status.state, reason: status.reason, status };
  try {
    await supervised.ping();
  } catch (error) {
    const reason = `handshake done but ping failed: ${error instanceof Error ? error.message : String(error)}`;
    return { ...base, ok: false, result: 'degraded', reason, status: supervised.status() };
  }
  const final = supervised.status();
  await supervised.stop();
  return { ...base, ok: true, result: 'ok', reason: final.reason, status: final };
}

function printCheck(results: CheckResult[], options: McpCheckOptions, io: CliIo): void {
  const failedRequired = results.filter((result) => result.required && !result.ok).map((result) => result.name);
  if (options.json) {
    const servers = results.map((result) => ({
      name: result.name,
      required: result.required,
      ok: result.ok,
      result: result.result,
      reason: result.reason,
      ...(result.status ? { status: statusToJson(result.status) } : {}),
    }));
    io.out(`${JSON.stringify({ ok: failedRequired.length === 0, servers }, null, 2)}\n`);
    return;
  }
  if (results.length === 0) {
    io.out('No MCP servers to check.\n');
    return;
  }
  const palette = io.outColour;
  const rows = results.map((result) => [
    result.name,
    colourState(result.result, palette),
    result.required ? 'yes' : 'no',
    formatDuration(result.status?.metrics.handshakeMs),
    result.status && result.ok ? String(result.status.catalog.tools.length) : '-',
    formatDuration(result.status?.metrics.lastPingMs),
    result.ok ? '' : result.reason,
  ]);
  io.out(renderTable(['SERVER', 'RESULT', 'REQUIRED', 'HANDSHAKE', 'TOOLS', 'PING', 'REASON'], rows, palette));
  const okCount = results.filter((result) => result.ok).length;
  const summary = `${okCount} of ${results.length} server${results.length === 1 ? '' : 's'} ok`;
  io.out(
    failedRequired.length
      ? `${summary}; ${palette.red(`required server${failedRequired.length === 1 ? '' : 's'} failed: ${failedRequired.join(', ')}`)}\n`
      : `${summary}\n`,
  );
}

export interface McpRunOptions {
  json: boolean;
  /** Also print each server's log lines (already redacted). */
  logs: boolean;
  tuning?: Partial<SupervisorTuning>;
}

/**
 * `claude-env mcp run`: supervises the servers in the foreground, printing each state change, until `stop` is
 * aborted (SIGINT/SIGTERM in the CLI), then stops every server with its whole process tree.
 * Exit 1 when a required server ended `failed`, 0 otherwise.
 */
export async function mcpRun(
  options: McpRunOptions,
  targets: McpTarget[],
  io: CliIo,
  stop: AbortSignal,
): Promise<number> {
  const supervisor = new Supervisor(options.tuning);
  const print = (record: Record<string, unknown>, text: string) =>
    io.out(options.json ? `${JSON.stringify({ time: new Date().toISOString(), ...record })}\n` : text);
  supervisor.on('state', (event) =>
    print(
      { event: 'state', ...event, time: new Date(event.time).toISOString() },
      formatStateChange(event, io.outColour),
    ),
  );
  if (options.logs) {
    supervisor.on('log', (name, line) =>
      print(
        { event: 'log', name, ...line, time: new Date(line.time).toISOString() },
        `${io.outColour.dim(`${name} ${line.source}`)} ${line.text}\n`,
      ),
    );
  }
  for (const target of targets) {
    if (target.server) {
      await supervisor.add(target.server, { blockedReason: target.definition.blockedReason });
    } else {
      print(
        { event: 'unresolved', name: target.definition.name, problems: target.problems },
        `${target.definition.name}: ${colourState('unresolved', io.outColour)} - ${target.problems.join('; ')}\n`,
      );
    }
  }
  if (supervisor.names().length === 0) {
    io.err('claude-env: nothing to supervise: no MCP server could be resolved.\n');
    return ExitCode.findings;
  }
  // Ping timers do not hold the event loop, and URL servers have no child process that would: hold it here.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  try {
    const stopped = new Promise<void>((resolve) =>
      stop.aborted ? resolve() : stop.addEventListener('abort', () => resolve(), { once: true }),
    );
    void supervisor.startAll();
    await stopped;
    const required = targets
      .filter((target) => target.definition.supervision.required)
      .map((target) => target.definition.name);
    const failedRequired = supervisor
      .statuses()
      .filter((status) => status.state === 'failed' && required.includes(status.name));
    await supervisor.stopAll();
    print({ event: 'stopped', servers: supervisor.names().length }, `stopped ${supervisor.names().length} server(s)\n`);
    return failedRequired.length ? ExitCode.findings : ExitCode.ok;
  } finally {
    clearInterval(keepAlive);
    await supervisor.dispose();
  }
}

/** Runs `work` over `items` with at most `limit` in flight, keeping the order of `items` in the result. */
async function mapPool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
