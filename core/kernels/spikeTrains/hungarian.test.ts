import { beforeAll, describe, expect, it } from 'vitest';
import { linearSumAssignment } from './hungarian';
import { runOracle } from '../../../test/oracles/runOracle';
import { seededRandom } from './testing/sortings';

/** Minimum total over all assignments of min(r, c) pairs, by brute force. */
function bruteForceMin(cost: Float64Array, rows: number, cols: number): number {
  const t = rows <= cols;
  const [n, m] = t ? [rows, cols] : [cols, rows];
  const a = (i: number, j: number) => (t ? cost[i * cols + j] : cost[j * cols + i]);
  let best = Infinity;
  const used = new Array<boolean>(m).fill(false);
  const go = (i: number, sum: number) => {
    if (i === n) { best = Math.min(best, sum); return; }
    for (let j = 0; j < m; j++) if (!used[j]) { used[j] = true; go(i + 1, sum + a(i, j)); used[j] = false; }
  };
  go(0, 0);
  return best;
}

const total = (cost: Float64Array, cols: number, r: { rowInd: Int32Array; colInd: Int32Array }) =>
  Array.from(r.rowInd).reduce((s, i, k) => s + cost[i * cols + r.colInd[k]], 0);

describe('linearSumAssignment', () => {
  it('solves a hand case (scipy docs example)', () => {
    const r = linearSumAssignment(Float64Array.from([4, 1, 3, 2, 0, 5, 3, 2, 2]), 3, 3);
    expect(Array.from(r.rowInd)).toEqual([0, 1, 2]);
    expect(Array.from(r.colInd)).toEqual([1, 0, 2]);
  });

  it('handles empty and rectangular matrices, using each row and column at most once', () => {
    expect(linearSumAssignment(new Float64Array(0), 0, 4).rowInd.length).toBe(0);
    const r = linearSumAssignment(Float64Array.from([5, 1, 9, 2, 8, 7]), 3, 2); // 3 rows, 2 cols
    expect(r.rowInd.length).toBe(2);
    expect(new Set(r.colInd).size).toBe(2);
    expect(total(Float64Array.from([5, 1, 9, 2, 8, 7]), 2, r)).toBe(7); // 5 + 2
  });

  it('finds the optimum of 300 random small matrices (brute force)', () => {
    const rng = seededRandom(51);
    for (let t = 0; t < 300; t++) {
      const rows = 1 + Math.floor(rng() * 6);
      const cols = 1 + Math.floor(rng() * 6);
      // Few distinct values: many ties, the hard case for an assignment solver.
      const cost = Float64Array.from({ length: rows * cols }, () => (t % 2 ? Math.floor(rng() * 4) : rng()) - 2);
      const r = linearSumAssignment(cost, rows, cols);
      expect(r.rowInd.length).toBe(Math.min(rows, cols));
      expect(new Set(r.rowInd).size).toBe(r.rowInd.length);
      expect(new Set(r.colInd).size).toBe(r.colInd.length);
      expect(total(cost, cols, r)).toBeCloseTo(bruteForceMin(cost, rows, cols), 9);
    }
  });
});

describe('parity with scipy.optimize.linear_sum_assignment', () => {
  const rng = seededRandom(52);
  const shapes: [number, number][] = [[30, 40], [40, 30], [25, 25], [1, 12], [60, 55]];
  const mats = shapes.map(([r, c]) => ({ rows: r, cols: c, scores: Float64Array.from({ length: r * c }, () => (rng() < 0.7 ? 0 : rng())) }));
  // Many exact ties (scores from a small set): the assignment itself must match scipy's choice.
  const tied = Array.from({ length: 40 }, (_, t) => {
    const rows = 1 + Math.floor(rng() * 8);
    const cols = 1 + Math.floor(rng() * 8);
    return { rows, cols, scores: Float64Array.from({ length: rows * cols }, () => [0, 0, 0.5, 0.5, 0.75, 1][Math.floor(rng() * 6)] * (t % 3 ? 1 : 0.3)) };
  });
  let results: { total: number; rows: number[]; cols: number[] }[] = [];
  beforeAll(() => {
    results = runOracle('spike_trains', [...mats, ...tied].map((m) => ({ op: 'lsa', rows: m.rows, cols: m.cols, scores: m.scores })));
  });

  it('breaks exact ties the way scipy does (40 small matrices with repeated scores)', () => {
    tied.forEach((m, k) => {
      const r = linearSumAssignment(m.scores.map((x) => -x), m.rows, m.cols);
      const o = results[mats.length + k];
      expect([Array.from(r.rowInd), Array.from(r.colInd)]).toEqual([o.rows, o.cols]);
    });
  });
  mats.forEach((m, k) => {
    it(`maximizes a sparse ${m.rows} x ${m.cols} score matrix like scipy`, () => {
      const cost = m.scores.map((x) => -x);
      const r = linearSumAssignment(cost, m.rows, m.cols);
      expect(-total(cost, m.cols, r)).toBeCloseTo(results[k].total, 9);
      // Pairs with a positive score are unique optima here (random reals); zero-score pairs may differ.
      const positive = (rows: ArrayLike<number>, cols: ArrayLike<number>) =>
        Array.from(rows).map((i, x) => [i, cols[x]]).filter(([i, j]) => m.scores[i * m.cols + j] > 0);
      expect(positive(r.rowInd, r.colInd)).toEqual(positive(results[k].rows, results[k].cols));
    });
  });
});
