import { mulberry32 } from './prng';

/**
 * Eigen-decompositions for PCA, written out because core/ has no linear-algebra dependency.
 * A covariance matrix of 15 channels × 130 samples is 1950² and costs S·D² to form, too slow for
 * a function call; instead we only ever apply it to vectors (2·S·D per product) and find its
 * top eigenpairs in a small Krylov subspace, where a dense Jacobi solve is cheap.
 */

/**
 * Dense symmetric eigen-decomposition by cyclic Jacobi rotations. `a` is n×n row-major (not
 * modified). Returns eigenvalues in descending order and the matching unit eigenvectors as the
 * columns of `vectors` (n×n row-major).
 */
export function jacobiEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(a);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += A[i] * A[i];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q] ** 2;
    if (off <= 1e-32 * total) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (apq === 0) continue;
        // Rotation angle that zeroes A[p][q] (Golub & Van Loan, symmetric Schur decomposition).
        const theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p], akq = A[k * n + q];
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k], aqk = A[q * n + k];
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p], vkq = V[k * n + q];
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => A[j * n + j] - A[i * n + i] || i - j);
  const values = Float64Array.from(order, (i) => A[i * n + i]);
  const vectors = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let j = 0; j < n; j++) vectors[r * n + j] = V[r * n + order[j]];
  return { values, vectors };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * The `k` largest eigenpairs of a symmetric positive semi-definite operator given only as
 * `apply(x, out)` (out = A·x) on vectors of length n: Lanczos with full reorthogonalisation, i.e.
 * Rayleigh–Ritz on an orthonormal Krylov basis, grown until each Ritz pair's residual
 * ‖A·y − θ·y‖ is below `tol`·θ₁, the Krylov space is exhausted (exact answer), or `maxBasis` vectors
 * are used (best available answer). The start vector comes from a fixed seed, so results are
 * deterministic. Eigenpairs beyond the operator's rank come back as 0 with a zero vector.
 */
export function topEigenpairs(
  apply: (x: Float64Array, out: Float64Array) => void, n: number, k: number,
  opts: { maxBasis?: number; tol?: number; seed?: number } = {},
): { values: Float64Array; vectors: Float64Array[] } {
  const maxBasis = Math.min(n, opts.maxBasis ?? 200);
  const tol = opts.tol ?? 1e-10;
  const rand = mulberry32(opts.seed ?? 0x5eed);
  const Q: Float64Array[] = [];
  const AQ: Float64Array[] = [];
  const H: number[][] = [];
  let q: Float64Array = Float64Array.from({ length: n }, () => rand() - 0.5);
  let norm = Math.sqrt(dot(q, q));
  let normA = 0;
  for (let i = 0; i < n; i++) q[i] /= norm;
  for (;;) {
    const w = new Float64Array(n);
    apply(q, w);
    Q.push(q);
    AQ.push(w);
    const m = Q.length;
    H.push(new Array<number>(m).fill(0));
    for (let i = 0; i < m; i++) H[m - 1][i] = H[i][m - 1] = dot(Q[i], w);
    normA = Math.max(normA, Math.sqrt(dot(w, w)));
    // Next basis vector: A·q orthogonalised against the basis, twice ("twice is enough", Kahan).
    const r = Float64Array.from(w);
    for (let pass = 0; pass < 2; pass++) {
      for (const qi of Q) {
        const c = dot(qi, r);
        for (let j = 0; j < n; j++) r[j] -= c * qi[j];
      }
    }
    norm = Math.sqrt(dot(r, r));
    const exhausted = m >= maxBasis || norm <= 1e-12 * normA || normA === 0;
    if (exhausted || (m >= k && m % 8 === 0)) {
      const ritz = rayleighRitz(Q, AQ, H, k);
      if (exhausted || ritz.residuals.every((res) => res <= tol * Math.max(ritz.values[0], 1e-300))) {
        return { values: ritz.values, vectors: ritz.vectors };
      }
    }
    for (let j = 0; j < n; j++) r[j] /= norm;
    q = r;
  }
}

function rayleighRitz(Q: Float64Array[], AQ: Float64Array[], H: number[][], k: number) {
  const m = Q.length;
  const n = Q[0].length;
  const flat = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) flat[i * m + j] = (H[i][j] + H[j][i]) / 2;
  const eig = jacobiEigen(flat, m);
  const values = new Float64Array(k);
  const vectors: Float64Array[] = [];
  const residuals: number[] = [];
  for (let p = 0; p < k; p++) {
    const y = new Float64Array(n);
    const Ay = new Float64Array(n);
    // Ritz values at round-off level of the largest are the null space, not components.
    if (p < m && eig.values[p] > 1e-12 * eig.values[0]) {
      values[p] = eig.values[p];
      for (let i = 0; i < m; i++) {
        const s = eig.vectors[i * m + p];
        for (let j = 0; j < n; j++) { y[j] += s * Q[i][j]; Ay[j] += s * AQ[i][j]; }
      }
      let res = 0;
      for (let j = 0; j < n; j++) res += (Ay[j] - values[p] * y[j]) ** 2;
      residuals.push(Math.sqrt(res));
    } else {
      residuals.push(0);
    }
    vectors.push(y);
  }
  return { values, vectors, residuals };
}
