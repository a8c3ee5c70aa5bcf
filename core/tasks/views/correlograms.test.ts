import { describe, expect, it } from 'vitest';
import { correlogramPlotData } from '../../kernels/spikeTrains';
import { correlogramMatrixTask, correlogramTask } from './correlograms';
import { runRounds, SORTING_URI, testDataset } from './testing/fakeRelay';

const data = testDataset();
const LONG_URI = `sha1://${'77'.repeat(20)}/long.json`;
// A long sorting (4000 s at 30 kHz) where 2021's subsampling applies.
const relay = data.relay;
{
  const trains = [1, 2].map((u) => Float64Array.from({ length: 8000 }, (_, i) => i * 15_000 + (u === 2 ? 90 + (i % 5) * 30 : (i * 7919) % 600)));
  relay.sortings.set(LONG_URI, { sampleRateHz: 30000, unitIds: [1, 2], trains });
}

const plain = (r: unknown) => {
  const o = r as { bins: { data: Float32Array }; bin_counts: { data: Int32Array; shape: number[] }; bin_size_sec: number };
  return { bins: o.bins.data, bin_counts: o.bin_counts.data, bin_size_sec: o.bin_size_sec };
};

describe('fetch_correlogram_plot_data.6', () => {
  it.each([
    ['autocorrelogram (unit_y null)', { unit_x: 1, unit_y: null }, { unitX: 1, unitY: null }],
    ['autocorrelogram (unit_y absent)', { unit_x: 6 }, { unitX: 6, unitY: null }],
    ['cross-correlogram', { unit_x: 1, unit_y: 2 }, { unitX: 1, unitY: 2 }],
    ['merge groups', { unit_x: [1, 2], unit_y: [6] }, { unitX: [1, 2], unitY: [6] }],
    ['an empty unit', { unit_x: 3, unit_y: 1 }, { unitX: 3, unitY: 1 }],
  ])('%s: one round (the sorting), exactly correlogramPlotData', async (_, kw, args) => {
    const { result, rounds } = await runRounds(correlogramTask, { sorting_uri: SORTING_URI, ...kw, subsample: false }, relay);
    expect(rounds).toEqual([[{ type: 'sorting', sorting: SORTING_URI }]]);
    expect(plain(result)).toEqual(correlogramPlotData({ spikeTrains: data.trainsNarrow, sampleRateHz: 30000, subsample: false, ...args }));
    expect((result as { bins: { shape: number[] } }).bins.shape).toEqual([51]);
  });

  it('subsample: 2021 windows on a long sorting; absent means false', async () => {
    const sorting = relay.sortings.get(LONG_URI)!;
    const trains = new Map(sorting.unitIds.map((u, i) => [u, sorting.trains[i]]));
    const on = await runRounds(correlogramTask, { sorting_uri: LONG_URI, unit_x: 1, unit_y: 2, subsample: true }, relay);
    const off = await runRounds(correlogramTask, { sorting_uri: LONG_URI, unit_x: 1, unit_y: 2 }, relay);
    expect(plain(on.result)).toEqual(correlogramPlotData({ spikeTrains: trains, sampleRateHz: 30000, unitX: 1, unitY: 2, subsample: true }));
    expect(plain(off.result)).toEqual(correlogramPlotData({ spikeTrains: trains, sampleRateHz: 30000, unitX: 1, unitY: 2, subsample: false }));
    expect(plain(on.result).bin_counts).not.toEqual(plain(off.result).bin_counts);
  });

  it('an unknown unit is a task error naming the units', async () => {
    await expect(runRounds(correlogramTask, { sorting_uri: SORTING_URI, unit_x: 1, unit_y: 42, subsample: false }, relay)).rejects.toThrow(/Unit 42 is not in the sorting \(it has 7 units/);
  });

  it.each([
    ['no unit_x', { sorting_uri: SORTING_URI, unit_y: null, subsample: false }],
    ['a string unit', { sorting_uri: SORTING_URI, unit_x: '1', subsample: false }],
    ['subsample as a string', { sorting_uri: SORTING_URI, unit_x: 1, subsample: 'true' }],
    ['a sorting object instead of a URI (2021 kwargs)', { sorting_object: { sorting_format: 'mda' }, unit_x: 1, subsample: false }],
  ])('refuses %s', (_, kw) => expect(correlogramTask.kwargs.safeParse(kw).success).toBe(false));
});

describe('sortingview.fetch_correlogram_matrix.1', () => {
  it('C[i][j] equals fetch_correlogram_plot_data.6 (x = i, y = j) for i < j, autocorrelograms on the diagonal', async () => {
    const unitIds = [1, 2, [1, 2], 6, 3];
    const { result, rounds } = await runRounds(correlogramMatrixTask, { sorting_uri: SORTING_URI, unit_ids: unitIds, subsample: false }, relay);
    expect(rounds).toEqual([[{ type: 'sorting', sorting: SORTING_URI }]]);
    const r = plain(result);
    const K = unitIds.length;
    expect((result as { bin_counts: { shape: number[] } }).bin_counts.shape).toEqual([K, K, 51]);
    for (let i = 0; i < K; i++) {
      for (let j = i; j < K; j++) {
        const pd = correlogramPlotData({ spikeTrains: data.trainsNarrow, sampleRateHz: 30000, unitX: unitIds[i], unitY: i === j ? null : unitIds[j], subsample: false });
        expect(Array.from(r.bin_counts.subarray((i * K + j) * 51, (i * K + j + 1) * 51))).toEqual(Array.from(pd.bin_counts));
        if (i === 0 && j === 0) expect(r.bins).toEqual(pd.bins);
      }
    }
    expect(result).toMatchObject({ unit_ids: unitIds, bin_size_sec: 0.001, subsampled: false });
  });

  it('subsample absent = true: the windows of .6', async () => {
    const { result } = await runRounds(correlogramMatrixTask, { sorting_uri: LONG_URI, unit_ids: [1, 2] }, relay);
    const sorting = relay.sortings.get(LONG_URI)!;
    const trains = new Map(sorting.unitIds.map((u, i) => [u, sorting.trains[i]]));
    expect(result).toMatchObject({ subsampled: true });
    const pd = correlogramPlotData({ spikeTrains: trains, sampleRateHz: 30000, unitX: 1, unitY: 2, subsample: true });
    expect(Array.from(plain(result).bin_counts.subarray(51, 102))).toEqual(Array.from(pd.bin_counts));
  });

  it.each([
    ['21 units', { sorting_uri: SORTING_URI, unit_ids: Array.from({ length: 21 }, (_, i) => i) }],
    ['no units', { sorting_uri: SORTING_URI, unit_ids: [] }],
    ['unit_ids absent', { sorting_uri: SORTING_URI }],
    ['an empty merge group', { sorting_uri: SORTING_URI, unit_ids: [1, []] }],
  ])('refuses %s', (_, kw) => expect(correlogramMatrixTask.kwargs.safeParse(kw).success).toBe(false));
});

