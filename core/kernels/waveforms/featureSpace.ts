import { topEigenpairs } from './eigen';
import type { Snippets } from './snippets';

/**
 * phy's `features` for a feature view across units (fetch_feature_space.1): ONE temporal PCA fitted
 * on the selected units' spikes together, and every spike's waveform on every channel projected on
 * its components, `features[spike][channel][pc]` (phy: n_spikes × n_channels × n_pcs; Kilosort's
 * pc_features project each channel on shared temporal components the same way).
 *
 * Rows: one per (spike, channel), the snippet on that channel over its T samples minus its own time
 * mean (so DC offsets and slow drift, which differ by channel, are not a component). The PCA is fitted
 * on the rows of every `stride`-th spike (in the order given: unit by unit), stride = ⌈rows / maxFitRows⌉,
 * without centring them on their mean, as Kilosort's wPCA (the top right singular vectors of the
 * rows); every row is then projected as it is, so a channel the units do not reach has features near
 * 0 and a unit's features grow with its amplitude on that channel. Signs: each component's largest-|loading| entry is negative (the first entry within 1e-9 of the
 * largest), as Kilosort pins its PC1 negative at the trough: a spike with a negative trough then
 * has a positive PC1 on a channel, growing with its amplitude there (phy's picture). Components beyond the fitted rows' rank have zero loadings and features.
 */
export const FEATURE_SPACE_PCS = 3;
/** Rows the PCA is fitted on at most: 30 000 × T = 130 is ~8 M values per product in the Krylov solve. */
export const FEATURE_FIT_MAX_ROWS = 30_000;

/** A unit's rows `[n][C][T]` (float32: 16 units × 1000 spikes × 15 channels × T stay ≤ 125 MB). */
export interface FeatureRows { data: Float32Array; numSpikes: number; numChannels: number; numSamples: number }

/** Snippets `[n][T][C]` → rows `[n][C][T]`, each minus its own time mean. */
export function featureRows(s: Snippets): FeatureRows {
  const { numSpikes: n, numSamples: T, numChannels: C } = s;
  const data = new Float32Array(n * C * T);
  const row = new Float64Array(T);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < C; c++) {
      let m = 0;
      for (let t = 0; t < T; t++) { row[t] = s.data[(i * T + t) * C + c]; m += row[t]; }
      m /= T;
      const off = (i * C + c) * T;
      for (let t = 0; t < T; t++) data[off + t] = row[t] - m;
    }
  }
  return { data, numSpikes: n, numChannels: C, numSamples: T };
}

export interface FeatureSpace {
  /** `[N][C][k]` float32, N = the units' spikes in order. */
  features: Float32Array;
  /** The k temporal components (unit vectors of length T; zero beyond the rank). */
  components: Float64Array[];
  /** Mean square of the fitted rows along each component (s² / rows; a row's power about its own time mean). */
  variance: Float64Array;
  /** Its share of the fitted rows' total power, s² / Σ‖row‖² (0 when that is 0). */
  varianceRatio: Float64Array;
  /** Spikes whose rows the PCA was fitted on. */
  fitSpikes: number;
}

export function featureSpace(units: readonly FeatureRows[], k = FEATURE_SPACE_PCS, maxFitRows = FEATURE_FIT_MAX_ROWS): FeatureSpace {
  const withSpikes = units.filter((u) => u.numSpikes > 0);
  const T = withSpikes[0]?.numSamples ?? units[0]?.numSamples ?? 0;
  const C = withSpikes[0]?.numChannels ?? units[0]?.numChannels ?? 0;
  for (const u of withSpikes) {
    if (u.numSamples !== T || u.numChannels !== C) throw new RangeError(`featureSpace: units of ${u.numSamples}×${u.numChannels} and ${T}×${C}`);
  }
  const N = units.reduce((a, u) => a + u.numSpikes, 0);
  const stride = Math.max(1, Math.ceil((N * C) / Math.max(1, maxFitRows)));
  // The fitted rows, copied as float64.
  const fitSpikes = Math.ceil(N / stride);
  const R = fitSpikes * C;
  const X = new Float64Array(R * T);
  let r = 0;
  let g = 0;
  for (const u of units) {
    for (let i = 0; i < u.numSpikes; i++, g++) {
      if (g % stride !== 0) continue;
      X.set(u.data.subarray(i * C * T, (i + 1) * C * T), r * T);
      r += C;
    }
  }
  let total = 0;
  for (let q = 0; q < R * T; q++) total += X[q] * X[q];
  const tmp = new Float64Array(R);
  const apply = (v: Float64Array, out: Float64Array) => {
    // out = Xᵀ(X v): the T×T scatter matrix applied without being formed.
    for (let q = 0; q < R; q++) {
      let acc = 0;
      const o = q * T;
      for (let t = 0; t < T; t++) acc += X[o + t] * v[t];
      tmp[q] = acc;
    }
    out.fill(0);
    for (let q = 0; q < R; q++) {
      const o = q * T;
      const a = tmp[q];
      for (let t = 0; t < T; t++) out[t] += X[o + t] * a;
    }
  };
  const eig = R > 0 && T > 0 ? topEigenpairs(apply, T, Math.min(k, T)) : { values: new Float64Array(0), vectors: [] as Float64Array[] };
  const components = Array.from({ length: k }, (_, j) => {
    const v = Float64Array.from(eig.vectors[j] ?? new Float64Array(T));
    let maxAbs = 0;
    for (let t = 0; t < T; t++) maxAbs = Math.max(maxAbs, Math.abs(v[t]));
    let big = 0;
    while (big < T - 1 && Math.abs(v[big]) < maxAbs * (1 - 1e-9)) big++;
    if (v[big] > 0) for (let t = 0; t < T; t++) v[t] = -v[t];
    return v;
  });
  const variance = Float64Array.from({ length: k }, (_, j) => (eig.values[j] ?? 0) / Math.max(R, 1));
  const varianceRatio = Float64Array.from({ length: k }, (_, j) => (total > 0 ? (eig.values[j] ?? 0) / total : 0));

  const features = new Float32Array(N * C * k);
  let s = 0;
  for (const u of units) {
    for (let i = 0; i < u.numSpikes; i++, s++) {
      for (let c = 0; c < C; c++) {
        const o = (i * C + c) * T;
        for (let j = 0; j < k; j++) {
          const v = components[j];
          let acc = 0;
          for (let t = 0; t < T; t++) acc += u.data[o + t] * v[t];
          features[(s * C + c) * k + j] = acc;
        }
      }
    }
  }
  return { features, components, variance, varianceRatio, fitSpikes };
}
