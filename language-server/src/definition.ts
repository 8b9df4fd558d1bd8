/**
 * Go to definition. On a key: the place that sets the effective value (when this file wins, the values it
 * overrides instead, so the jump is never a no-op). On the project's `source.path`: the org's base layer. On a
 * `teams` entry: that team's layer file. On a `policy.locked` item or a server named in `policy.servers`: the
 * place that sets what it names.
 */
import { basename } from 'node:path';
import type { DefinitionParams, Location } from 'vscode-languageserver/node';
import type { Origin, ParsedLayer } from '@claude-env/engine';
import { explainPath, locate } from '@claude-env/engine';
import { pathToUri } from './documents';
import { layerDocument, type FeatureContext } from './featureContext';
import { effectiveAt, isPolicyPath, lockedOrServerPath } from './paths';

const FILE_START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export async function definition(context: FeatureContext, params: DefinitionParams): Promise<Location[] | null> {
  const target = await layerDocument(context, params.textDocument.uri);
  if (!target?.model) return null;
  const located = locate(target.layer, params.position);
  if (!located || located.path.length === 0) return null;
  const path = located.path;
  const layers = target.model.env.stack.layers;

  if (target.layer.kind === 'project' && path[0] === 'source') {
    const base = layers.find((layer) => layer.kind === 'base');
    return base ? fileLocation(base) : null;
  }
  if (target.layer.kind === 'project' && path[0] === 'teams' && path.length === 2 && located.node.type === 'scalar') {
    const team = findTeamLayer(layers, String(located.node.value));
    return team ? fileLocation(team) : null;
  }

  if (isPolicyPath(path) && located.node.type === 'scalar' && typeof located.node.value === 'string') {
    const named = lockedOrServerPath(path, located.node.value);
    const node = named ? explainPath(target.model.env, named) : undefined;
    return node ? originLocations([node.origin]) : null;
  }

  const found = effectiveAt(target.model.env.tree, path, located.node);
  if (!found) return null;
  if (found.item) return originLocations([found.item.origin]);
  const { origin, overridden } = found.node;
  const isHere =
    origin.file === target.file &&
    sameLine(origin, located.entry?.keyRange.start.line ?? located.node.range.start.line);
  return originLocations(isHere ? overridden : [origin]);
}

function findTeamLayer(layers: readonly ParsedLayer[], name: string): ParsedLayer | undefined {
  return layers.find((layer) => layer.kind === 'team' && basename(layer.file).replace(/\.(ya?ml|json)$/i, '') === name);
}

function fileLocation(layer: ParsedLayer): Location[] | null {
  const uri = pathToUri(layer.file);
  return uri ? [{ uri, range: FILE_START }] : null;
}

function originLocations(origins: readonly Origin[]): Location[] | null {
  const locations: Location[] = [];
  for (const origin of origins) {
    const uri = pathToUri(origin.file);
    if (uri) locations.push({ uri, range: origin.keyRange });
  }
  return locations.length > 0 ? locations : null;
}

function sameLine(origin: Origin, line: number): boolean {
  return origin.keyRange.start.line === line;
}
