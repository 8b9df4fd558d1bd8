/**
 * MCP supervision: start, watch, restart and stop MCP servers. Pure Node, shared by the extension and the CLI.
 */
export { Supervisor, UNTRUSTED_REASON, type AddServerOptions } from './supervisor';
export { ServerSupervisor } from './serverSupervisor';
export { RestartPolicy, formatMs, type RestartDecision, type ExitKind } from './backoff';
export { LogRing, MAX_LINE_CHARS } from './logRing';
export { RUN_MARKER_VAR, isAlive, processesOfRun } from './processTree';
export {
  DEFAULT_TUNING,
  SERVER_STATES,
  canRestart,
  canStart,
  canStop,
  isActive,
  isConnected,
  mayHaveLog,
} from './types';
export type {
  ServerState,
  ServerStatus,
  ServerMetrics,
  ServerCatalog,
  LogLine,
  LogSource,
  StateChangeEvent,
  ListChangeEvent,
  SupervisorEvents,
  SupervisorTuning,
} from './types';
export { startDaemon, DEFAULT_IDLE_TIMEOUT_MS, type DaemonOptions, type RunningDaemon } from './gateway/daemon';
export type { Resolution, ServerResolver } from './gateway/fleet';
export { runShim, connectOrStart, type ShimOptions } from './gateway/shim';
export { stderrSink, MAX_STDERR_BACKLOG, type StderrSink } from './gateway/stderrSink';
export {
  gatewayPaths,
  SOCKET_NAME,
  ensurePrivateDir,
  checkPrivateSocket,
  UnsafePathError,
  type GatewayPaths,
} from './gateway/paths';
export { queryDaemon, controlDaemon, subscribeDaemon, type DaemonSubscription } from './gateway/query';
export { GatewaySessionTransport, type GatewaySessionOptions } from './gateway/sessionTransport';
export { gatewayLaunchFrom, daemonLaunchFrom, plainNode, SHIM_BUNDLE, CLI_BUNDLE } from './gateway/launch';
export {
  GatewayErrorCode,
  WIRE_VERSION,
  type GatewayHello,
  type ControlAction,
  type ControlAnswer,
} from './gateway/wire';
export { NO_OBSERVER, RelayObserver, type GatewayObserver } from './gateway/observer';
export type { MetricsSettingsSource } from './gateway/daemonMetrics';
// The settings only: the OpenTelemetry code (./gateway/metrics) is imported by the daemon when metrics are on.
export {
  resolveMetricsSettings,
  type GatewayMetricsSettings,
  type MetricsSettingsResolution,
} from './gateway/metrics/settings';
export type { FleetStatus, BackendStatus, SessionStatus } from './gateway/status';
export type { CallRecord } from './gateway/backend';
export type { HealthWindow, HealthBucket, ServerHealth, ServerHealthReport } from './health/report';
export {
  readServerHealth,
  readServerHealthWindows,
  workspaceMatcher,
  WINDOW_LAYOUT,
  type ReadServerHealthOptions,
  type ReadServerHealthWindowsOptions,
} from './health/read';
export { healthStoreDir } from './health/segments';
export { HEALTH_SWITCH_VAR, type HealthOptions } from './health/daemonHealth';
