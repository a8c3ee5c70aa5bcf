import { beforeAll, describe, expect, it } from 'vitest';
import { jacobiEigen, topEigenpairs } from './eigen';
import { EmptyUnitError, NoCommonChannelsError } from './errors';
import { individualClusterFeatures, pairClusterFeatures, pcaScores } from './pca';
import { mulberry32 } from './prng';
import { PCA_MAX_SPIKES, sampleSpikeFrames } from './sampling';
import { makeSnippets } from './snippets';
import { expectClose, expectCloseUpToSign } from './testing/close';
import { ndarray, runOracleById } from '../../../test/oracles/runOracle';
import { relayGather, synthRecording } from './testing/synth';

describe('eigen', () => {
  it('Jacobi: a 2×2 by hand, eigenvalues descending', () => {
    // [[2, 1], [1, 2]]: 3 along (1, 1)/√2, 1 along (1, −1)/√2.
    const { values, vectors } = jacobiEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    expect(Math.abs(vectors[0])).toBeCloseTo(Math.SQRT1_2, 14);
    expect(vectors[0] * vectors[2]).toBeCloseTo(0.5, 14); // same sign in column 0
  });
  it('Krylov top-k agrees with a full Jacobi decomposition, and is exact on low rank', () => {
    const rand = mulberry32(1);
    const n = 40;
    const B = Float64Array.from({ length: n * 6 }, () => rand() - 0.5); // rank 6: A = B·Bᵀ
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < 6; k++) A[i * n + j] += B[i * 6 + k] * B[j * 6 + k];
    const full = jacobiEigen(A, n);
    const apply = (v: Float64Array, out: Float64Array) => {
      for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < n; j++) s += A[i * n + j] * v[j]; out[i] = s; }
    };
    const top = topEigenpairs(apply, n, 8);
    for (let p = 0; p < 6; p++) {
      expect(top.values[p]).toBeCloseTo(full.values[p], 10);
      const col = Float64Array.from({ length: n }, (_, i) => full.vectors[i * n + p]);
      expectCloseUpToSign(top.vectors[p], col, 1e-8);
    }
    // Beyond the rank: zero value, zero vector.
    expect(top.values[6]).toBe(0);
    expect(top.vectors[7].every((v) => v === 0)).toBe(true);
  });
});

describe('PCA by hand', () => {
  it('scores on centred data, largest-|loading| positive', () => {
    const X = Float64Array.from([3, 0, -1, 0, 1, 1, 1, -1]); // mean (1, 0): centred ±2 on x, ±1 on y
    const { scores, variances } = pcaScores(X, 4, 2, 2);
    expectClose(scores[0], [2, -2, 0, 0], 1e-12);
    expectClose(scores[1], [0, 0, 1, -1], 1e-12);
    expectClose(variances, [8 / 3, 2 / 3], 1e-12);
  });
  it('individual features: each snippet channel loses its time-mean first; rank-deficient components are 0', () => {
    // One channel, T = 2: [3, 1], [1, 3], [2, 2] → features [1, −1], [−1, 1], [0, 0] → PC1 (1, −1)/√2.
    const s = makeSnippets(Float32Array.from([3, 1, 1, 3, 2, 2]), 2, 1);
    const r = individualClusterFeatures(s, Float64Array.from([10, 20, 30]));
    expect(Array.from(r.timepoints.data)).toEqual([10, 20, 30]);
    expectClose(r.x.data, [Math.SQRT2, -Math.SQRT2, 0], 1e-6);
    expect(Array.from(r.y.data)).toEqual([0, 0, 0]);
  });
  it('one spike gives a single point at the origin; no spike is an EmptyUnitError', () => {
    const r = individualClusterFeatures(makeSnippets(Int16Array.from([5, 9]), 2, 1), Float64Array.from([7]));
    expect([r.x.data[0], r.y.data[0]]).toEqual([0, 0]);
    expect(() => individualClusterFeatures(makeSnippets(new Int16Array(0), 2, 1), new Float64Array(0))).toThrow(EmptyUnitError);
  });
  it('pair features by hand: x separates the units, labels follow the units', () => {
    // One channel, T = 2. Unit 1 ≈ [0, 0], unit 2 ≈ [4, 0]; d = avg2 − avg1 = [4, 0].
    const a = { snippets: makeSnippets(Float32Array.from([0, 1, 0, -1]), 2, 1), channelIds: [5], times: Float64Array.from([1, 2]), label: 1 };
    const b = { snippets: makeSnippets(Float32Array.from([4, 1, 4, -1]), 2, 1), channelIds: [5], times: Float64Array.from([3, 4]), label: 2 };
    const r = pairClusterFeatures(a, b);
    // raw projections [0, 0, 16, 16] → std 8 → [0, 0, 2, 2]
    expectClose(r.x.data, [0, 0, 2, 2], 1e-6);
    expect(Array.from(r.labels.data)).toEqual([1, 1, 2, 2]);
    expect(Array.from(r.timepoints.data)).toEqual([1, 2, 3, 4]);
    // residuals [0, 1], [0, −1], [0, 1], [0, −1] → time-mean removed → ±(−.5, .5) → y = ±1 after std
    expectCloseUpToSign(r.y.data, [1, -1, 1, -1], 1e-6);
    expect(() => pairClusterFeatures(a, { ...b, channelIds: [6] })).toThrow(NoCommonChannelsError);
  });
});

describe('oracle parity (numpy SVD)', () => {
  const F = 200_000;
  const rec = synthRecording({
    seed: 21, numFrames: F, numChannels: 16, dtype: 'float32',
    units: [
      { unitId: 1, peakChannel: 6, amplitude: 200, count: 1300, ampJitter: 0.3, secondary: { peakChannel: 9, amplitude: 60, width: 2 } },
      { unitId: 2, peakChannel: 8, amplitude: 150, count: 400, ampJitter: 0.4 },
      { unitId: 3, peakChannel: 3, amplitude: 100, count: 0, extraTimes: [5000] },
      { unitId: 4, peakChannel: 3, amplitude: 100, count: 0, extraTimes: [5000, 9000] },
    ],
  });
  const snippetLen = [50, 80] as const;
  const nb1 = [6, 4, 7, 8, 5, 2, 9, 10, 3, 11, 0, 12, 1, 13, 14]; // 15 channels → 1950 features
  const nb2 = [8, 6, 9, 10, 7, 4, 11, 12, 5, 13];
  const cols: Record<number, number[]> = { 1: nb1, 2: nb2, 3: nb1, 4: nb1 };
  const frames = (u: number) => sampleSpikeFrames(rec.units[u - 1].times, u, F, snippetLen, PCA_MAX_SPIKES);
  const base = (u: number) => ({ times: [rec.units.find((x) => x.unitId === u)!.times], unitIds: [u], cols: cols[u] });
  let out: Record<string, any>;
  beforeAll(() => {
    const traces = ndarray(rec.traces, [F, 16]);
    out = runOracleById('waveforms', [
      ...[1, 2, 3, 4].map((u) => ({ id: `u${u}`, op: 'pca', ...base(u) })),
      { id: 'pair', op: 'pair', a: { ...base(1), label: 1 }, b: { ...base(2), label: 2 } },
    ].map((c) => ({ ...c, traces, numFrames: F, snippetLen, maxSpikes: PCA_MAX_SPIKES })));
  });
  for (const u of [1, 2, 3, 4]) {
    it(`individual_cluster_features, unit ${u}`, () => {
      const fr = frames(u);
      const r = individualClusterFeatures(relayGather(rec, fr, snippetLen, cols[u]), fr);
      const o = out[`u${u}`];
      expect(Array.from(r.timepoints.data)).toEqual(o.timepoints);
      if (u === 1) expect(fr.length).toBe(PCA_MAX_SPIKES);
      const scale = Math.max(...o.x.map(Math.abs), 1);
      // Same sign convention as the oracle; up to sign would also pass.
      expectClose(r.x.data, o.x, 1e-4, 1e-6 * scale);
      expectClose(r.y.data, o.y, 1e-4, 1e-6 * scale);
    });
  }
  it('pair_cluster_features on shared channels', () => {
    const side = (u: number) => {
      const fr = frames(u);
      return { snippets: relayGather(rec, fr, snippetLen, cols[u]), channelIds: cols[u].map((i) => rec.channelIds[i]), times: fr, label: u };
    };
    const r = pairClusterFeatures(side(1), side(2));
    const o = out.pair;
    expect(Array.from(r.timepoints.data)).toEqual(o.timepoints.map((t: number) => Math.fround(t)));
    expect(Array.from(r.labels.data)).toEqual(o.labels);
    expectClose(r.x.data, o.x, 1e-4);
    expectCloseUpToSign(r.y.data, o.y, 1e-4);
    expectClose(r.y.data, o.y, 1e-4);
  });
});
