import { credentialReason } from '@claude-env/engine';
import { SERVER_STATES } from '../../types';

/**
 * Label values of the gateway's metrics. Every value that reaches a label passes through here, for two reasons:
 * a label is stored by every system that scrapes or receives it, so it must never carry an argument value or a
 * secret; and each distinct value is a time series, so the number of values must stay bounded however long the
 * daemon runs and whatever clients send.
 */

/** Stands for the targets (or servers) beyond the cap. Parentheses cannot occur in an MCP name, so no clash. */
export const OVERFLOW_LABEL = '(other)';
/** Stands for a target that is not a name (or looks like a credential): it is never reported as written. */
export const INVALID_LABEL = '(invalid)';

/** The states the supervisor knows; `claude_env_mcp_server_state` reports each of them as 0 or 1. */
export const KNOWN_STATES = SERVER_STATES;

export const CALL_METHODS = ['tools/call', 'resources/read', 'prompts/get'] as const;
export const CALL_OUTCOMES = ['ok', 'error', 'restart'] as const;

/** Caps on distinct label values; the defaults keep one daemon below a few thousand series. */
export interface LabelLimits {
  /** Distinct server names; further servers are reported as `(other)`. */
  maxServers: number;
  /** Distinct targets per server (all methods together); further targets are reported as `(other)`. */
  maxTargetsPerServer: number;
  /** Distinct states beyond the known ones (a newer daemon may report states this module does not list). */
  maxExtraStates: number;
}

export const DEFAULT_LABEL_LIMITS: LabelLimits = { maxServers: 100, maxTargetsPerServer: 100, maxExtraStates: 8 };

// MCP names: the specification allows letters, digits, `_`, `-`, `.` and `/`, up to 128 characters. Server names
// are any name a client accepts (`Dev Box MCP`, `microsoft/playwright-mcp`): printable, no quotes or backslashes,
// so that a label never needs escaping.
const NAME = /^[A-Za-z0-9_./-]{1,128}$/;
const SERVER_NAME = /^[^\p{C}"\\]{1,128}$/u;
const STATE_NAME = /^[a-z][a-z_-]{0,31}$/;
const URI_SCHEME = /^([A-Za-z][A-Za-z0-9+.-]{0,31}):/;
const HOST_NAME = /^[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63}){0,7}$/;

/** Assigns label values and remembers which ones were handed out, so that the caps hold. */
export class LabelPolicy {
  private readonly servers = new Set<string>();
  private readonly targetsByServer = new Map<string, Set<string>>();
  private readonly extraStates = new Set<string>();

  constructor(private readonly limits: LabelLimits = DEFAULT_LABEL_LIMITS) {}

  /** The `server` label: the configured name, `(invalid)`, or `(other)` past the cap. */
  server(name: string): string {
    if (typeof name !== 'string' || !SERVER_NAME.test(name) || credentialReason(name)) return INVALID_LABEL;
    return admit(this.servers, name, this.limits.maxServers);
  }

  /**
   * The `target` label of a call. Tools and prompts keep their name when it is a valid MCP name that does not
   * look like a credential. Resources keep only the URI's scheme and host (`test://static`, `file://`): the rest
   * of a URI is chosen by the caller and is an argument in all but name.
   */
  target(serverLabel: string, method: string, target: string): string {
    const reduced = method === 'resources/read' ? resourceTarget(target) : nameTarget(target);
    if (reduced === INVALID_LABEL) return reduced;
    let targets = this.targetsByServer.get(serverLabel);
    if (!targets) this.targetsByServer.set(serverLabel, (targets = new Set()));
    return admit(targets, reduced, this.limits.maxTargetsPerServer);
  }

  /** The `method` label; anything but the three call methods is `(invalid)`. */
  method(method: string): string {
    return (CALL_METHODS as readonly string[]).includes(method) ? method : INVALID_LABEL;
  }

  /** The `outcome` label; anything but ok, error and restart is `error`, the safe reading of an unknown outcome. */
  outcome(outcome: string): string {
    return (CALL_OUTCOMES as readonly string[]).includes(outcome) ? outcome : 'error';
  }

  /** The `state` label: a known state, a new state name while the cap allows, else `(other)`. */
  state(state: string): string {
    if ((KNOWN_STATES as readonly string[]).includes(state)) return state;
    if (typeof state !== 'string' || !STATE_NAME.test(state)) return INVALID_LABEL;
    return admit(this.extraStates, state, this.limits.maxExtraStates);
  }

  /** Every state label handed out so far, known ones first: each is reported as 0 or 1 for every server. */
  states(): string[] {
    return [...KNOWN_STATES, ...this.extraStates];
  }
}

/** Returns `value` if it was admitted before or there is room for it, else `(other)`. */
function admit(seen: Set<string>, value: string, cap: number): string {
  if (seen.has(value)) return value;
  if (seen.size >= cap) return OVERFLOW_LABEL;
  seen.add(value);
  return value;
}

function nameTarget(name: string): string {
  if (typeof name !== 'string' || !NAME.test(name) || credentialReason(name)) return INVALID_LABEL;
  return name;
}

function resourceTarget(uri: string): string {
  if (typeof uri !== 'string') return INVALID_LABEL;
  const scheme = URI_SCHEME.exec(uri)?.[1]?.toLowerCase();
  if (!scheme) return INVALID_LABEL;
  let host = '';
  try {
    // WHATWG URL parsing drops user:password@ and keeps the host alone; opaque URIs (`memo:x`) have none.
    host = new URL(uri).hostname.toLowerCase();
  } catch {
    host = '';
  }
  if (host && (!HOST_NAME.test(host) || credentialReason(host))) host = '';
  return uri.slice(scheme.length + 1).startsWith('//') ? `${scheme}://${host}` : `${scheme}:`;
}
