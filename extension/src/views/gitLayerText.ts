/** How the Layers view describes an org layer from a git source (no VS Code here, so it is tested on its own). */
import type { SourceStatus } from '@claude-env/engine';
import type { LayerInfo } from '@claude-env/protocol';

/**
 * `1a2b3c4d5e6f main`, then what the last check found for that locked commit: `, 2 behind`, `, up to date` or
 * `, history rewritten`. Undefined for a layer that is not from a git source.
 */
export function gitLayerText(layer: LayerInfo, status: SourceStatus | undefined): string | undefined {
  const source = layer.gitSource;
  if (!source) return undefined;
  const text = `${source.commit.slice(0, 12)} ${source.ref}`;
  // A check made before the lock moved says nothing about the commit the layer is read from now.
  if (!status || status.locked !== source.commit || status.tip === undefined) return text;
  if (status.rewritten) return `${text}, history rewritten`;
  return status.behind > 0 ? `${text}, ${status.behind} behind` : `${text}, up to date`;
}
