import { getOwn, setOwn } from '../ownKeys';
import { POLICY_LAYERS, type EffectiveEnvironment, type ParsedLayer, type SourceNode } from '../types';

/** The drop-in claude-env writes in `managed-settings.d/` (Claude Code merges the folder's files in name order). */
export const MANAGED_DROP_IN = 'managed-settings.d/50-claude-env.json';
/** The single file older Claude Code versions read. */
export const MANAGED_FILE = 'managed-settings.json';

/**
 * Where Claude Code looks for managed settings on each system (the folder; the file and the drop-in folder are in
 * it). An IT team deploys `claude-env apply --managed DIR` output there.
 */
export const MANAGED_SETTINGS_FOLDERS: Readonly<Record<string, string>> = {
  linux: '/etc/claude-code',
  darwin: '/Library/Application Support/ClaudeCode',
  win32: 'C:\\Program Files\\ClaudeCode',
};

/**
 * Settings that only mean something in managed settings; a base or team layer that sets one has it rendered here (in
 * a project's own files Claude Code ignores them).
 */
export const MANAGED_ONLY_SETTINGS: readonly string[] = [
  'allowManagedPermissionRulesOnly',
  'allowManagedHooksOnly',
  'allowManagedMcpServersOnly',
  'strictKnownMarketplaces',
  'forceLoginMethod',
  'forceLoginOrgUUID',
  'companyAnnouncements',
];

/** The managed settings of an environment, and what could not be expressed. */
export interface ManagedSettings {
  /** The JSON object Claude Code reads. */
  settings: Record<string, unknown>;
  /** Its text: two-space JSON, stable key order, a final newline. */
  text: string;
  /** Policy that managed settings cannot hold (a reference to a secret, a lock on a server). */
  warnings: string[];
  /**
   * The managed keys left out because their value holds a `${…}` reference (`settings.forceLoginOrgUUID`,
   * `permissions.deny: Bash(curl ${env:HOST})`): a machine-wide file cannot resolve a person's secrets or variables,
   * and a reference must never be resolved into it. A dev container build refuses the policy when this is not empty.
   */
  references: string[];
}

/** Whether a value holds a `${…}` reference (or an escaped `$${`, which is treated the same: left out). */
function holdsReference(value: unknown): boolean {
  return JSON.stringify(value).includes('${');
}

/**
 * Renders the org's enforceable policy as Claude Code managed settings, from the base and team layers only (a
 * project or personal layer never reaches a machine-wide file): their deny rules, each locked setting with its
 * effective value, the server allow and deny lists as `allowedMcpServers`/`deniedMcpServers`, and the managed-only
 * settings they set. Claude Code then enforces them itself, whatever a person writes in `.claude/settings*.json`.
 */
export function renderManagedSettings(environment: EffectiveEnvironment): ManagedSettings {
  const org = environment.stack.layers.filter((layer) => POLICY_LAYERS.includes(layer.kind));
  const settings: Record<string, unknown> = {};
  const warnings: string[] = [];
  const references: string[] = [];
  const leaveOut = (what: string) => {
    references.push(what);
    warnings.push(`${what} holds a reference (\${…}); managed settings are written without it.`);
  };
  const deny: string[] = [];
  for (const rule of unique(org.flatMap((layer) => strings(at(layer, ['settings', 'permissions', 'deny']))))) {
    if (holdsReference(rule)) leaveOut(`The deny rule '${rule}'`);
    else deny.push(rule);
  }
  const locked = unique(org.flatMap((layer) => strings(at(layer, ['policy', 'locked']))));
  for (const path of locked) {
    const [section, ...rest] = path.split('.');
    if (section !== 'settings' || rest.length === 0) {
      warnings.push(
        `The lock on ${path} is enforced by claude-env only: managed settings hold settings, not ${section}.`,
      );
      continue;
    }
    const value = valueAt(environment.value.settings, rest);
    if (value === undefined) continue;
    if (holdsReference(value)) {
      leaveOut(path);
      continue;
    }
    setAt(settings, rest, value);
  }
  for (const key of MANAGED_ONLY_SETTINGS) {
    const value = getOwn(environment.value.settings, key);
    if (value === undefined || !org.some((layer) => at(layer, ['settings', key]) !== undefined)) continue;
    if (holdsReference(value)) leaveOut(`settings.${key}`);
    else setOwn(settings, key, value);
  }
  if (deny.length > 0)
    setAt(settings, ['permissions', 'deny'], unique([...strings(valueAt(settings, ['permissions', 'deny'])), ...deny]));
  const names = environment.servers.map((server) => server.name);
  const lists = (key: 'allowed' | 'denied') => {
    const written = org.map((layer) => at(layer, ['policy', 'servers', key])).filter((node) => node !== undefined);
    // `allowed` replaces across layers (a team narrows the list): the last one written is the one in force.
    const patterns = key === 'allowed' ? strings(written.at(-1)) : unique(written.flatMap(strings));
    return written.length === 0 ? undefined : expand(patterns, names, key, warnings);
  };
  const allowed = lists('allowed');
  const denied = lists('denied');
  if (allowed) settings.allowedMcpServers = allowed.map((serverName) => ({ serverName }));
  if (denied) settings.deniedMcpServers = denied.map((serverName) => ({ serverName }));
  return { settings, text: `${JSON.stringify(settings, null, 2)}\n`, warnings, references };
}

/** Server-name globs as names: a plain name stays, a `*` pattern becomes the servers of this stack it matches. */
function expand(patterns: string[], names: string[], key: string, warnings: string[]): string[] {
  const out: string[] = [];
  for (const pattern of patterns) {
    if (!pattern.includes('*')) {
      out.push(pattern);
      continue;
    }
    const regex = new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`);
    out.push(...names.filter((name) => regex.test(name)));
    warnings.push(`The ${key} server pattern '${pattern}' is written as the servers of this stack it matches.`);
  }
  return unique(out);
}

function escapeRegex(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

function at(layer: ParsedLayer, path: string[]): SourceNode | undefined {
  let node: SourceNode | undefined = layer.root;
  for (const key of path) {
    if (node?.type !== 'map') return undefined;
    node = node.entries.find((entry) => entry.key === key)?.value;
  }
  return node;
}

function strings(node: SourceNode | unknown): string[] {
  if (Array.isArray(node)) return node.filter((item): item is string => typeof item === 'string');
  const source = node as SourceNode | undefined;
  if (source?.type !== 'array') return [];
  return source.items.flatMap((item) => (item.type === 'scalar' && typeof item.value === 'string' ? [item.value] : []));
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function valueAt(root: unknown, path: string[]): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = getOwn(current as Record<string, unknown>, key);
  }
  return current;
}

function setAt(root: Record<string, unknown>, path: string[], value: unknown): void {
  let current = root;
  for (const key of path.slice(0, -1)) {
    const next = getOwn(current, key);
    if (typeof next !== 'object' || next === null) setOwn(current, key, {});
    current = getOwn(current, key) as Record<string, unknown>;
  }
  setOwn(current, path[path.length - 1], value);
}
