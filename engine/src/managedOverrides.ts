import { DiagnosticCode } from './diagnosticCodes';
import { POLICY_LAYERS, type Diagnostic, type MapEntry, type ParsedLayer, type SourceNode } from './types';

/**
 * What Claude Code itself will ignore once the org's managed settings are deployed (`claude-env apply --managed`):
 * with `allowManagedPermissionRulesOnly: true` in a base or team layer, the permission rules of project, user and
 * local layers; with `allowManagedHooksOnly: true`, their hooks. Warnings at each such line, pointing at the org's
 * switch, so that nobody relies on a rule that will not apply.
 */
export function managedOverrides(layers: readonly ParsedLayer[]): Diagnostic[] {
  const org = layers.filter((layer) => POLICY_LAYERS.includes(layer.kind));
  const switchOf = (key: string) => {
    for (const layer of [...org].reverse()) {
      const entry = entryAt(layer.root, ['settings', key]);
      if (entry) return entry.value.type === 'scalar' && entry.value.value === true ? { layer, entry } : undefined;
    }
    return undefined;
  };
  const diagnostics: Diagnostic[] = [];
  const others = layers.filter((layer) => !POLICY_LAYERS.includes(layer.kind) && !layer.file.startsWith('env:'));
  const rulesOnly = switchOf('allowManagedPermissionRulesOnly');
  const hooksOnly = switchOf('allowManagedHooksOnly');
  for (const layer of others) {
    if (rulesOnly) {
      for (const list of ['allow', 'ask', 'deny']) {
        const entry = entryAt(layer.root, ['settings', 'permissions', list]);
        if (entry?.value.type !== 'array') continue;
        for (const item of entry.value.items) {
          diagnostics.push(warning(layer, item, rulesOnly, 'allowManagedPermissionRulesOnly', 'this permission rule'));
        }
      }
    }
    const hooks = hooksOnly && entryAt(layer.root, ['settings', 'hooks']);
    if (hooksOnly && hooks)
      diagnostics.push(warning(layer, hooks.value, hooksOnly, 'allowManagedHooksOnly', 'these hooks'));
  }
  return diagnostics;
}

function warning(
  layer: ParsedLayer,
  node: SourceNode,
  orgSwitch: { layer: ParsedLayer; entry: MapEntry },
  key: string,
  what: string,
): Diagnostic {
  return {
    file: layer.file,
    range: node.range,
    severity: 'warning',
    code: DiagnosticCode.policyManagedOverrides,
    message: `Claude Code ignores ${what} once the org's managed settings are deployed: the ${orgSwitch.layer.label} layer sets ${key}.`,
    related: [{ file: orgSwitch.layer.file, range: orgSwitch.entry.keyRange, message: `${key} set here` }],
  };
}

function entryAt(root: SourceNode | undefined, path: string[]): MapEntry | undefined {
  let node = root;
  let entry: MapEntry | undefined;
  for (const key of path) {
    if (node?.type !== 'map') return undefined;
    entry = node.entries.find((candidate) => candidate.key === key);
    node = entry?.value;
  }
  return entry;
}
