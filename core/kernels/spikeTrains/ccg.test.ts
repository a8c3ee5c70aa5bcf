import { beforeAll, describe, expect, it } from 'vitest';
import {
  autocorrelogramCounts, autocorrelogramCountsIfSorted, correlogramBinCentresMs, correlogramCounts, forwardPairCounts, labeledCorrelograms,
  phylibBinning, phylibSamples, type CorrelogramParams,
} from './ccg';
import { correlogramPlotData } from './correlogramPlotData';
import { runOracle } from '../../../test/oracles/runOracle';
import { edgeCaseSorting, randomSorting, seededRandom } from './testing/sortings';
import { SpikeTrainInputError, mergeTrains } from './trains';

const f64 = (xs: number[]) => Float64Array.from(xs);
const i32 = (xs: number[]) => Int32Array.from(xs);

/** counts [K][K][n] → element (i, j, k). */
const at = (c: Int32Array, K: number, n: number) => (i: number, j: number, k: number) => c[(i * K + j) * n + k];

describe('phylib binning', () => {
  it('1 ms / 50 ms at 30 kHz gives 30-sample bins and 51 bins', () => {
    expect(phylibBinning({ sampleRateHz: 30000 })).toEqual({ binSizeSamples: 30, halfBins: 25, nBins: 51 });
  });
  it('truncates like phylib: int(sr * bin) and 2 * int(0.5 * window / bin) + 1', () => {
    expect(phylibBinning({ sampleRateHz: 24414.0625 })).toEqual({ binSizeSamples: 24, halfBins: 25, nBins: 51 });
    expect(phylibBinning({ sampleRateHz: 30000, binSizeSec: 0.002, windowSizeSec: 0.025 })).toEqual({ binSizeSamples: 60, halfBins: 6, nBins: 13 });
  });
  it('rejects a bin shorter than one sample', () => {
    expect(() => phylibBinning({ sampleRateHz: 500, binSizeSec: 0.001 })).toThrow(SpikeTrainInputError);
  });
});

describe('hand-worked cases (phylib test_ccg.py)', () => {
  const params = { sampleRateHz: 1, binSizeSec: 1, windowSizeSec: 7 }; // 1-sample bins, half = 3

  it('test_ccg_0: identical times count once, in array order (c[1,0,0] = 1, c[0,1,0] = 0)', () => {
    const r = labeledCorrelograms({ ...params, spikeFrames: f64([0, 10, 10, 20]), spikeLabels: i32([0, 1, 0, 1]), numUnits: 2, symmetrize: false });
    const expected = new Int32Array(2 * 2 * 4);
    expected[(1 * 2 + 0) * 4 + 0] = 1; // the peculiarity phylib's test pins
    expect(r.binCounts).toEqual(expected);
  });

  it('test_ccg_0 symmetrized: the zero bin becomes max(c[i,j,0], c[j,i,0])', () => {
    const r = labeledCorrelograms({ ...params, spikeFrames: f64([0, 10, 10, 20]), spikeLabels: i32([0, 1, 0, 1]), numUnits: 2 });
    const c = at(r.binCounts, 2, 7);
    expect([c(0, 1, 3), c(1, 0, 3)]).toEqual([1, 1]);
    expect(r.binCounts.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('test_ccg_1: forward pairs land in [k*b, (k+1)*b)', () => {
    const r = labeledCorrelograms({
      ...params, spikeFrames: f64([2, 3, 10, 12, 20, 24, 30, 40]), spikeLabels: i32([0, 1, 0, 0, 2, 1, 0, 2]), numUnits: 3, symmetrize: false,
    });
    const expected = new Int32Array(3 * 3 * 4);
    expected[(0 * 3 + 1) * 4 + 1] = 1;
    expected[(0 * 3 + 0) * 4 + 2] = 1;
    expect(r.binCounts).toEqual(expected);
  });

  it('a 30 kHz ACG by hand, with and without the seconds round trip (59 → 58)', () => {
    const train = f64([0, 29, 30, 59, 60]);
    const exact = correlogramCounts({ sampleRateHz: 30000, spikeTrains: [train], pairs: 'auto-only', secondsRoundTrip: false }).binCounts;
    expect([exact[25], exact[24], exact[26], exact[23], exact[27]]).toEqual([4, 5, 5, 1, 1]);
    expect(exact.reduce((a, b) => a + b, 0)).toBe(4 + 2 * 6);
    // (59 / 30000) * 30000 = 58.99999999999999, truncated to 58: (29, 58) moves into the centre bin.
    expect(phylibSamples(train, 30000)).toEqual(f64([0, 29, 30, 58, 60]));
    const quirk = correlogramCounts({ sampleRateHz: 30000, spikeTrains: [train], pairs: 'auto-only' }).binCounts;
    expect([quirk[25], quirk[24], quirk[26], quirk[23], quirk[27]]).toEqual([5, 4, 4, 1, 1]);
  });

  it('the outer bins are half-open: a 779-sample lag (25.97 ms) counts, 780 does not', () => {
    const acg = (lag: number) => correlogramCounts({ sampleRateHz: 30000, spikeTrains: [f64([0, lag])], pairs: 'auto-only', secondsRoundTrip: false }).binCounts;
    expect([acg(779)[0], acg(779)[50]]).toEqual([1, 1]);
    expect(acg(780).every((x) => x === 0)).toBe(true);
  });

  it('removeAcgPeaks zeroes only the autocorrelogram centre bins (current phylib)', () => {
    const trains = [f64([0, 0, 10, 100]), f64([0, 5])];
    const keep = correlogramCounts({ sampleRateHz: 30000, spikeTrains: trains });
    const drop = correlogramCounts({ sampleRateHz: 30000, spikeTrains: trains, removeAcgPeaks: true });
    const [k, d] = [at(keep.binCounts, 2, 51), at(drop.binCounts, 2, 51)];
    expect([k(0, 0, 25), d(0, 0, 25), k(1, 1, 25), d(1, 1, 25)]).toEqual([3, 0, 1, 0]);
    expect([d(0, 1, 25), d(1, 0, 25)]).toEqual([k(0, 1, 25), k(1, 0, 25)]);
  });
});

describe('invariants', () => {
  const rng = seededRandom(7);
  // Labelled spikes with many exact ties across units (times drawn from a small range).
  const n = 3000;
  const frames = Float64Array.from({ length: n }, () => Math.floor(rng() * 60000)).sort();
  const labels = Int32Array.from({ length: n }, () => Math.floor(rng() * 3));
  const params = { sampleRateHz: 30000, secondsRoundTrip: false };

  it('reversing time (and the array order) transposes the unsymmetrized counts exactly, ties included', () => {
    const fwd = labeledCorrelograms({ ...params, spikeFrames: frames, spikeLabels: labels, numUnits: 3, symmetrize: false });
    const revFrames = Float64Array.from(frames, (_, i) => 60000 - frames[n - 1 - i]);
    const revLabels = Int32Array.from(labels, (_, i) => labels[n - 1 - i]);
    const rev = labeledCorrelograms({ ...params, spikeFrames: revFrames, spikeLabels: revLabels, numUnits: 3, symmetrize: false });
    const [a, b] = [at(fwd.binCounts, 3, 26), at(rev.binCounts, 3, 26)];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 26; k++) expect(b(j, i, k)).toBe(a(i, j, k));
  });

  it('swapping unit labels transposes the matrix', () => {
    const fwd = labeledCorrelograms({ ...params, spikeFrames: frames, spikeLabels: labels, numUnits: 3 });
    const swapped = labeledCorrelograms({ ...params, spikeFrames: frames, spikeLabels: labels.map((l) => [1, 0, 2][l]), numUnits: 3 });
    const [a, b] = [at(fwd.binCounts, 3, 51), at(swapped.binCounts, 3, 51)];
    const perm = [1, 0, 2];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 51; k++) expect(b(perm[i], perm[j], k)).toBe(a(i, j, k));
  });

  it('symmetrized: ACGs are palindromes and C[i,j] is C[j,i] reversed', () => {
    const c = at(labeledCorrelograms({ ...params, spikeFrames: frames, spikeLabels: labels, numUnits: 3 }).binCounts, 3, 51);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 51; k++) expect(c(i, j, k)).toBe(c(j, i, 50 - k));
  });

  it("'auto-only' equals the diagonal of 'all'", () => {
    const s = edgeCaseSorting(3);
    const all = correlogramCounts({ sampleRateHz: s.sampleRateHz, spikeTrains: s.trains });
    const auto = correlogramCounts({ sampleRateHz: s.sampleRateHz, spikeTrains: s.trains, pairs: 'auto-only' });
    const K = s.trains.length;
    for (let u = 0; u < K; u++) expect(auto.binCounts.subarray(u * 51, (u + 1) * 51)).toEqual(all.binCounts.subarray((u * K + u) * 51, (u * K + u + 1) * 51));
  });

  it('refuses unsorted trains and oversized matrices with a fix in the message', () => {
    expect(() => correlogramCounts({ sampleRateHz: 30000, spikeTrains: [f64([5, 1])] })).toThrow(/sorted/);
    const many = Array.from({ length: 21 }, () => f64([1]));
    expect(() => correlogramCounts({ sampleRateHz: 30000, spikeTrains: many })).toThrow(/auto-only/);
    expect(correlogramCounts({ sampleRateHz: 30000, spikeTrains: many, pairs: 'auto-only' }).binCounts.length).toBe(21 * 51);
  });

  it('bin centres are the 2021 linspace(-25, 25, 51)', () => {
    const b = correlogramBinCentresMs(51);
    expect([b[0], b[1], b[25], b[50]]).toEqual([-25, -24, 0, 25]);
  });
});

describe('parity with the numpy shift loop (test/oracles/spike_trains.py)', () => {
  type Case = { name: string; trains: Float64Array[]; sampleRateHz: number; binSizeSec: number; windowSizeSec: number; secondsRoundTrip: boolean; removeAcgPeaks: boolean };
  const cases: Case[] = [];
  const add = (name: string, trains: Float64Array[], sampleRateHz: number, extra: Partial<Case> = {}) =>
    cases.push({ name, trains, sampleRateHz, binSizeSec: 0.001, windowSizeSec: 0.05, secondsRoundTrip: true, removeAcgPeaks: false, ...extra });
  for (const seed of [1, 2]) add(`edge cases seed ${seed}`, edgeCaseSorting(seed).trains, 30000);
  add('edge cases at 20 kHz', edgeCaseSorting(4, 40, 20000).trains, 20000);
  add('edge cases at 24414.0625 Hz', edgeCaseSorting(5, 40, 24414.0625).trains, 24414.0625);
  add('edge cases, no round trip, ACG peaks removed', edgeCaseSorting(6).trains, 30000, { secondsRoundTrip: false, removeAcgPeaks: true });
  add('20 random units, 60 s', randomSorting(8, 20, 60).trains, 30000);
  add('2 ms bins / 100 ms window', randomSorting(9, 6, 60).trains, 30000, { binSizeSec: 0.002, windowSizeSec: 0.1 });
  add('0.5 ms bins / 21 ms window at 32 kHz', edgeCaseSorting(10, 30, 32000).trains, 32000, { binSizeSec: 0.0005, windowSizeSec: 0.021 });

  const rng = seededRandom(11);
  const labeled = { frames: Float64Array.from({ length: 4000 }, () => Math.floor(rng() * 90000)).sort(), labels: Int32Array.from({ length: 4000 }, () => Math.floor(rng() * 4)) };

  let results: { shape: number[]; counts: number[] }[] = [];
  beforeAll(() => {
    results = runOracle('spike_trains', [
      ...cases.flatMap((c) => (['all', 'auto-only'] as const).map((pairs) => ({
        op: 'ccg_trains', trains: c.trains, pairs, sample_rate: c.sampleRateHz, bin_size: c.binSizeSec, window_size: c.windowSizeSec,
        seconds_roundtrip: c.secondsRoundTrip, remove_acg_peaks: c.removeAcgPeaks,
      }))),
      ...[true, false].map((symmetrize) => ({
        op: 'ccg_labeled', spike_frames: labeled.frames, spike_labels: labeled.labels, cluster_ids: [0, 1, 2, 3],
        sample_rate: 30000, bin_size: 0.001, window_size: 0.05, symmetrize,
      })),
    ]);
  });

  cases.forEach((c, ci) => {
    (['all', 'auto-only'] as const).forEach((pairs, pi) => {
      it(`${c.name} (${pairs})`, () => {
        const r = correlogramCounts({ ...c, spikeTrains: c.trains, pairs });
        const o = results[ci * 2 + pi];
        expect(o.shape).toEqual(pairs === 'all' ? [c.trains.length, c.trains.length, r.nBins] : [c.trains.length, r.nBins]);
        expect(Array.from(r.binCounts)).toEqual(o.counts);
        expect(o.counts.some((x) => x > 0)).toBe(true);
      });
    });
  });

  it('a labelled array with many cross-unit ties, in its given order (symmetrized and not)', () => {
    [true, false].forEach((symmetrize, k) => {
      const r = labeledCorrelograms({ sampleRateHz: 30000, spikeFrames: labeled.frames, spikeLabels: labeled.labels, numUnits: 4, symmetrize });
      expect(Array.from(r.binCounts)).toEqual(results[cases.length * 2 + k].counts);
    });
  });

  it('merging trains keeps the lower unit first on equal frames (the pinned tie order)', () => {
    const m = mergeTrains([f64([5, 7]), f64([5]), f64([1, 5])]);
    expect(Array.from(m.frames)).toEqual([1, 5, 5, 5, 7]);
    expect(Array.from(m.labels)).toEqual([2, 0, 1, 2, 0]);
  });
});

describe('the block-scan kernel equals the plain pair loop (forwardPairCounts over phylibSamples)', () => {
  // The kernel skips the seconds conversion for spikes >= limit + 4 frames after their predecessor
  // and works in blocks of 4096 spikes; these trains put gaps right at that margin, at the window
  // edge, across block boundaries, and frames where the round trip moves a spike a sample.
  const rng = seededRandom(12);
  const gapTrain = (n: number, first: number, limit: number, fraction = 0) => {
    const out = new Float64Array(n);
    let t = first;
    for (let i = 0; i < n; i++) {
      out[i] = t + fraction;
      const r = rng();
      t += r < 0.15 ? 0 : r < 0.3 ? Math.floor(rng() * 40) : r < 0.7 ? limit - 8 + Math.floor(rng() * 17) : Math.floor(rng() * 3 * limit);
    }
    return out;
  };
  const plain = (frames: Float64Array, labels: Int32Array, K: number, p: CorrelogramParams) =>
    forwardPairCounts(phylibSamples(frames, p.sampleRateHz, p.secondsRoundTrip ?? true), labels, K, phylibBinning(p));
  const cases: { name: string; p: CorrelogramParams; first: number; fraction?: number }[] = [
    { name: '30 kHz', p: { sampleRateHz: 30000 }, first: 0 },
    { name: '30 kHz, no round trip', p: { sampleRateHz: 30000, secondsRoundTrip: false }, first: 7 },
    { name: '24414.0625 Hz, 2 ms / 100 ms', p: { sampleRateHz: 24414.0625, binSizeSec: 0.002, windowSizeSec: 0.1 }, first: 123456789 },
    { name: '20 kHz from a negative frame', p: { sampleRateHz: 20000 }, first: -300000 },
    { name: '32 kHz, 0.5 ms / 21 ms, fractional frames', p: { sampleRateHz: 32000, binSizeSec: 0.0005, windowSizeSec: 0.021 }, first: 1000, fraction: 0.5 },
    { name: '30 kHz near 2^51 (fast path, round trip moves frames)', p: { sampleRateHz: 30000 }, first: 2 ** 51 - 3e7 },
    { name: '30 kHz beyond 2^51 (direct loop)', p: { sampleRateHz: 30000 }, first: 2 ** 52 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const limit = (phylibBinning(c.p).halfBins + 1) * phylibBinning(c.p).binSizeSamples;
      const frames = gapTrain(c.first >= 2 ** 52 ? 3000 : 12000, c.first, limit, c.fraction);
      expect(Array.from(frames).every((f, i) => i === 0 || f >= frames[i - 1])).toBe(true);
      const zeros = new Int32Array(frames.length);
      const expected = plain(frames, zeros, 1, c.p);
      expect(expected.some((x, k) => k > 0 && x > 0)).toBe(true);
      expect(labeledCorrelograms({ ...c.p, spikeFrames: frames, spikeLabels: zeros, numUnits: 1, symmetrize: false }).binCounts).toEqual(expected);
      const acg = autocorrelogramCounts(frames, c.p).binCounts;
      const h = expected.length - 1;
      expect(Array.from(acg)).toEqual([...Array.from(expected.subarray(1)).reverse(), ...expected]);
      expect(acg[h]).toBe(expected[0]);
      const labels = Int32Array.from(frames, () => Math.floor(rng() * 3));
      expect(labeledCorrelograms({ ...c.p, spikeFrames: frames, spikeLabels: labels, numUnits: 3, symmetrize: false }).binCounts).toEqual(plain(frames, labels, 3, c.p));
    });
  }

  it('infinite frames count nothing, as in the plain loop', () => {
    const frames = f64([-Infinity, -Infinity, 0, 10, 10, 700, Infinity, Infinity]);
    const zeros = new Int32Array(frames.length);
    const p = { sampleRateHz: 30000 };
    const expected = plain(frames, zeros, 1, p);
    expect(expected.reduce((a, b) => a + b, 0)).toBe(6);
    expect(labeledCorrelograms({ ...p, spikeFrames: frames, spikeLabels: zeros, numUnits: 1, symmetrize: false }).binCounts).toEqual(expected);
  });

  it('finds an unsorted spike anywhere (inside a block, at a block boundary, NaN, a large step back)', () => {
    const base = Float64Array.from({ length: 10000 }, (_, i) => i * 1000);
    const broken: Float64Array[] = [];
    for (const at of [3, 4095, 4096, 4097, 8191, 9999]) {
      const small = base.slice(); small[at] = small[at - 1] - 1; broken.push(small); // a step back of 1 frame
      const nan = base.slice(); nan[at] = NaN; broken.push(nan);
      const big = base.slice(); big[at] = 0; broken.push(big);
    }
    broken.push(f64([NaN, 5]), f64([5, NaN]), f64([5, 4]));
    for (const t of broken) {
      expect(autocorrelogramCountsIfSorted(t, { sampleRateHz: 30000 })).toBeNull();
      expect(() => autocorrelogramCounts(t, { sampleRateHz: 30000 })).toThrow(SpikeTrainInputError);
      expect(() => correlogramCounts({ sampleRateHz: 30000, spikeTrains: [f64([1]), t], pairs: 'auto-only' })).toThrow(/unit index 1.*sorted|unit index 1.*finite/);
      expect(() => labeledCorrelograms({ sampleRateHz: 30000, spikeFrames: t, spikeLabels: new Int32Array(t.length), numUnits: 1 })).toThrow(SpikeTrainInputError);
    }
    expect(autocorrelogramCountsIfSorted(base, { sampleRateHz: 30000 })).not.toBeNull();
  });

  it('fetch_correlogram_plot_data still sorts an unsorted unit train (the kernel refuses, then selectionTrain sorts)', () => {
    const sorted = f64([0, 10, 10, 25, 40, 700, 2000, 2030]);
    const shuffled = f64([2030, 10, 0, 700, 40, 10, 2000, 25]);
    const r = correlogramPlotData({ spikeTrains: new Map([[4, shuffled]]), sampleRateHz: 30000, unitX: 4, unitY: null, subsample: false });
    expect(r.bin_counts).toEqual(autocorrelogramCounts(sorted, { sampleRateHz: 30000 }).binCounts);
    expect(Array.from(shuffled)).toEqual([2030, 10, 0, 700, 40, 10, 2000, 25]); // not sorted in place
  });
});
