/**
 * The agreement matrix in SpikeInterface's order (BaseComparison.get_ordered_agreement_scores, the
 * order of its plot_agreement_matrix): rows by their best score, highest first; then each row in turn
 * takes the column it agrees with most among those not taken yet, so matched pairs run down the
 * diagonal; the columns nobody took come last, in their own order.
 *
 * numpy's `argsort()[::-1]` leaves ties in an order its quicksort decides; here ties keep the later
 * row first (a stable ascending sort, reversed), which is what numpy gives for small arrays.
 */
export function agreementOrder(scores: ArrayLike<number>, rows: number, cols: number): { rows: number[]; cols: number[] } {
  const best = Array.from({ length: rows }, (_, i) => {
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, scores[i * cols + j]!);
    return m;
  });
  const rowOrder = best.map((m, i) => ({ m, i })).sort((a, b) => a.m - b.m || a.i - b.i).map((x) => x.i).reverse();
  const taken = new Set<number>();
  const colOrder: number[] = [];
  for (const i of rowOrder) {
    let pick = -1;
    for (let j = 0; j < cols; j++) {
      if (taken.has(j)) continue;
      if (pick < 0 || scores[i * cols + j]! > scores[i * cols + pick]!) pick = j;
    }
    if (pick < 0) break;
    taken.add(pick);
    colOrder.push(pick);
  }
  for (let j = 0; j < cols; j++) if (!taken.has(j)) colOrder.push(j);
  return { rows: rowOrder, cols: colOrder };
}

/** White (0) to dark blue (1), as a CSS colour: SpikeInterface's matrix uses a sequential map too. */
export function agreementColor(score: number): string {
  const s = Math.max(0, Math.min(1, Number.isFinite(score) ? score : 0));
  const lerp = (a: number, b: number) => Math.round(a + (b - a) * s);
  return `rgb(${lerp(255, 8)}, ${lerp(255, 48)}, ${lerp(255, 107)})`;
}
