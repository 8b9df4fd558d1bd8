import { DEFAULT_SUPERVISION, type EffectiveNode, type ServerDefinition, type SupervisionOptions } from './types';

/** `500ms`, `20s`, `2m` or a number of milliseconds. Invalid input was reported by the schema; it falls back. */
export function parseDuration(value: unknown, fallback: number): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value !== 'string') return fallback;
  const match = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m)$/.exec(value.trim());
  if (!match) return fallback;
  const factor = match[2] === 'ms' ? 1 : match[2] === 's' ? 1000 : 60_000;
  return Math.round(Number(match[1]) * factor);
}

function supervisionOf(raw: unknown): SupervisionOptions {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const d = DEFAULT_SUPERVISION;
  const restart = s.restart === 'never' || s.restart === 'always' || s.restart === 'on-failure' ? s.restart : d.restart;
  return {
    autoStart: typeof s.autoStart === 'boolean' ? s.autoStart : d.autoStart,
    restart,
    startupTimeoutMs: parseDuration(s.startupTimeout, d.startupTimeoutMs),
    pingIntervalMs: parseDuration(s.pingInterval, d.pingIntervalMs),
    pingTimeoutMs: parseDuration(s.pingTimeout, d.pingTimeoutMs),
    maxRestarts: typeof s.maxRestarts === 'number' && s.maxRestarts >= 0 ? Math.floor(s.maxRestarts) : d.maxRestarts,
    crashLoopWindowMs: parseDuration(s.crashLoopWindow, d.crashLoopWindowMs),
    required: typeof s.required === 'boolean' ? s.required : d.required,
    share: s.share === 'workspace' || s.share === 'session' ? s.share : d.share,
  };
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined);
  return Object.fromEntries(entries.map(([k, v]) => [k, String(v)]));
}

/** The effective servers, in definition order, with their supervision options and policy verdicts. */
export function buildServerDefinitions(
  servers: Record<string, unknown>,
  root: EffectiveNode,
  blocked: ReadonlyMap<string, string>,
): ServerDefinition[] {
  const tree = root.children?.get('mcpServers')?.children;
  const definitions: ServerDefinition[] = [];
  for (const [name, raw] of Object.entries(servers)) {
    if (!raw || typeof raw !== 'object') continue;
    const entry = raw as Record<string, unknown>;
    const node = tree?.get(name);
    if (!node) continue;
    const explicit = transportOf(entry.type);
    const type = explicit ?? (typeof entry.url === 'string' && typeof entry.command !== 'string' ? 'http' : 'stdio');
    const definition: ServerDefinition = {
      name,
      type,
      supervision: supervisionOf(entry.supervision),
      origin: node.origin,
    };
    if (typeof entry.command === 'string') definition.command = entry.command;
    if (Array.isArray(entry.args)) definition.args = entry.args.map(String);
    const env = stringRecord(entry.env);
    if (env) definition.env = env;
    if (typeof entry.cwd === 'string') definition.cwd = entry.cwd;
    if (typeof entry.url === 'string') definition.url = entry.url;
    const headers = stringRecord(entry.headers);
    if (headers) definition.headers = headers;
    const reason = blocked.get(name);
    if (reason) definition.blockedReason = reason;
    definitions.push(definition);
  }
  return definitions;
}

/** The transport a `type` names; `streamable-http` is Claude Code's other spelling of `http`. */
export function transportOf(type: unknown): ServerDefinition['type'] | undefined {
  if (type === 'streamable-http') return 'http';
  return type === 'http' || type === 'sse' || type === 'stdio' || type === 'ws' ? type : undefined;
}
