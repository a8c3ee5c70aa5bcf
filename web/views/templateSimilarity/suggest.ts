/**
 * Merge suggestions from the template similarity matrix at the threshold the user chose (the task
 * computes the matrix once; moving the threshold costs no task). Pure.
 */
export interface SuggestedPair { a: number; b: number; similarity: number }

/** `units[i]` is row/column i of the K×K `sim`. Pairs at or above `threshold`, most similar first (at most `limit`), and the most similar pair of all. */
export function suggestPairs(units: readonly number[], sim: ArrayLike<number>, threshold: number, limit = 100): { pairs: SuggestedPair[]; best: SuggestedPair | null; count: number } {
  const K = units.length;
  const pairs: SuggestedPair[] = [];
  let best: SuggestedPair | null = null;
  for (let i = 0; i < K; i++) {
    for (let j = i + 1; j < K; j++) {
      const s = sim[i * K + j];
      if (!Number.isFinite(s)) continue;
      if (!best || s > best.similarity) best = { a: units[i], b: units[j], similarity: s };
      if (s >= threshold) pairs.push({ a: units[i], b: units[j], similarity: s });
    }
  }
  pairs.sort((x, y) => y.similarity - x.similarity || x.a - y.a || x.b - y.b);
  return { pairs: pairs.slice(0, limit), best, count: pairs.length };
}
