import { describe, expect, it } from 'vitest';
import { suggestPairs } from './suggest';

describe('suggestPairs', () => {
  const units = [3, 5, 9];
  const sim = [
    1, 0.95, 0.4,
    0.95, 1, 0.8,
    0.4, 0.8, 1,
  ];
  it('lists each pair once at or above the threshold, most similar first, and the best pair of all', () => {
    expect(suggestPairs(units, sim, 0.9)).toEqual({ pairs: [{ a: 3, b: 5, similarity: 0.95 }], best: { a: 3, b: 5, similarity: 0.95 }, count: 1 });
    expect(suggestPairs(units, sim, 0.8).pairs.map((p) => [p.a, p.b])).toEqual([[3, 5], [5, 9]]);
    expect(suggestPairs(units, sim, 0.99)).toMatchObject({ pairs: [], count: 0, best: { a: 3, b: 5 } });
  });

  it('caps the list but counts every pair, and skips NaN (a unit without spikes)', () => {
    const r = suggestPairs(units, sim, 0, 2);
    expect(r.pairs).toHaveLength(2);
    expect(r.count).toBe(3);
    expect(suggestPairs([1, 2], [1, NaN, NaN, 1], 0)).toEqual({ pairs: [], best: null, count: 0 });
  });
});
