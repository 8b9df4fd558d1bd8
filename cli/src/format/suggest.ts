/** Edit distance between two strings (insert, delete, substitute), for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] as number;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] as number;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      previous[j] = Math.min(above + 1, (previous[j - 1] as number) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length] as number;
}

/**
 * Candidates close to `wanted`, best first: those within a typo's distance, then those that contain it
 * (case-insensitive), at most `limit`.
 */
export function closeMatches(wanted: string, candidates: Iterable<string>, limit = 5): string[] {
  const lower = wanted.toLowerCase();
  const threshold = Math.max(2, Math.floor(wanted.length / 3));
  const scored: [string, number][] = [];
  for (const candidate of new Set(candidates)) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= threshold) scored.push([candidate, distance]);
    else if (lower.length >= 3 && candidate.toLowerCase().includes(lower)) scored.push([candidate, threshold + 1]);
  }
  scored.sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));
  return scored.slice(0, limit).map(([candidate]) => candidate);
}
