import { honoured, keepBudgetCeilings } from './budgets';
import { isDirective, literalValue, setOwn } from './directives';
import { managedOverrides } from './managedOverrides';
import { discoverStack, type DiscoverOptions } from './discovery';
import { clientFindings } from './clientRules';
import { describeOrigin } from './describe';
import {
  collectLocks,
  lockedAncestor,
  locksBelow,
  type Lock,
  applyServerPolicy,
  restoreDenyRules,
  reportMisplacedSections,
  type WriteRecord,
} from './policy';
import { mergeStrategyAt, schemaAt } from './schema';
import { buildServerDefinitions } from './servers';
import { DiagnosticCode, type DiagnosticCodeValue } from './diagnosticCodes';
import type {
  Diagnostic,
  EffectiveEnvironment,
  EffectiveNode,
  LayerStack,
  Origin,
  ParsedLayer,
  Range,
  SourceNode,
} from './types';

/** Top-level keys that merge into the effective environment; the others describe the stack itself. */
const MERGED_KEYS = new Set(['settings', 'mcpServers', 'outputs', 'gateway', 'pricing', 'budgets']);

/** Discovers the stack of a workspace and merges it. */
export function loadEnvironment(workspace: string, options: DiscoverOptions = {}): EffectiveEnvironment {
  return mergeStack(discoverStack(workspace, options));
}

interface ConflictCandidate {
  path: string[];
  earlier: Origin;
  later: Origin;
}

/**
 * Merges a layer stack per the contract: maps deep, scalars replaced by higher layers, arrays by the strategy
 * the schema declares, directives honoured, policy enforced (a violating write is refused and reported at its
 * line), and every effective value annotated with where it came from and what it overrode.
 */
export function mergeStack(stack: LayerStack): EffectiveEnvironment {
  return new StackMerger(stack).run();
}

class StackMerger {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly locks: Lock[];
  private readonly writes: WriteRecord[] = [];
  private readonly conflicts: ConflictCandidate[] = [];
  private readonly root: EffectiveNode;
  private layerIndex = 0;
  private layer!: ParsedLayer;

  constructor(private readonly stack: LayerStack) {
    this.locks = collectLocks(stack.layers);
    const anchor = stack.layers[0];
    const rootOrigin: Origin = {
      kind: anchor?.kind ?? 'project',
      label: anchor?.label ?? 'project',
      file: anchor?.file ?? stack.workspace,
      keyRange: zeroRange(),
      range: zeroRange(),
      value: undefined,
    };
    this.root = {
      path: [],
      value: undefined,
      origin: rootOrigin,
      overridden: [],
      children: new Map(),
      contributors: [],
    };
  }

  run(): EffectiveEnvironment {
    this.stack.layers.forEach((layer, index) => {
      this.layer = layer;
      this.layerIndex = index;
      reportMisplacedSections(layer, this.diagnostics);
      for (const entry of layer.root?.entries ?? []) {
        if (MERGED_KEYS.has(entry.key) && honoured(entry.key, layer.kind))
          this.apply(this.root, entry.key, entry.keyRange, entry.value);
      }
    });
    restoreDenyRules(this.root, this.writes, this.stack.layers, this.diagnostics);
    keepBudgetCeilings(this.root, this.stack.layers, this.diagnostics);
    this.reportConflicts();
    const value = materialize(this.root) as EffectiveEnvironment['value'];
    value.settings ??= {};
    value.mcpServers ??= {};
    value.outputs ??= {};
    const blocked = applyServerPolicy(this.stack.layers, this.root, this.diagnostics);
    const servers = buildServerDefinitions(value.mcpServers, this.root, blocked);
    const diagnostics = [
      ...this.stack.diagnostics,
      ...this.stack.layers.flatMap((l) => l.diagnostics),
      ...this.diagnostics,
      ...managedOverrides(this.stack.layers),
      ...clientFindings(this.root, value.outputs as Record<string, unknown>),
    ];
    return { stack: this.stack, value, tree: this.root, servers, diagnostics };
  }

  private origin(keyRange: Range, node: SourceNode): Origin {
    const { kind, label, file } = this.layer;
    return {
      kind,
      label,
      file,
      keyRange,
      range: node.range,
      value: node.type === 'map' ? undefined : literalValue(node),
    };
  }

  private apply(parent: EffectiveNode, key: string, keyRange: Range, node: SourceNode): void {
    const path = [...parent.path, key];
    const children = parent.children!;
    const existing = live(children.get(key));
    const origin = this.origin(keyRange, node);
    const directive = node.type === 'map' ? isDirective(node) : undefined;

    // A map the schema marks `x-merge: replace` (a plugin marketplace) is replaced whole, as Claude Code does.
    const replacedWhole =
      node.type === 'map' && !directive && existing?.children && schemaAt(path)?.['x-merge'] === 'replace';
    if (node.type === 'map' && !directive && !replacedWhole && (!existing || existing.children)) {
      // Merging into a map: policy is checked on each leaf below, so no lock check here.
      const target = existing ?? this.newMap(path, origin, chain(children.get(key)));
      if (existing) target.contributors!.push(origin);
      else children.set(key, target);
      for (const entry of node.entries) this.apply(target, entry.key, entry.keyRange, entry.value);
      return;
    }
    if (this.violatesLock(path, existing, node, directive, origin)) return;

    if (directive === '$delete') {
      if (!existing)
        this.warn(
          keyRange,
          DiagnosticCode.directiveNothingToDelete,
          `Nothing to delete: no lower layer sets '${path.join('.')}'.`,
        );
      this.writes.push({ path, layerIndex: this.layerIndex, origin });
      children.set(key, { path, value: undefined, origin, overridden: chain(children.get(key)), deleted: true });
      return;
    }
    const content = directive === '$replace' ? (node as { entries: { value: SourceNode }[] }).entries[0].value : node;
    if (existing && !directive) {
      if (sameShape(existing, content) === false) {
        this.error(
          keyRange,
          DiagnosticCode.mergeTypeChange,
          `'${path.join('.')}' is ${shapeName(existing)} in ${describeOrigin(existing.origin)} but ` +
            `${shapeName(content)} here; this value replaces it.`,
          existing.origin,
        );
      } else if (content.type === 'array' && mergeStrategyAt(path) === 'union') {
        this.union(existing, content, origin);
        return;
      }
      if (
        existing.origin.kind === this.layer.kind &&
        existing.origin.file !== this.layer.file &&
        !sameValue(existing.value, literalValue(content))
      ) {
        this.conflicts.push({ path, earlier: existing.origin, later: origin });
      }
    }
    if (existing) this.writes.push({ path, layerIndex: this.layerIndex, origin });
    // The chain includes a deletion, so a key deleted and set again shows both.
    children.set(
      key,
      this.build(
        path,
        content,
        { ...origin, value: content.type === 'map' ? undefined : literalValue(content) },
        chain(children.get(key)),
      ),
    );
  }

  /** A fresh effective node for a value nothing below it merges with. */
  private build(path: string[], node: SourceNode, origin: Origin, overridden: Origin[]): EffectiveNode {
    if (node.type === 'map' && !isDirective(node)) {
      const map = this.newMap(path, origin, overridden);
      for (const entry of node.entries) this.apply(map, entry.key, entry.keyRange, entry.value);
      return map;
    }
    if (node.type === 'array') {
      const leaf: EffectiveNode = { path, value: [], origin, overridden, itemOrigins: [], contributors: [] };
      this.union(leaf, node, origin, mergeStrategyAt(path) === 'union');
      return leaf;
    }
    return { path, value: literalValue(node), origin, overridden };
  }

  private union(target: EffectiveNode, node: SourceNode & { type: 'array' }, origin: Origin, dedupe = true): void {
    const values = target.value as unknown[];
    const seen = new Set(values.map((v) => JSON.stringify(v)));
    // A list built fresh from this write is introduced by it; a later write into it contributes.
    if (target.origin !== origin) target.contributors?.push(origin);
    for (const item of node.items) {
      const value = literalValue(item);
      const identity = JSON.stringify(value);
      if (dedupe && seen.has(identity)) {
        this.reportDuplicate(target, value, item.range);
        continue;
      }
      seen.add(identity);
      values.push(value);
      target.itemOrigins!.push({ ...origin, keyRange: item.range, range: item.range, value });
    }
  }

  /** A list item already present (a permission rule written twice, say): kept once, and said so. */
  private reportDuplicate(target: EffectiveNode, value: unknown, range: Range): void {
    const identity = JSON.stringify(value);
    const index = (target.value as unknown[]).findIndex((existing) => JSON.stringify(existing) === identity);
    const first = target.itemOrigins?.[index];
    this.diagnostics.push({
      file: this.layer.file,
      range,
      severity: 'info',
      code: DiagnosticCode.mergeDuplicate,
      message: `${JSON.stringify(value)} is listed twice in '${target.path.join('.')}'; the written files hold it once.`,
      ...(first ? { related: [{ file: first.file, range: first.range, message: 'first listed here' }] } : {}),
    });
  }

  private newMap(path: string[], origin: Origin, overridden: Origin[]): EffectiveNode {
    return { path, value: undefined, origin, overridden, children: new Map(), contributors: [] };
  }

  private violatesLock(
    path: string[],
    existing: EffectiveNode | undefined,
    node: SourceNode,
    directive: string | undefined,
    origin: Origin,
  ): boolean {
    const lock =
      lockedAncestor(this.locks, path, this.layerIndex) ??
      (directive || node.type !== 'map' ? locksBelow(this.locks, path, this.layerIndex, existing, node) : undefined);
    if (!lock) return false;
    if (!directive && existing && !changes(existing, node, path)) return false;
    this.error(
      origin.keyRange,
      DiagnosticCode.policyLockedKey,
      `'${lock.path.join('.')}' is locked by ${describeOrigin(lock.origin)}; this layer cannot change it. Remove this override.`,
      lock.origin,
      { lockedPath: lock.path.join('.'), fix: 'removeOverride' },
    );
    return true;
  }

  private reportConflicts(): void {
    for (const conflict of this.conflicts) {
      const winner = nodeAt(this.root, conflict.path);
      // A higher layer that sets the value decides the question, so the conflict is settled.
      if (!winner || winner.origin.kind !== conflict.later.kind || winner.deleted) continue;
      const dotted = conflict.path.join('.');
      const decide = `set '${dotted}' in a higher layer (such as the project) to decide`;
      // Both files get the finding, each pointing at the other: either may be the one to change.
      const disagreement = (here: Origin, there: Origin): Diagnostic => ({
        file: here.file,
        range: here.keyRange,
        severity: 'error',
        code: DiagnosticCode.mergeConflict,
        message:
          `${here.label} and ${there.label} disagree on '${dotted}' (${JSON.stringify(here.value)} here, ` +
          `${JSON.stringify(there.value)} there); ${decide}.`,
        related: [
          { file: there.file, range: there.keyRange, message: `${there.label} sets ${JSON.stringify(there.value)}` },
        ],
      });
      this.diagnostics.push(
        disagreement(conflict.later, conflict.earlier),
        disagreement(conflict.earlier, conflict.later),
      );
    }
  }

  private error(
    range: Range,
    code: DiagnosticCodeValue,
    message: string,
    related?: Origin,
    data?: Record<string, unknown>,
  ): void {
    this.diagnostics.push({
      file: this.layer.file,
      range,
      severity: 'error',
      code,
      message,
      ...(related
        ? { related: [{ file: related.file, range: related.keyRange, message: `set in ${describeOrigin(related)}` }] }
        : {}),
      ...(data ? { data } : {}),
    });
  }

  private warn(range: Range, code: DiagnosticCodeValue, message: string): void {
    this.diagnostics.push({ file: this.layer.file, range, severity: 'warning', code, message });
  }
}

function zeroRange(): Range {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

function live(node: EffectiveNode | undefined): EffectiveNode | undefined {
  return node && !node.deleted ? node : undefined;
}

function chain(node: EffectiveNode | undefined): Origin[] {
  return node ? [node.origin, ...node.overridden] : [];
}

function sameShape(existing: EffectiveNode, node: SourceNode): boolean {
  const existingShape = existing.children
    ? 'map'
    : Array.isArray(existing.value)
      ? 'array'
      : existing.value === null
        ? 'null'
        : 'scalar';
  const nodeShape = node.type === 'scalar' && node.value === null ? 'null' : node.type;
  return existingShape === nodeShape || existingShape === 'null' || nodeShape === 'null';
}

function shapeName(value: EffectiveNode | SourceNode): string {
  if ('type' in value)
    return value.type === 'map' ? 'a map' : value.type === 'array' ? 'a list' : `a ${typeof value.value}`;
  return value.children ? 'a map' : Array.isArray(value.value) ? 'a list' : `a ${typeof value.value}`;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether writing `node` over `existing` changes the effective value (used for locked keys). */
function changes(existing: EffectiveNode, node: SourceNode, path: string[]): boolean {
  const written = literalValue(node);
  if (node.type === 'array' && Array.isArray(existing.value) && mergeStrategyAt(path) === 'union') {
    const present = new Set((existing.value as unknown[]).map((v) => JSON.stringify(v)));
    return (written as unknown[]).some((v) => !present.has(JSON.stringify(v)));
  }
  return !sameValue(materialize(existing), written);
}

/** The plain value of an effective node (deleted keys left out). */
export function materialize(node: EffectiveNode): unknown {
  if (!node.children) return node.value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of node.children) if (!child.deleted) setOwn(result, key, materialize(child));
  return result;
}

export function nodeAt(root: EffectiveNode, path: readonly string[]): EffectiveNode | undefined {
  let node: EffectiveNode | undefined = root;
  for (const segment of path) node = node?.children?.get(segment);
  return node;
}
