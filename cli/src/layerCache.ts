import { statSync } from 'node:fs';
import { loadEnvironment, type EffectiveEnvironment } from '@claude-env/engine';

/** How long a loaded stack serves new sessions of the same workspace while its files are unchanged. */
export const LAYER_CACHE_MS = 2_000;

interface Entry {
  environment: EffectiveEnvironment;
  loadedAt: number;
  stamps: string;
}

/**
 * The daemon's layer loads: a burst of sessions for one workspace (a client opening every server at once, ten
 * Claude Code sessions starting) loads and validates the layers once. A stack is reused for `LAYER_CACHE_MS`
 * and only while each of its files has the size and modification time it had when loaded, so an edit is seen by
 * the next session; a layer file created within that window is seen once it has passed.
 */
export class LayerCache {
  private readonly entries = new Map<string, Entry>();
  loads = 0;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly ttlMs = LAYER_CACHE_MS,
  ) {}

  load(workspace: string): EffectiveEnvironment {
    const now = Date.now();
    const cached = this.entries.get(workspace);
    if (cached && now - cached.loadedAt < this.ttlMs && stampsOf(cached.environment) === cached.stamps)
      return cached.environment;
    this.loads++;
    const environment = loadEnvironment(workspace, { env: this.env });
    for (const [key, entry] of this.entries) if (now - entry.loadedAt >= this.ttlMs) this.entries.delete(key);
    this.entries.set(workspace, { environment, loadedAt: now, stamps: stampsOf(environment) });
    return environment;
  }
}

/** Size and modification time of every layer file of the stack, as one string. */
function stampsOf(environment: EffectiveEnvironment): string {
  return environment.stack.layers
    .filter((layer) => !layer.file.startsWith('env:'))
    .map((layer) => {
      try {
        const info = statSync(layer.file);
        return `${layer.file}:${info.size}:${info.mtimeMs}`;
      } catch {
        return `${layer.file}:gone`;
      }
    })
    .join('\n');
}
