// "did you mean" candidates: Damerau-Levenshtein distance (optimal string alignment: a swap of two
// neighbouring letters costs 1, the most common typo), case-insensitive, plus prefix and substring matches
// (`ack` → `acks`, `timeout` → `session_timeout_ms`).

/** Optimal-string-alignment distance between a and b. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

/**
 * Up to `max` candidates close to `word`, best first. A candidate qualifies when its distance is at most
 * a third of the longer word (at least 1), or when one word starts with the other (min. 3 letters).
 */
export function didYouMean(word: string, candidates: Iterable<string>, max = 4): string[] {
  const needle = word.toLowerCase();
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of new Set(candidates)) {
    if (candidate === word) continue;
    const hay = candidate.toLowerCase();
    const distance = editDistance(needle, hay);
    const limit = Math.max(1, Math.floor(Math.max(needle.length, hay.length) / 3));
    const prefix = needle.length >= 3 && (hay.startsWith(needle) || needle.startsWith(hay));
    const contained = needle.length >= 4 && hay.includes(needle);
    if (distance <= limit) scored.push({ candidate, score: distance });
    else if (prefix) scored.push({ candidate, score: limit + 0.5 });
    else if (contained) scored.push({ candidate, score: limit + 0.75 });
  }
  scored.sort((x, y) => x.score - y.score || (x.candidate < y.candidate ? -1 : x.candidate > y.candidate ? 1 : 0));
  return scored.slice(0, max).map((entry) => entry.candidate);
}
