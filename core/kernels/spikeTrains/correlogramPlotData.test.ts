import { beforeAll, describe, expect, it } from 'vitest';
import { correlogramCounts } from './ccg';
import { correlogramPlotData, correlogramSubsampleWindows, restrictToWindows, sameSelection } from './correlogramPlotData';
import { runOracle } from '../../../test/oracles/runOracle';
import { asSortingMap, edgeCaseSorting, poissonTrain, seededRandom } from './testing/sortings';
import { SpikeTrainInputError } from './trains';
import type { UnitSelection } from './trains';

const f64 = (xs: number[]) => Float64Array.from(xs);

describe('fetch_correlogram_plot_data.6 shape and selection rules', () => {
  const trains = new Map([[1, f64([0, 100, 130, 5000])], [2, f64([100, 131, 4000])], [3, new Float64Array(0)]]);
  const base = { spikeTrains: trains, sampleRateHz: 30000, subsample: false };

  it('returns bins in ms (-25..25, float32), int32 counts and bin_size_sec 0.001', () => {
    const r = correlogramPlotData({ ...base, unitX: 1, unitY: null });
    expect(r.bins).toBeInstanceOf(Float32Array);
    expect(r.bin_counts).toBeInstanceOf(Int32Array);
    expect([r.bins.length, r.bins[0], r.bins[25], r.bins[50], r.bin_size_sec]).toEqual([51, -25, 0, 25, 0.001]);
  });

  it('an autocorrelogram equals the unit row of the kernel', () => {
    const r = correlogramPlotData({ ...base, unitX: 1, unitY: null });
    expect(r.bin_counts).toEqual(correlogramCounts({ sampleRateHz: 30000, spikeTrains: [trains.get(1)!], pairs: 'auto-only' }).binCounts);
  });

  it('a cross-correlogram is C[x, y]: positive lags mean y after x', () => {
    const xy = correlogramPlotData({ ...base, unitX: 1, unitY: 2 }).bin_counts;
    // (100 → 100) tie and (130 → 131) lag 1 → centre; (100 → 131) lag 31 → +1; (100 ← 130) lag 30 → -1;
    // (0 → 100) lag 100 → +3; (0 → 131) → +4.
    expect([xy[24], xy[25], xy[26], xy[28], xy[29]]).toEqual([1, 2, 1, 1, 1]);
    expect(xy.reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('quirk: with simultaneous spikes, swapping x and y is not a pure reversal (centre = max(X + ties, Y))', () => {
    const xy = correlogramPlotData({ ...base, unitX: 1, unitY: 2 }).bin_counts;
    const yx = correlogramPlotData({ ...base, unitX: 2, unitY: 1 }).bin_counts;
    // Ties go to C[x, y, 0] (x first). x=1: max(1 tie + 1, 0) = 2. x=2: max(1 tie, 1) = 1.
    expect([xy[25], yx[25]]).toEqual([2, 1]);
    expect(Array.from(xy).filter((_, k) => k !== 25)).toEqual(Array.from(yx).reverse().filter((_, k) => k !== 25));
  });

  it('Python equality decides auto vs cross: 3 == 3 and [1,2] == [1,2], but 1 != [1] and [1,2] != [2,1]', () => {
    expect([sameSelection(3, 3), sameSelection([1, 2], [1, 2]), sameSelection(1, [1]), sameSelection([1, 2], [2, 1])]).toEqual([true, true, false, false]);
    const auto = correlogramPlotData({ ...base, unitX: 1, unitY: 1 }).bin_counts;
    const self = correlogramPlotData({ ...base, unitX: 1, unitY: [1] }).bin_counts;
    // The cross-correlogram of a train with itself counts each spike with its own copy in the centre bin.
    expect(self[25] - auto[25]).toBe(4);
    expect(Array.from(self).filter((_, k) => k !== 25)).toEqual(Array.from(auto).filter((_, k) => k !== 25));
  });

  it('a merge group is the union of its units, duplicates kept; empty units are fine', () => {
    const merged = correlogramPlotData({ ...base, unitX: [1, 2, 3], unitY: null }).bin_counts;
    const union = f64([0, 100, 100, 130, 131, 4000, 5000]);
    expect(merged).toEqual(correlogramCounts({ sampleRateHz: 30000, spikeTrains: [union], pairs: 'auto-only' }).binCounts);
    expect(correlogramPlotData({ ...base, unitX: 3, unitY: null }).bin_counts.every((x) => x === 0)).toBe(true);
  });

  it('an unknown unit is an input error naming the unit', () => {
    expect(() => correlogramPlotData({ ...base, unitX: 9, unitY: null })).toThrow(SpikeTrainInputError);
    expect(() => correlogramPlotData({ ...base, unitX: 1, unitY: [2, 9] })).toThrow(/unit 9/);
  });
});

describe('subsampling (subsample_sorting 0.1.5)', () => {
  const sr = 30000;
  const opts = { segmentSizeSec: 1, numSegments: 3 }; // segment 30000 frames, threshold 180000

  it('keeps the sorting whole unless the last spike is beyond 2 x numSegments x segment', () => {
    expect(correlogramSubsampleWindows(new Map([[1, f64([5, 180000])]]), sr, opts)).toBeNull();
    const w = correlogramSubsampleWindows(new Map([[1, f64([5, 180001])]]), sr, opts)!;
    expect(Array.from(w.startFrames)).toEqual([0, 60000, 120000]);
    expect(Array.from(w.endFrames)).toEqual([30000, 90000, 150000]);
  });

  it('looks at every unit, skips empty units, and leaves an all-empty sorting alone', () => {
    const w = correlogramSubsampleWindows(new Map([[1, new Float64Array(0)], [2, f64([10])], [3, f64([300000.7])]]), sr, opts)!;
    expect(Array.from(w.startFrames)).toEqual([0, 100000, 200000]);
    expect(correlogramSubsampleWindows(new Map([[1, new Float64Array(0)]]), sr, opts)).toBeNull();
  });

  it('windows are half-open [start, start + segment)', () => {
    const w = { startFrames: f64([0, 100]), endFrames: f64([10, 110]) };
    expect(Array.from(restrictToWindows(f64([0, 9, 10, 99, 100, 100, 109, 110, 500]), w))).toEqual([0, 9, 100, 100, 109]);
  });
});

describe('parity with genplot_autocorrelogram.py (numpy oracle)', () => {
  const s = edgeCaseSorting(21);
  const sorting = asSortingMap(s.trains); // ids 10, 13, 16, ...
  const id = (i: number) => 10 + 3 * i;
  const selections: [UnitSelection, UnitSelection | null][] = [
    [id(2), null], [id(4), null], [id(0), null], [id(1), null], [id(2), id(2)], [id(2), [id(2)]],
    [id(2), id(3)], [id(3), id(2)], [id(2), id(6)], [id(7), id(2)], [id(5), id(0)],
    [[id(2), id(3)], null], [[id(2), id(3)], [id(3), id(6)]], [[id(2), id(3)], [id(3), id(2)]], [[id(4), id(7)], [id(2)]],
  ];
  // A long, sparse sorting so the default subsampling (100 x 10 s, only beyond 2000 s) kicks in.
  const rng = seededRandom(22);
  const long = new Map([1, 2, 3].map((u) => [u, poissonTrain(rng, 2, 2300 * 30000, 30000)] as const));
  long.set(4, f64([0, 0, 29, 30, 59, 300000, 300001]));
  const longSelections: [UnitSelection, UnitSelection | null][] = [[1, null], [1, 2], [[1, 4], [2, 4]], [4, null]];
  const smallOpts = { segmentSizeSec: 2, numSegments: 4 };

  let results: { bins: number[]; bin_counts: number[]; bin_size_sec: number }[] = [];
  beforeAll(() => {
    results = runOracle('spike_trains', [
      ...selections.map(([x, y]) => ({ op: 'plot_data', trains: sorting, sample_rate: s.sampleRateHz, unit_x: x, unit_y: y, subsample: true })),
      ...longSelections.map(([x, y]) => ({ op: 'plot_data', trains: long, sample_rate: 30000, unit_x: x, unit_y: y, subsample: true })),
      ...selections.slice(0, 8).map(([x, y]) => ({
        op: 'plot_data', trains: sorting, sample_rate: s.sampleRateHz, unit_x: x, unit_y: y, subsample: true,
        segment_size_sec: smallOpts.segmentSizeSec, num_segments: smallOpts.numSegments,
      })),
    ]);
  });

  const check = (k: number, args: Parameters<typeof correlogramPlotData>[0]) => {
    const r = correlogramPlotData(args);
    const o = results[k];
    expect(Array.from(r.bin_counts)).toEqual(o.bin_counts);
    expect(Array.from(r.bins)).toEqual(o.bins);
    expect(r.bin_size_sec).toBe(o.bin_size_sec);
  };

  selections.forEach(([x, y], k) => {
    it(`unit_x=${JSON.stringify(x)} unit_y=${JSON.stringify(y)} (40 s: too short to subsample)`, () => {
      check(k, { spikeTrains: sorting, sampleRateHz: s.sampleRateHz, unitX: x, unitY: y, subsample: true });
    });
  });

  it('a 2300 s sorting subsampled to 100 x 10 s windows', () => {
    expect(correlogramSubsampleWindows(long, 30000)).not.toBeNull();
    longSelections.forEach(([x, y], k) => check(selections.length + k, { spikeTrains: long, sampleRateHz: 30000, unitX: x, unitY: y, subsample: true }));
  });

  it('the 40 s sorting subsampled to 4 x 2 s windows', () => {
    selections.slice(0, 8).forEach(([x, y], k) => check(selections.length + longSelections.length + k, {
      spikeTrains: sorting, sampleRateHz: s.sampleRateHz, unitX: x, unitY: y, subsample: true, subsampleOptions: smallOpts,
    }));
  });
});
