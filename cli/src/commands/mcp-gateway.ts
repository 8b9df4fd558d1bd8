import { DiagnosticCode, resolveServer } from '@claude-env/engine';
import {
  gatewayPaths,
  queryDaemon,
  resolveMetricsSettings,
  runShim,
  startDaemon,
  stderrSink,
  DEFAULT_IDLE_TIMEOUT_MS,
  type FleetStatus,
  type MetricsSettingsSource,
  type ServerResolver,
} from '@claude-env/mcp';
import { parseDuration } from '@claude-env/engine';
import { version } from '../../../package.json';
import type { CliIo } from '../command';
import { UsageError } from '../errors';
import { ExitCode } from '../exitCodes';
import { LayerCache } from '../layerCache';
import { secretContext } from '../workspace';
import { colourState, formatDuration, renderTable } from './mcp-format';

/**
 * The engine side of the gateway: loads a workspace's layers as the `mcp` commands do and resolves one server,
 * secrets included, in the daemon's memory. A refusal names the rule or the problem, never a secret.
 */
export function gatewayResolver(io: CliIo, layers = new LayerCache(io.env)): ServerResolver {
  return async (workspace, name) => {
    const environment = layers.load(workspace);
    const noProject = environment.stack.diagnostics.find(
      (diagnostic) => diagnostic.code === DiagnosticCode.stackNoProject,
    );
    if (noProject) return { refusal: `${name}: ${noProject.message.replace(/\.$/, '')} (${workspace})` };
    const definition = environment.servers.find((server) => server.name === name);
    if (!definition) {
      const known = environment.servers.map((server) => server.name).join(', ') || 'none';
      return { refusal: `no MCP server named \`${name}\` in the layers of ${workspace}; known: ${known}` };
    }
    if (definition.blockedReason) return { refusal: `${name} is blocked: ${definition.blockedReason}` };
    const resolution = await resolveServer(definition, secretContext(workspace, io));
    if (!resolution.server || resolution.errors.length) {
      return { refusal: `${name} cannot start: ${resolution.errors.join('; ') || 'unresolved references'}` };
    }
    return { server: resolution.server };
  };
}

/** `gateway.metrics` of a workspace's layers, resolved in memory (header secrets included). */
export function gatewayMetricsSource(io: CliIo, layers = new LayerCache(io.env)): MetricsSettingsSource {
  return async (workspace) => {
    const environment = layers.load(workspace);
    if (!environment.value.gateway) return undefined;
    return resolveMetricsSettings(environment.value.gateway, secretContext(workspace, io));
  };
}

/** `--idle-timeout`, else `CLAUDE_ENV_GATEWAY_IDLE_TIMEOUT`, else the default; a bad value is a usage error. */
export function idleTimeoutOf(option: string | undefined, env: NodeJS.ProcessEnv): number {
  const raw = option ?? env.CLAUDE_ENV_GATEWAY_IDLE_TIMEOUT;
  if (raw === undefined || raw === '') return DEFAULT_IDLE_TIMEOUT_MS;
  const ms = parseDuration(/^\d+$/.test(raw) ? Number(raw) : raw, NaN);
  if (!(ms > 0))
    throw new UsageError(`the idle timeout must be a duration such as 30s or 10m, not \`${raw}\``, 'mcp daemon');
  return ms;
}

/** `claude-env mcp daemon`: serves the gateway until idle, stopped, SIGINT or SIGTERM. */
export async function mcpDaemon(idleTimeoutMs: number, io: CliIo): Promise<number> {
  const log = (line: string) => io.err(`${new Date().toISOString()} gateway: ${line}\n`);
  const layers = new LayerCache(io.env);
  const daemon = await startDaemon({
    resolver: gatewayResolver(io, layers),
    metricsSettings: gatewayMetricsSource(io, layers),
    version,
    idleTimeoutMs,
    log,
  });
  const paths = daemon?.paths ?? gatewayPaths(io.env);
  // The first stdout line is what a starting shim waits for; nothing is written to stdout after it.
  if (!daemon) {
    io.out(`running: a gateway daemon already listens on ${paths.socket}\n`);
    return ExitCode.ok;
  }
  io.out(`ready: listening on ${paths.socket} (pid ${process.pid})\n`);
  const onSignal = () => void daemon.stop('signal');
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await daemon.stopped;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  exitSoonIfStillOpen(log);
  return ExitCode.ok;
}

/** How long a stopped daemon waits for its event loop to empty before it exits anyway. */
const LINGER_AFTER_STOP_MS = 2000;

/**
 * The daemon has closed its socket, stopped its servers and removed its files; a handle still open (a library's timer,
 * a pipe a server left) must not keep a daemon nobody can reach alive. The timer does not itself hold the process.
 */
function exitSoonIfStillOpen(log: (line: string) => void): void {
  setTimeout(() => {
    log(`exiting: still open after stop: ${process.getActiveResourcesInfo().join(', ')}`);
    process.exit(ExitCode.ok);
  }, LINGER_AFTER_STOP_MS).unref();
}

/** `claude-env mcp daemon --stop`. */
export async function mcpDaemonStop(io: CliIo): Promise<number> {
  const answer = await queryDaemon('stop', gatewayPaths(io.env));
  io.out(answer ? 'the gateway daemon is stopping\n' : 'no gateway daemon is running\n');
  return ExitCode.ok;
}

/** `claude-env mcp connect <server>`: the stdio shim, in the CLI's own process. */
export async function mcpConnect(server: string, workspace: string, io: CliIo): Promise<number> {
  // Not io.err: a client that leaves stderr unread must not block the shim (see stderrSink).
  const stderr = stderrSink();
  const code = await runShim({
    server,
    workspace,
    env: io.env,
    daemonCommand: [process.execPath, process.argv[1], 'mcp', 'daemon'],
    input: process.stdin,
    output: process.stdout,
    note: (text) => stderr.line(text),
  });
  await stderr.flush();
  return code;
}

/** `claude-env mcp status`: the daemon's fleet. Starts nothing. */
export async function mcpStatus(json: boolean, io: CliIo): Promise<number> {
  const paths = gatewayPaths(io.env);
  const status = (await queryDaemon('status', paths)) as FleetStatus | undefined;
  if (json) {
    io.out(
      `${JSON.stringify(status ? { running: true, ...status } : { running: false, socket: paths.socket }, null, 2)}\n`,
    );
    return ExitCode.ok;
  }
  if (!status) {
    io.out(`No gateway daemon is running (${paths.socket}).\n`);
    return ExitCode.ok;
  }
  const palette = io.outColour;
  io.out(
    `Gateway daemon pid ${status.pid}, up since ${status.startedAt}, ${status.sessions.length} session(s), ` +
      `idle timeout ${formatDuration(status.idleTimeoutMs)}\n`,
  );
  if (status.backends.length === 0) {
    io.out('No server instances.\n');
    return ExitCode.ok;
  }
  const rows = status.backends.map((backend) => {
    const last = backend.recentCalls[backend.recentCalls.length - 1];
    return [
      backend.id,
      backend.workspace,
      backend.share,
      colourState(backend.state, palette),
      backend.pid === undefined ? '-' : String(backend.pid),
      String(backend.sessions.length),
      String(backend.restarts),
      last
        ? `${backend.recentCalls.length} (last ${last.target || last.method} ${formatDuration(last.ms)} ${last.outcome})`
        : '0',
      backend.reason,
    ];
  });
  io.out(
    renderTable(
      ['INSTANCE', 'WORKSPACE', 'SHARE', 'STATE', 'PID', 'SESSIONS', 'RESTARTS', 'CALLS', 'REASON'],
      rows,
      palette,
    ),
  );
  io.out(recentCallsTable(status, palette));
  return ExitCode.ok;
}

/** Calls listed per instance by `mcp status`; `--json` has all the daemon keeps (20). */
export const STATUS_CALLS_SHOWN = 5;

/** The last calls of each instance, oldest first: time, method, tool/prompt/URI, duration, outcome. */
function recentCallsTable(status: FleetStatus, palette: CliIo['outColour']): string {
  const rows = status.backends.flatMap((backend) =>
    backend.recentCalls
      .slice(-STATUS_CALLS_SHOWN)
      .map((call) => [
        backend.id,
        new Date(call.at).toISOString().slice(11, 23),
        call.method,
        call.target || '-',
        call.ms < 10 ? `${call.ms.toFixed(1)} ms` : formatDuration(call.ms),
        call.outcome === 'ok' ? call.outcome : palette.red(call.outcome),
      ]),
  );
  if (rows.length === 0) return '';
  const title = `\nLast calls (at most ${STATUS_CALLS_SHOWN} per instance, oldest first; arguments are not kept):\n`;
  return title + renderTable(['INSTANCE', 'AT (UTC)', 'METHOD', 'TARGET', 'DURATION', 'OUTCOME'], rows, palette);
}
