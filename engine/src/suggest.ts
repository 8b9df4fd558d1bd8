/**
 * "Did you mean" suggestions, one rule for every part (schema findings, unknown commands, server names, paths):
 *
 * 1. Typos first: a candidate whose case-insensitive edit distance to the word (an insertion, deletion,
 *    substitution, or swap of two neighbours each count one) is at most {@link typoLimit}, fewest edits first.
 * 2. Then, for words of three characters or more, candidates that contain the word (`model` finds
 *    `settings.model`).
 *
 * Ties go in alphabetical order, and the word itself is never suggested back.
 */

/** Edits allowed for a typo: one for words under six characters, two from six on. */
export function typoLimit(word: string): number {
  return word.length < 6 ? 1 : 2;
}

/** Candidates close to `word` by the rule above, best first, at most `limit`. */
export function closeMatches(word: string, candidates: Iterable<string>, limit = 5): string[] {
  const lower = word.toLowerCase();
  const allowed = typoLimit(word);
  const scored: [string, number][] = [];
  for (const candidate of new Set(candidates)) {
    if (candidate === word) continue;
    const distance = editDistance(lower, candidate.toLowerCase(), allowed);
    if (distance <= allowed) scored.push([candidate, distance]);
    else if (lower.length >= 3 && candidate.toLowerCase().includes(lower)) scored.push([candidate, allowed + 1]);
  }
  scored.sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));
  return scored.slice(0, limit).map(([candidate]) => candidate);
}

/** The one best suggestion for `word`, or undefined when nothing is close. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  return closeMatches(word, candidates, 1)[0];
}

/** Optimal string alignment distance; anything beyond `cap` is only known to be more than `cap`. */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  let beforePrevious = previous;
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      // A swap of two neighbours is one typo, not two.
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        current[j] = Math.min(current[j], beforePrevious[j - 2] + 1);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length];
}
