/**
 * Axis ranges that outliers do not squash: the 0.5–99.5th percentiles of the shown points, padded by
 * 5 % of their span; points outside are drawn at the edge (pointLayout.ts), not dropped.
 */
export const ROBUST_PERCENTILES: readonly [number, number] = [0.5, 99.5];
export const RANGE_PAD = 0.05;

/** The p-th percentile (0–100) of ascending `sorted`, interpolated between ranks as numpy's default ("linear"). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (Math.min(100, Math.max(0, p)) / 100) * (n - 1);
  const i = Math.floor(pos);
  const frac = pos - i;
  return i + 1 < n ? sorted[i] + frac * (sorted[i + 1] - sorted[i]) : sorted[i];
}

export interface RobustRange {
  /** The drawn range. */
  range: [number, number];
  /** The percentiles it is padded from ([NaN, NaN] without finite values). */
  percentiles: [number, number];
  /** Finite values outside the percentiles' span (drawn clipped to the plot's edge). */
  numOutside: number;
}

/** The robust range of every finite value of `arrays` together. Constant values get ±1 (or ±|v|/10) around them; no value gives [0, 1]. */
export function robustRange(arrays: readonly ArrayLike<number>[], percentiles: readonly [number, number] = ROBUST_PERCENTILES, pad = RANGE_PAD): RobustRange {
  let n = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) n++;
  const all = new Float64Array(n);
  let k = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) all[k++] = a[i];
  if (n === 0) return { range: [0, 1], percentiles: [NaN, NaN], numOutside: 0 };
  all.sort();
  const lo = percentile(all, percentiles[0]);
  const hi = percentile(all, percentiles[1]);
  let numOutside = 0;
  for (let i = 0; i < n; i++) if (all[i] < lo || all[i] > hi) numOutside++;
  if (hi === lo) {
    const d = lo === 0 ? 1 : Math.abs(lo) / 10;
    return { range: [lo - d, hi + d], percentiles: [lo, hi], numOutside };
  }
  const p = (hi - lo) * pad;
  return { range: [lo - p, hi + p], percentiles: [lo, hi], numOutside };
}
