/**
 * Minimum-cost rectangular assignment (the Hungarian / Kuhn–Munkres method with potentials,
 * O(n² m)), standing in for `scipy.optimize.linear_sum_assignment`: min(rows, cols) pairs, each row
 * and column used at most once, total cost minimal. When several assignments share the optimal
 * total, the one returned may differ from scipy's (the total never does).
 */

export interface Assignment {
  /** Row indices, increasing (as scipy returns them). */
  rowInd: Int32Array;
  colInd: Int32Array;
}

/** `cost` is row-major [rows][cols]; entries must be finite. */
export function linearSumAssignment(cost: Float64Array, rows: number, cols: number): Assignment {
  if (cost.length !== rows * cols) throw new Error(`linearSumAssignment: ${cost.length} costs for a ${rows} x ${cols} matrix`);
  for (let i = 0; i < cost.length; i++) if (!Number.isFinite(cost[i])) throw new Error(`linearSumAssignment: cost[${i}] is ${cost[i]}; costs must be finite`);
  if (rows === 0 || cols === 0) return { rowInd: new Int32Array(0), colInd: new Int32Array(0) };
  // The method below needs n <= m; solve the transpose otherwise and swap back.
  const transposed = rows > cols;
  const n = transposed ? cols : rows;
  const m = transposed ? rows : cols;
  const a = (i: number, j: number) => (transposed ? cost[j * cols + i] : cost[i * cols + j]);

  // 1-based arrays as in the classic formulation; index 0 is the virtual start column.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j]: row matched to column j (0 = none)
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = a(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
        if (minv[j] < delta) { delta = minv[j]; j1 = j; }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) { u[p[j]] += delta; v[j] -= delta; } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do { // augment along the alternating path
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }

  const pairs: [number, number][] = [];
  for (let j = 1; j <= m; j++) if (p[j] !== 0) pairs.push(transposed ? [j - 1, p[j] - 1] : [p[j] - 1, j - 1]);
  pairs.sort((x, y) => x[0] - y[0]);
  return { rowInd: Int32Array.from(pairs, (q) => q[0]), colInd: Int32Array.from(pairs, (q) => q[1]) };
}
