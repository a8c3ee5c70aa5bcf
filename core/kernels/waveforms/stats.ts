/** Small order statistics shared by the noise and SNR kernels, with numpy's conventions. */

/** Median as numpy computes it (mean of the two middle values for an even count). Reorders `values`. */
export function medianInPlace(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return NaN;
  const hi = select(values, n >> 1);
  if (n % 2 === 1) return hi;
  // After selection every value left of n/2 is ≤ hi; the lower middle is their maximum.
  let lo = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (values[i] > lo) lo = values[i];
  return (lo + hi) / 2;
}

/** Hoare quickselect: puts the k-th smallest at index k, smaller values before it. O(n) expected. */
function select(a: Float64Array, k: number): number {
  let left = 0;
  let right = a.length - 1;
  while (right > left) {
    // Median-of-three pivot keeps sorted or constant inputs (a flat channel) linear.
    const mid = (left + right) >> 1;
    const pivot = median3(a[left], a[mid], a[right]);
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i]; a[i] = a[j]; a[j] = t;
        i++; j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k];
  }
  return a[k];
}

function median3(a: number, b: number, c: number): number {
  return a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
}

/** Population standard deviation (numpy's `std` with ddof=0). */
export function populationStd(x: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mean) ** 2;
  return Math.sqrt(ss / n);
}
