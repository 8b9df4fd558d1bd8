/**
 * One claude-env workspace as the server sees it: its layer stack, the merged environment with provenance,
 * and every diagnostic of the stack grouped by file.
 *
 * Re-running discovery on each keystroke would re-read and re-parse every layer, so a change to a file already
 * in the stack only re-parses that file (cached per text) and re-merges. Discovery runs again only when the
 * change can alter the stack's shape: the project file (it names `source` and `teams`) or a file that is not in
 * the stack yet (a `local.yaml` being created).
 */
import type { Diagnostic, EffectiveEnvironment, FileReader, LayerStack, ParsedLayer } from '@claude-env/engine';
import { discoverStack, mergeStack, parseLayer, DiagnosticCode } from '@claude-env/engine';
import { checkSecrets, type SecretProvider } from '@claude-env/engine';
import { IncrementalLayerParser } from './incrementalParse';
import { runWorkspaceRules, type WorkspaceRule } from './rules';

/** What a model needs from the server: a reader that prefers open buffers, the rules, the secret source. */
export interface WorkspaceModelDeps {
  reader: FileReader;
  rules: readonly WorkspaceRule[];
  /** Where `${secret:…}` references are looked up to report unresolved ones (values are never kept). */
  secrets: SecretProvider;
  /** Secret names the editor holds in its own store; references to them are not unresolved. */
  clientSecretNames: () => ReadonlySet<string>;
  /** Folder of the user layer when the client overrides it. */
  userConfigDir?: string;
}

/** Files smaller than this parse whole in a few milliseconds: no need to prepare their chunks. */
const WARM_MIN_CHARS = 20_000;

const LIMIT_CODES = new Set<string>([
  DiagnosticCode.syntaxTooLarge,
  DiagnosticCode.syntaxTooDeep,
  DiagnosticCode.syntaxTooManyNodes,
  DiagnosticCode.syntaxAliasLimit,
]);

/** A parsed layer remembered with the exact text it came from. */
interface CachedParse {
  text: string;
  layer: ParsedLayer;
}

export class WorkspaceModel {
  private stack: LayerStack | undefined;
  private current: EffectiveEnvironment | undefined;
  private byFile = new Map<string, Diagnostic[]>();
  private readonly parses = new Map<string, CachedParse>();
  /** Per file: re-parses only the chunks an edit touched. */
  private readonly parsers = new Map<string, IncrementalLayerParser>();
  /** Refreshes run one after the other: secret checks are asynchronous and must not interleave. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly folder: string,
    private readonly deps: WorkspaceModelDeps,
  ) {}

  /** The merged environment once computed (see {@link ready}). */
  get env(): EffectiveEnvironment {
    if (!this.current) throw new Error(`The environment of ${this.folder} is not computed yet.`);
    return this.current;
  }

  /** The merged environment, computing it first if nothing has yet and waiting for refreshes under way. */
  async ready(): Promise<EffectiveEnvironment> {
    if (!this.current) await this.refresh(undefined);
    await this.queue;
    return this.env;
  }

  /** Layer files of the stack (absolute paths, `env:` excluded). */
  files(): string[] {
    return (this.current?.stack.layers ?? []).map((layer) => layer.file).filter((file) => !file.startsWith('env:'));
  }

  includes(file: string): boolean {
    return (this.current?.stack.layers ?? []).some((layer) => layer.file === file);
  }

  layerOf(file: string): ParsedLayer | undefined {
    return this.current?.stack.layers.find((layer) => layer.file === file);
  }

  /** Diagnostics of one file in this workspace's context (empty until computed). */
  diagnosticsFor(file: string): Diagnostic[] {
    return this.byFile.get(file) ?? [];
  }

  /** Every diagnostic of the stack, the server's rules included. */
  allDiagnostics(): Diagnostic[] {
    return [...this.byFile.values()].flat();
  }

  /** Every file that has diagnostics or belongs to the stack. */
  reportedFiles(): string[] {
    return [...new Set([...this.files(), ...this.byFile.keys()])].filter((file) => !file.startsWith('env:'));
  }

  /**
   * Recomputes after `changed` files changed (undefined: everything may have changed). Returns the files whose
   * diagnostics must be published again: the old stack's and the new stack's files, since a lock in one file
   * produces errors in another.
   */
  refresh(changed: ReadonlySet<string> | undefined): Promise<string[]> {
    const run = this.queue.then(() => this.recompute(changed));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async recompute(changed: ReadonlySet<string> | undefined): Promise<string[]> {
    const before = this.reportedFiles();
    if (!this.stack || !changed || this.needsDiscovery(changed)) {
      this.stack = discoverStack(this.folder, {
        reader: this.deps.reader,
        // Discovery re-reads every layer; a file whose text did not change keeps its parse.
        parse: (file, text, kind, label) => {
          const cached = this.parses.get(file);
          return cached && cached.text === text && cached.layer.kind === kind && cached.layer.label === label
            ? cached.layer
            : parseLayer(file, text, kind, label);
        },
        ...(this.deps.userConfigDir ? { userConfigDir: this.deps.userConfigDir } : {}),
      });
      // Files that left the stack are forgotten, so that what is kept is bounded by the stack itself.
      this.parses.clear();
      for (const layer of this.stack.layers) this.parses.set(layer.file, { text: layer.text, layer });
      for (const file of this.parsers.keys()) if (!this.parses.has(file)) this.parsers.delete(file);
    } else {
      this.stack = { ...this.stack, layers: this.stack.layers.map((layer) => this.reparse(layer, changed)) };
    }
    const env = mergeStack(this.stack);
    const secretFindings = await checkSecrets(env, { workspace: this.folder, secrets: this.deps.secrets });
    this.current = env;
    const clientSecrets = this.deps.clientSecretNames();
    const secretDiagnostics = secretFindings.filter((diagnostic) => !heldByClient(diagnostic, clientSecrets));
    this.byFile = groupByFile([...env.diagnostics, ...secretDiagnostics, ...runWorkspaceRules(this.deps.rules, env)]);
    return [...new Set([...before, ...this.reportedFiles()])];
  }

  /**
   * Prepares the chunk cache of an opened file, so that the first keystroke in a large file costs one chunk
   * rather than a parse of every chunk. Runs when the editor is idle after opening; the result is the same
   * layer, so nothing needs re-validating.
   */
  warm(file: string): void {
    const layer = this.layerOf(file);
    if (!layer || this.parsers.has(file) || layer.text.length < WARM_MIN_CHARS) return;
    // A file refused by a size or depth limit is parsed whole on every change: chunks would be kept for nothing.
    if (layer.root === undefined || exceedsLimits(layer)) return;
    const parser = new IncrementalLayerParser();
    this.parsers.set(file, parser);
    parser.parse(file, layer.text, layer.kind, layer.label);
  }

  /**
   * Forgets what was kept to re-parse an open buffer quickly (its chunk cache): the buffer was closed, and the
   * file on disk is parsed whole when it changes. The stack's own parse of the file stays while it is in the stack.
   */
  forget(file: string): void {
    this.parsers.delete(file);
  }

  private needsDiscovery(changed: ReadonlySet<string>): boolean {
    const layers = this.stack?.layers ?? [];
    for (const file of changed) {
      const layer = layers.find((candidate) => candidate.file === file);
      if (!layer || layer.kind === 'project') return true;
      // A file that vanished (deleted on disk, buffer closed without a file) changes the stack too.
      // One that can no longer be read (now a FIFO, a folder, too large) too: discovery reports it at the file.
      try {
        if (this.deps.reader.read(file) === undefined) return true;
      } catch {
        return true;
      }
    }
    return false;
  }

  private reparse(layer: ParsedLayer, changed: ReadonlySet<string>): ParsedLayer {
    if (!changed.has(layer.file)) return layer;
    const text = this.deps.reader.read(layer.file) ?? '';
    const cached = this.parses.get(layer.file);
    if (cached && cached.text === text) return cached.layer;
    let parser = this.parsers.get(layer.file);
    if (!parser) {
      parser = new IncrementalLayerParser();
      this.parsers.set(layer.file, parser);
    }
    const parsed = parser.parse(layer.file, text, layer.kind, layer.label);
    // A version refused by a limit leaves nothing worth keeping for the next keystroke.
    if (parsed.root === undefined || exceedsLimits(parsed)) this.parsers.delete(layer.file);
    this.parses.set(layer.file, { text, layer: parsed });
    return parsed;
  }
}

/** Whether a layer was refused (in full or in part) by a size, depth or node limit. */
function exceedsLimits(layer: ParsedLayer): boolean {
  return layer.diagnostics.some((diagnostic) => LIMIT_CODES.has(diagnostic.code));
}

/** An unresolved `${secret:name}` that the editor's secret store provides. */
function heldByClient(diagnostic: Diagnostic, names: ReadonlySet<string>): boolean {
  if (diagnostic.code !== DiagnosticCode.secretUnresolved || names.size === 0) return false;
  const reference = diagnostic.data?.reference;
  const match = typeof reference === 'string' ? /^\$\{secret:([^}]+)\}$/.exec(reference) : null;
  return match !== null && names.has(match[1]);
}

function groupByFile(diagnostics: readonly Diagnostic[]): Map<string, Diagnostic[]> {
  const byFile = new Map<string, Diagnostic[]>();
  for (const diagnostic of diagnostics) {
    const list = byFile.get(diagnostic.file);
    if (list) list.push(diagnostic);
    else byFile.set(diagnostic.file, [diagnostic]);
  }
  return byFile;
}
