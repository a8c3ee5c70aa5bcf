import { ndarray, type NdArray } from '../../protocol/ndarray';
import { topEigenpairs } from './eigen';
import { EmptyUnitError, NoCommonChannelsError } from './errors';
import { meanSnippet, selectSnippets, type Snippets } from './snippets';
import { populationStd } from './stats';

/**
 * Principal components of the rows of an S×D matrix `X` (row-major, modified: centred in place),
 * like sklearn's PCA: columns are centred, and the scores are the projections of the centred rows
 * on the top `k` unit components. Sign convention, pinned so results are deterministic: each
 * component's largest-|loading| entry is positive (the first entry within 1e-9 of the largest, so
 * exact ties are not decided by round-off); sklearn ≥ 1.5 flips by the largest loading too.
 * Components beyond the data's rank have zero scores.
 */
export function pcaScores(X: Float64Array, S: number, D: number, k: number): { scores: Float64Array[]; variances: Float64Array } {
  for (let d = 0; d < D; d++) {
    let mean = 0;
    for (let s = 0; s < S; s++) mean += X[s * D + d];
    mean /= Math.max(S, 1);
    for (let s = 0; s < S; s++) X[s * D + d] -= mean;
  }
  const tmp = new Float64Array(S);
  const apply = (v: Float64Array, out: Float64Array) => {
    // out = Xᵀ(X v): the covariance (up to 1/S) applied without being formed.
    for (let s = 0; s < S; s++) {
      let acc = 0;
      const row = s * D;
      for (let d = 0; d < D; d++) acc += X[row + d] * v[d];
      tmp[s] = acc;
    }
    out.fill(0);
    for (let s = 0; s < S; s++) {
      const row = s * D;
      const ts = tmp[s];
      for (let d = 0; d < D; d++) out[d] += X[row + d] * ts;
    }
  };
  const eig = topEigenpairs(apply, D, k);
  const scores = eig.vectors.map((v) => {
    // The first entry within 1e-9 of the largest magnitude, so that exact ties (symmetric data)
    // are not decided by round-off.
    let maxAbs = 0;
    for (let d = 0; d < D; d++) maxAbs = Math.max(maxAbs, Math.abs(v[d]));
    let big = 0;
    while (big < D - 1 && Math.abs(v[big]) < maxAbs * (1 - 1e-9)) big++;
    const sign = v[big] < 0 ? -1 : 1;
    const sc = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      let acc = 0;
      for (let d = 0; d < D; d++) acc += X[s * D + d] * v[d];
      sc[s] = sign * acc;
    }
    return sc;
  });
  return { scores, variances: Float64Array.from(eig.values, (l) => l / Math.max(S - 1, 1)) };
}

/**
 * 2021's feature matrix: each snippet's channels minus their own time-mean (so DC offsets and slow
 * drift do not dominate the components), flattened to S × (T·C) in the snippets' [T][C] order.
 */
function featureMatrix(s: Snippets): Float64Array {
  const T = s.numSamples;
  const C = s.numChannels;
  const X = Float64Array.from(s.data);
  for (let i = 0; i < s.numSpikes; i++) {
    for (let c = 0; c < C; c++) {
      let m = 0;
      for (let t = 0; t < T; t++) m += X[(i * T + t) * C + c];
      m /= T;
      for (let t = 0; t < T; t++) X[(i * T + t) * C + c] -= m;
    }
  }
  return X;
}

/**
 * individual_cluster_features.1: 2-component PCA of the unit's sampled snippets (≤ PCA_MAX_SPIKES,
 * from `sampleSpikeFrames`) on its neighbourhood channels. `times` are the sampled frames, one per
 * snippet, returned as `timepoints`. x, y are unscaled scores (raw units) in f32.
 */
export function individualClusterFeatures(snippets: Snippets, times: Float64Array, what = 'The unit'):
  { timepoints: NdArray<'float32'>; x: NdArray<'float32'>; y: NdArray<'float32'> } {
  if (snippets.numSpikes === 0) throw new EmptyUnitError(what);
  if (times.length !== snippets.numSpikes) throw new RangeError(`individualClusterFeatures: ${times.length} times for ${snippets.numSpikes} snippets`);
  const S = snippets.numSpikes;
  const { scores } = pcaScores(featureMatrix(snippets), S, snippets.numSamples * snippets.numChannels, 2);
  return {
    timepoints: ndarray('float32', [S], Float32Array.from(times)),
    x: ndarray('float32', [S], Float32Array.from(scores[0])),
    y: ndarray('float32', [S], Float32Array.from(scores[1])),
  };
}

/** One side of a pair view: a unit's sample, its channels, and the label its points get. */
export interface PairSide {
  snippets: Snippets;
  channelIds: ArrayLike<number>;
  times: Float64Array;
  label: number;
}

/**
 * pair_cluster_features.4, as 2021 computed it, on the channels both units have (in unit 1's order):
 *
 * - x: projection of each (raw) snippet on d = avg2 − avg1, the direction that separates the units;
 * - y: PC1 of the residuals (each snippet minus its own unit's mean, then minus its per-channel
 *   time-mean, then column-centred);
 * - both divided by their population std (left unscaled when the std is 0, e.g. identical units);
 * - timepoints and labels: unit 1's events, then unit 2's.
 */
export function pairClusterFeatures(a: PairSide, b: PairSide): {
  timepoints: NdArray<'float32'>; x: NdArray<'float32'>; y: NdArray<'float32'>; labels: NdArray<'int32'>;
} {
  const inB = new Map(Array.from(b.channelIds, (id, c) => [id, c]));
  const colsA: number[] = [];
  const colsB: number[] = [];
  Array.from(a.channelIds).forEach((id, c) => {
    const cb = inB.get(id);
    if (cb !== undefined) { colsA.push(c); colsB.push(cb); }
  });
  for (const side of [a, b]) {
    if (side.times.length !== side.snippets.numSpikes) {
      throw new RangeError(`pairClusterFeatures: ${side.times.length} times for ${side.snippets.numSpikes} snippets of unit ${side.label}`);
    }
  }
  if (colsA.length === 0) throw new NoCommonChannelsError(String(a.label), String(b.label));
  const W1 = selectSnippets(a.snippets, undefined, colsA);
  const W2 = selectSnippets(b.snippets, undefined, colsB);
  const avg1 = meanSnippet(W1, `Unit ${a.label}`);
  const avg2 = meanSnippet(W2, `Unit ${b.label}`);
  const D = avg1.length;
  const L1 = W1.numSpikes;
  const L = L1 + W2.numSpikes;

  const x = new Float64Array(L);
  const resid = new Float64Array(L * D);
  [W1, W2].forEach((W, u) => {
    const own = u === 0 ? avg1 : avg2;
    for (let i = 0; i < W.numSpikes; i++) {
      const row = u === 0 ? i : L1 + i;
      let proj = 0;
      for (let j = 0; j < D; j++) {
        const v = W.data[i * D + j];
        proj += (avg2[j] - avg1[j]) * v;
        resid[row * D + j] = v - own[j];
      }
      x[row] = proj;
    }
  });
  const residSnips = { data: resid, numSpikes: L, numSamples: W1.numSamples, numChannels: W1.numChannels };
  const y = pcaScores(featureMatrix(residSnips), L, D, 1).scores[0];
  for (const v of [x, y]) {
    const sd = populationStd(v);
    if (sd > 0) for (let i = 0; i < L; i++) v[i] /= sd;
  }
  const timepoints = new Float32Array(L);
  timepoints.set(a.times);
  timepoints.set(b.times, L1);
  const labels = new Int32Array(L).fill(a.label, 0, L1).fill(b.label, L1);
  return {
    timepoints: ndarray('float32', [L], timepoints),
    x: ndarray('float32', [L], Float32Array.from(x)),
    y: ndarray('float32', [L], Float32Array.from(y)),
    labels: ndarray('int32', [L], labels),
  };
}
