/**
 * Minimum-cost rectangular assignment, standing in for `scipy.optimize.linear_sum_assignment`
 * (what spikecomparison's `make_hungarian_match` calls): min(rows, cols) pairs, each row and column
 * used at most once, total cost minimal.
 *
 * Method: the shortest-augmenting-path form of the Hungarian algorithm with dual potentials
 * (Jonker–Volgenant; D. F. Crouse, "On implementing 2D rectangular assignment algorithms", IEEE
 * TAES 2016), the same method scipy has used since 1.4 (2019). We follow its scan order so exact
 * ties resolve as scipy resolves them: columns are scanned from the last to the first, and on an
 * equal path cost an unassigned column wins. Ties do happen here: splitting a unit into two
 * halves gives both halves the same agreement score. O(n² m) for n = min(rows, cols).
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
  // The solver assigns every row, so it needs nr <= nc: solve the transpose otherwise (as scipy does).
  const transposed = rows > cols;
  const nr = transposed ? cols : rows;
  const nc = transposed ? rows : cols;
  const c = transposed ? Float64Array.from({ length: nr * nc }, (_, k) => cost[(k % nc) * cols + Math.floor(k / nc)]) : cost;

  const u = new Float64Array(nr);
  const v = new Float64Array(nc);
  const shortest = new Float64Array(nc);
  const path = new Int32Array(nc).fill(-1);
  const col4row = new Int32Array(nr).fill(-1);
  const row4col = new Int32Array(nc).fill(-1);
  const inSR = new Uint8Array(nr);
  const inSC = new Uint8Array(nc);
  const remaining = new Int32Array(nc);

  for (let curRow = 0; curRow < nr; curRow++) {
    // Dijkstra-like search for the cheapest augmenting path from curRow to a free column.
    let minVal = 0;
    let numRemaining = nc;
    for (let it = 0; it < nc; it++) remaining[it] = nc - it - 1;
    inSR.fill(0);
    inSC.fill(0);
    shortest.fill(Infinity);
    let sink = -1;
    let i = curRow;
    while (sink === -1) {
      let index = -1;
      let lowest = Infinity;
      inSR[i] = 1;
      for (let it = 0; it < numRemaining; it++) {
        const j = remaining[it];
        const r = minVal + c[i * nc + j] - u[i] - v[j];
        if (r < shortest[j]) { path[j] = i; shortest[j] = r; }
        if (shortest[j] < lowest || (shortest[j] === lowest && row4col[j] === -1)) { lowest = shortest[j]; index = it; }
      }
      minVal = lowest;
      const j = remaining[index];
      if (row4col[j] === -1) sink = j;
      else i = row4col[j];
      inSC[j] = 1;
      remaining[index] = remaining[--numRemaining];
    }
    // Update the dual potentials.
    u[curRow] += minVal;
    for (let r = 0; r < nr; r++) if (inSR[r] && r !== curRow) u[r] += minVal - shortest[col4row[r]];
    for (let j = 0; j < nc; j++) if (inSC[j]) v[j] -= minVal - shortest[j];
    // Augment along the path back to curRow.
    let j = sink;
    for (;;) {
      const r = path[j];
      row4col[j] = r;
      const previous = col4row[r];
      col4row[r] = j;
      j = previous;
      if (r === curRow) break;
    }
  }

  if (!transposed) return { rowInd: Int32Array.from({ length: nr }, (_, r) => r), colInd: col4row };
  // Transposed: solver rows are original columns; report pairs by increasing original row.
  const order = Array.from({ length: nr }, (_, k) => k).sort((a, b) => col4row[a] - col4row[b]);
  return { rowInd: Int32Array.from(order, (k) => col4row[k]), colInd: Int32Array.from(order) };
}
