import { beforeAll, describe, expect, it } from 'vitest';
import { correlogramBinCentresMs, correlogramCounts, labeledCorrelograms, phylibBinning, phylibSamples } from './ccg';
import { runOracle } from './testing/oracle';
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
    results = runOracle([
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
