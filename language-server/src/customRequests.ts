/**
 * The `claudeEnv/` requests (see ../protocol.ts): the effective environment with provenance, the explanation
 * of one path, the layer stack with each file's state, and the list of workspaces. Every value in them passes
 * `maskIfSecretLike`, as hovers do: the client shows them in views and documents.
 */
import type { EffectiveNode, Origin, ServerDefinition } from '@claude-env/engine';
import { explainPath, setOwn } from '@claude-env/engine';
import type {
  EffectiveEnvironmentResult,
  EffectiveNodeJson,
  ExplainParams,
  ExplainResult,
  LayerInfo,
  LayerStackResult,
  OriginJson,
  ServerJson,
  WorkspaceParams,
  WorkspacesResult,
} from '@claude-env/protocol';
import { explainNode } from './describe';
import { countProblems } from './diagnostics';
import { pathToUri, uriToPath } from './documents';
import { maskIfSecretLike } from './secretMask';
import type { FeatureContext } from './featureContext';
import type { WorkspaceModel } from './workspaceModel';

async function workspaceOf(context: FeatureContext, uri: string): Promise<WorkspaceModel | undefined> {
  const path = uriToPath(uri);
  if (!path) return undefined;
  await context.flushPending();
  const model = context.registry.primaryFor(path);
  if (model) await model.ready();
  return model;
}

export async function effectiveEnvironment(
  context: FeatureContext,
  params: WorkspaceParams,
): Promise<EffectiveEnvironmentResult | null> {
  const model = await workspaceOf(context, params.uri);
  if (!model) return null;
  const env = model.env;
  const servers: ServerJson[] = env.servers.map(serverJson);
  return {
    workspace: model.folder,
    value: maskIfSecretLike([], env.value) as EffectiveEnvironmentResult['value'],
    tree: nodeJson(env.tree),
    servers,
    problems: countProblems(model.allDiagnostics()),
  };
}

export async function explain(context: FeatureContext, params: ExplainParams): Promise<ExplainResult | null> {
  const model = await workspaceOf(context, params.uri);
  if (!model) return null;
  const node = explainPath(model.env, params.path);
  if (!node) {
    return {
      workspace: model.folder,
      path: params.path,
      found: false,
      text: `${params.path} is not set by any layer.`,
    };
  }
  return {
    workspace: model.folder,
    path: params.path,
    found: true,
    node: nodeJson(node),
    text: explainNode(node, model.folder),
  };
}

export async function layerStack(context: FeatureContext, params: WorkspaceParams): Promise<LayerStackResult | null> {
  const model = await workspaceOf(context, params.uri);
  if (!model) return null;
  const all = model.allDiagnostics();
  const layers: LayerInfo[] = model.env.stack.layers.map((layer) => {
    const problems = countProblems(all.filter((diagnostic) => diagnostic.file === layer.file));
    return {
      kind: layer.kind,
      label: layer.label,
      file: layer.file,
      ...optionalUri(layer.file),
      state: layerState(
        layer.root === undefined && layer.text === '' && !context.documents.isOpen(layer.file),
        problems.errors,
        problems.warnings,
      ),
      openInEditor: context.documents.isOpen(layer.file),
      problems,
      ...(layer.gitSource ? { gitSource: { ...layer.gitSource } } : {}),
    };
  });
  return { workspace: model.folder, layers, problems: countProblems(all) };
}

export async function workspaces(context: FeatureContext): Promise<WorkspacesResult> {
  await context.flushPending();
  const result: WorkspacesResult = { workspaces: [] };
  for (const model of context.registry.all()) {
    await model.ready();
    result.workspaces.push({
      workspace: model.folder,
      uri: pathToUri(model.folder) ?? '',
      problems: countProblems(model.allDiagnostics()),
    });
  }
  return result;
}

function layerState(missing: boolean, errors: number, warnings: number): LayerInfo['state'] {
  if (missing) return 'missing';
  if (errors > 0) return 'invalid';
  return warnings > 0 ? 'problems' : 'ok';
}

function optionalUri(file: string): { uri?: string } {
  const uri = pathToUri(file);
  return uri ? { uri } : {};
}

/** A server definition with its launch fields masked (references stay as written). */
function serverJson(server: ServerDefinition): ServerJson {
  const path = ['mcpServers', server.name];
  const json: ServerJson = {
    ...server,
    supervision: { ...server.supervision },
    origin: originJson(server.origin, path),
  };
  for (const field of ['command', 'args', 'env', 'url', 'headers', 'cwd'] as const) {
    if (server[field] !== undefined)
      Object.assign(json, { [field]: maskIfSecretLike([...path, field], server[field]) });
  }
  return json;
}

/** Serialises an origin, the value written at `path` (references as written, literal credentials masked). */
export function originJson(origin: Origin, path: readonly (string | number)[]): OriginJson {
  return {
    kind: origin.kind,
    label: origin.label,
    file: origin.file,
    ...optionalUri(origin.file),
    keyRange: origin.keyRange,
    range: origin.range,
    value: maskIfSecretLike(path, origin.value),
  };
}

/** Serialises a provenance node, turning `children` maps into objects in output order. */
export function nodeJson(node: EffectiveNode): EffectiveNodeJson {
  const at = (origin: Origin) => originJson(origin, node.path);
  const json: EffectiveNodeJson = {
    path: node.path,
    value: maskIfSecretLike(node.path, node.value),
    origin: at(node.origin),
    overridden: node.overridden.map(at),
  };
  if (node.children) {
    const children: Record<string, EffectiveNodeJson> = {};
    for (const [key, child] of node.children) setOwn(children, key, nodeJson(child));
    json.children = children;
  }
  if (node.itemOrigins) json.itemOrigins = node.itemOrigins.map(at);
  if (node.contributors && node.contributors.length > 0) json.contributors = node.contributors.map(at);
  if (node.deleted) json.deleted = true;
  return json;
}
