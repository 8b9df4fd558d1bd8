import { parseDuration } from '@claude-env/engine';
import { flag, stringOption, type CommandContext, type CommandSpec } from '../command';
import { UsageError } from '../errors';
import { ExitCode } from '../exitCodes';
import { loadWorkspace, secretContext } from '../workspace';
import type { McpTarget } from './mcp';
import { healthCommand } from './mcp-health';

// The supervisor, the MCP SDK and the gateway are loaded when an `mcp` command runs, not with every command:
// `claude-env show` should not pay for them (in the bundle the code is there; it is evaluated on first use).
// `require`, not `import()`: the bundler makes both lazy, and only `require` goes through the tests' TypeScript hook.
/* eslint-disable @typescript-eslint/no-require-imports */
const supervising = (): typeof import('./mcp') => require('./mcp');
const gateway = (): typeof import('./mcp-gateway') => require('./mcp-gateway');
/* eslint-enable @typescript-eslint/no-require-imports */

async function targetsOf(context: CommandContext, command: string): Promise<McpTarget[]> {
  const environment = loadWorkspace(context.cwd, context.io);
  const { resolveTargets, selectTargets } = supervising();
  const targets = await resolveTargets(environment, secretContext(context.cwd, context.io));
  return selectTargets(targets, context.positionals, command);
}

/**
 * Turns SIGINT/SIGTERM into an abort for the duration of `work`, so that servers are stopped with their process
 * trees instead of being orphaned. A second signal exits at once; the supervisor's exit hook still SIGKILLs
 * every server process on the way out.
 */
async function withShutdownSignals(
  work: (signal: AbortSignal) => Promise<number>,
  signalMeans: 'interrupted' | 'stop',
): Promise<number> {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) process.exit(130);
    received = signal;
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const code = await work(controller.signal);
    // For `check` a signal means it did not finish: the conventional 128 + signal number tells scripts so. For
    // `run` a signal is the normal way to stop.
    return received && signalMeans === 'interrupted' ? 128 + (received === 'SIGINT' ? 2 : 15) : code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

const listCommand: CommandSpec = {
  name: 'list',
  summary: 'the effective MCP servers, where each is defined, and whether policy allows it',
  usage: 'mcp list [name…] [--json]',
  description: [
    'Lists every MCP server of the effective environment with its command or URL, restart policy, ' +
      'the file and line that define it, and its policy state: `allowed`, `blocked` (with the rule ' +
      'that refuses it) or `unresolved` (a secret reference that cannot be resolved here). Starts ' +
      'nothing.',
  ],
  options: { json: { type: 'boolean', description: 'print one JSON object with every server' } },
  positionals: { min: 0, max: Infinity, name: 'server names' },
  exitCodes: [
    [ExitCode.ok, 'listed'],
    [ExitCode.usage, 'unknown server name or option'],
    [ExitCode.notLoaded, 'no project layer, or the folder does not exist'],
  ],
  async run(context) {
    const { mcpList } = supervising();
    return mcpList({ json: flag(context, 'json'), cwd: context.cwd }, await targetsOf(context, 'mcp list'), context.io);
  },
};

const checkCommand: CommandSpec = {
  name: 'check',
  summary: 'start each server, complete the handshake, list its tools, ping it and stop it',
  usage: 'mcp check [name…] [--json] [--timeout DURATION]',
  description: [
    'Starts each server (all, or those named), waits for the MCP handshake, lists its tools, pings ' +
      'it and stops it with every process it started. Prints one row per server: result, handshake ' +
      'time, tool count, ping latency, and the reason of a failure.',
    'Exits 1 when a server named on the command line, or marked `required: true`, is not ok; other ' +
      'failures are reported but do not change the exit code. Blocked and unresolved servers are never started.',
  ],
  options: {
    json: { type: 'boolean', description: 'print one JSON object: ok, and each server with its result and metrics' },
    timeout: {
      type: 'string',
      valueName: 'DURATION',
      description: "startup timeout for every server (e.g. 20s, 500ms), instead of each server's startupTimeout",
    },
  },
  positionals: { min: 0, max: Infinity, name: 'server names' },
  exitCodes: [
    [ExitCode.ok, 'every named and every required server is ok'],
    [ExitCode.findings, 'a named or required server failed'],
    [ExitCode.usage, 'unknown server name, bad --timeout'],
    [ExitCode.notLoaded, 'no project layer, or the folder does not exist'],
    [130, 'interrupted (SIGINT; 143 for SIGTERM): the servers started so far were stopped'],
  ],
  async run(context) {
    const rawTimeout = stringOption(context, 'timeout');
    const timeoutMs =
      rawTimeout === undefined
        ? undefined
        : parseDuration(/^\d+$/.test(rawTimeout) ? Number(rawTimeout) : rawTimeout, NaN);
    if (timeoutMs !== undefined && !(timeoutMs > 0)) {
      throw new UsageError(`--timeout must be a duration such as 20s, 500ms or 2m, not \`${rawTimeout}\``, 'mcp check');
    }
    const targets = await targetsOf(context, 'mcp check');
    const { mcpCheck } = supervising();
    return withShutdownSignals(
      (signal) =>
        mcpCheck(
          { json: flag(context, 'json'), timeoutMs, named: context.positionals.length > 0 },
          targets,
          context.io,
          signal,
        ),
      'interrupted',
    );
  },
};

const runCommand: CommandSpec = {
  name: 'run',
  summary: 'supervise the servers in the foreground until SIGINT or SIGTERM (containers)',
  usage: 'mcp run [name…] [--json] [--logs]',
  description: [
    'Starts every server that is allowed (or those named), restarts them by their restart policy, ' +
      'and prints each state change (starting, running, degraded, crashed, restarting, failed) with ' +
      'its reason. On SIGINT or SIGTERM it stops every server and everything they started, then exits.',
    'Exits 1 when a required server ended `failed`, 0 otherwise.',
  ],
  options: {
    json: { type: 'boolean', description: 'print one JSON object per line for each event' },
    logs: { type: 'boolean', description: "also print the servers' stderr and log messages (secrets redacted)" },
  },
  positionals: { min: 0, max: Infinity, name: 'server names' },
  exitCodes: [
    [ExitCode.ok, 'stopped on a signal'],
    [ExitCode.findings, 'a required server had failed, or nothing could be supervised'],
    [ExitCode.usage, 'unknown server name or option'],
    [ExitCode.notLoaded, 'no project layer, or the folder does not exist'],
  ],
  async run(context) {
    const targets = await targetsOf(context, 'mcp run');
    const options = { json: flag(context, 'json'), logs: flag(context, 'logs') };
    const { mcpRun } = supervising();
    return withShutdownSignals((signal) => mcpRun(options, targets, context.io, signal), 'stop');
  },
};

const daemonCommand: CommandSpec = {
  name: 'daemon',
  summary: 'the gateway daemon: one supervised fleet per user that `mcp connect` shims talk to',
  usage: 'mcp daemon [--idle-timeout DURATION] [--stop]',
  description: [
    "Listens on the user's private socket ($XDG_RUNTIME_DIR/claude-env/gateway.sock, else under " +
      '~/.local/state/claude-env/gateway/) and serves the sessions of `mcp connect` shims: it loads ' +
      "each workspace's layers, starts and supervises the servers, and restarts them by their policy " +
      'without ending the sessions. If a daemon already listens, prints `running` and exits 0. Shims ' +
      'start it on demand; it stops itself after the idle timeout with no client.',
  ],
  options: {
    'idle-timeout': {
      type: 'string',
      valueName: 'DURATION',
      description: 'stop after this long with no client (default 10m, or CLAUDE_ENV_GATEWAY_IDLE_TIMEOUT)',
    },
    stop: { type: 'boolean', description: 'ask the running daemon to stop its servers and exit' },
  },
  positionals: { min: 0, max: 0 },
  exitCodes: [
    [ExitCode.ok, 'stopped (idle, signal or request), or another daemon is running'],
    [ExitCode.usage, 'bad --idle-timeout'],
  ],
  async run(context) {
    const { idleTimeoutOf, mcpDaemon, mcpDaemonStop } = gateway();
    if (flag(context, 'stop')) return mcpDaemonStop(context.io);
    return mcpDaemon(idleTimeoutOf(stringOption(context, 'idle-timeout'), context.io.env), context.io);
  },
};

const connectCommand: CommandSpec = {
  name: 'connect',
  summary: "the stdio shim to the gateway daemon (what `outputs.mcpVia: gateway` writes into Claude Code's files)",
  usage: 'mcp connect <server> [--cwd WORKSPACE]',
  description: [
    "Speaks MCP on stdin/stdout like any stdio server and forwards it to the gateway daemon's " +
      'instance of <server> for the workspace, starting the daemon when none runs. The faster ' +
      'dist/mcp-connect.js bundle does the same without loading the CLI.',
  ],
  options: {},
  positionals: { min: 1, max: 1, name: 'server name' },
  exitCodes: [[ExitCode.ok, 'the client closed its input']],
  async run(context) {
    const { mcpConnect } = gateway();
    return mcpConnect(context.positionals[0], context.cwd, context.io);
  },
};

const statusCommand: CommandSpec = {
  name: 'status',
  summary: "the gateway daemon's fleet: instances, their state, sessions and last calls",
  usage: 'mcp status [--json]',
  description: [
    'Asks the running gateway daemon for every server instance it holds (workspace, sharing, state ' +
      'and reason, pid, sessions, restarts, the last calls with their duration and outcome) and its ' +
      'sessions. Starts nothing.',
  ],
  options: { json: { type: 'boolean', description: 'print the whole fleet as one JSON object' } },
  positionals: { min: 0, max: 0 },
  exitCodes: [[ExitCode.ok, 'printed (also when no daemon runs)']],
  async run(context) {
    const { mcpStatus } = gateway();
    return mcpStatus(flag(context, 'json'), context.io);
  },
};

/** `claude-env mcp list|check|run|status|health|connect|daemon`. */
export const mcpCommand: CommandSpec = {
  name: 'mcp',
  summary: 'list, check and supervise the MCP servers of the environment',
  usage: 'mcp <list|check|run|status|health|connect|daemon> [name…]',
  description: [
    'Works on the effective MCP servers: list them, check that they start and answer, or supervise them in the foreground.',
  ],
  options: {},
  positionals: { min: 0, max: 0 },
  subcommands: [listCommand, checkCommand, runCommand, statusCommand, healthCommand, connectCommand, daemonCommand],
  exitCodes: [],
  async run() {
    throw new UsageError('`mcp` needs a command: list, check, run, status, health, connect, daemon', 'mcp');
  },
};
