import { describe, expect, it } from 'vitest';
import { rasterData, selectionTrain } from '../../kernels/spikeTrains';
import { rasterTask } from './raster';
import { runRounds, SORTING_URI, testDataset } from './testing/fakeRelay';

const data = testDataset();

describe('sortingview.fetch_raster.1', () => {
  it('one round (the sorting); equals rasterData over [start_sec, end_sec) in frames, default every unit', async () => {
    const { result, rounds } = await runRounds(rasterTask, { sorting_uri: SORTING_URI, start_sec: 0, end_sec: 1.5 }, data.relay);
    expect(rounds).toEqual([[{ type: 'sorting', sorting: SORTING_URI }]]);
    const ref = rasterData({ spikeTrains: [...data.trainsNarrow.values()], sampleRateHz: 30000, startFrame: 0, endFrame: 45_000 });
    const r = result as { unit_ids: number[]; times_sec: { data: Float64Array }; unit_indices: { data: Int32Array }; total_spikes: number; stride: number };
    expect(r.unit_ids).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(r.times_sec.data).toEqual(ref.timesSec);
    expect(r.unit_indices.data).toEqual(ref.unitIndices);
    expect(r.total_spikes).toBe(ref.totalSpikes);
    expect(r.stride).toBe(1);
    // Spikes at frame 0 and the last frame are in the raster.
    expect(Array.from(r.times_sec.data)).toContain(0);
    expect(Array.from(r.times_sec.data)).toContain(44_999 / 30000);
  });

  it('merge groups, a window, thinning to max_spikes', async () => {
    const { result } = await runRounds(rasterTask, { sorting_uri: SORTING_URI, start_sec: 0.2, end_sec: 0.9, unit_ids: [[1, 2], 6], max_spikes: 50 }, data.relay);
    const trains = [selectionTrain(data.trainsNarrow, [1, 2]), data.trainsNarrow.get(6)!];
    const ref = rasterData({ spikeTrains: trains, sampleRateHz: 30000, startFrame: 6000, endFrame: 27_000, maxSpikes: 50 });
    const r = result as { times_sec: { data: Float64Array }; stride: number; total_spikes: number };
    expect(r.times_sec.data).toEqual(ref.timesSec);
    expect(r.times_sec.data.length).toBeLessThanOrEqual(50);
    expect(r.stride).toBeGreaterThan(1);
  });

  it.each([
    ['end before start', { sorting_uri: SORTING_URI, start_sec: 2, end_sec: 1 }],
    ['an empty window', { sorting_uri: SORTING_URI, start_sec: 1, end_sec: 1 }],
    ['a negative start', { sorting_uri: SORTING_URI, start_sec: -1, end_sec: 1 }],
    ['max_spikes over the cap', { sorting_uri: SORTING_URI, start_sec: 0, end_sec: 1, max_spikes: 2_000_000 }],
    ['max_spikes 0', { sorting_uri: SORTING_URI, start_sec: 0, end_sec: 1, max_spikes: 0 }],
    ['no end_sec', { sorting_uri: SORTING_URI, start_sec: 0 }],
  ])('refuses %s', (_, kw) => expect(rasterTask.kwargs.safeParse(kw).success).toBe(false));
});
