/** Terminal styling that switches itself off when the output is not a terminal or the user asked for no colour. */
export interface Palette {
  enabled: boolean;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

/**
 * Colour only on a TTY, never when NO_COLOR is set (https://no-color.org) or TERM is `dumb`; FORCE_COLOR turns it
 * on for tools that capture output but render ANSI.
 */
export function colourWanted(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTTY && env.TERM !== 'dumb';
}

/**
 * The palette's own sequences (the SGR codes `createPalette` opens and closes with); the output sink lets exactly
 * these through. A repository's text can hold them too, but at worst it changes a colour: everything else it
 * holds (OSC, cursor moves, other SGR such as conceal) is escaped by the sink.
 */
export const PALETTE_SEQUENCE = /\u001b\[(?:1|2|22|31|32|33|36|39)m/g;

export function createPalette(enabled: boolean): Palette {
  const wrap = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    enabled,
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    green: wrap(32, 39),
    cyan: wrap(36, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}
