import { mergeStack, parseLayer, type EffectiveEnvironment, type LayerKind, type LayerStack } from '@claude-env/engine';

/** One layer for an in-memory stack: its kind, text and (optional) label/file. */
export interface LayerSpec {
  kind: LayerKind;
  text: string;
  label?: string;
  file?: string;
}

/** Parses and merges layers given lowest priority first, without touching the disk. */
export function mergeTexts(specs: LayerSpec[]): EffectiveEnvironment {
  const layers = specs.map((spec, i) => {
    const label = spec.label ?? spec.kind;
    const file = spec.file ?? `/org/${label.replace(/\s+/g, '-')}-${i}.yaml`;
    return parseLayer(file, spec.text, spec.kind, label);
  });
  const stack: LayerStack = { workspace: '/ws', layers, diagnostics: [] };
  return mergeStack(stack);
}
