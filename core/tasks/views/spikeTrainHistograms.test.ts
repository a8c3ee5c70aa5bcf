import { describe, expect, it } from 'vitest';
import { firingRateOverTime, isiHistogram, selectionTrain } from '../../kernels/spikeTrains';
import { defaultFiringRateBinSec, firingRateRequest, isiHistogramRequest } from '../contracts/spikeTrainHistograms';
import { firingRateTask, isiHistogramTask } from './spikeTrainHistograms';
import { runRounds, SORTING_URI, testDataset } from './testing/fakeRelay';

const data = testDataset();
const relay = data.relay;
const ref = { sortingUri: SORTING_URI };
type Isi = { bin_counts: { data: Int32Array; shape: number[] }; bin_size_msec: number; max_isi_msec: number; num_spikes: number; num_isis: number; num_above: number };
type Rate = { edges_sec: { data: Float64Array }; counts: { data: Int32Array }; rates_hz: { data: Float32Array }; bin_size_sec: number; num_spikes: number };

describe('sortingview.fetch_isi_histogram.1', () => {
  it.each<[string, number | number[], { binSizeMsec?: number; maxIsiMsec?: number }, number, number]>([
    ['a unit at the defaults (0.5 ms bins to 50 ms)', 6, {}, 0.5, 50],
    ['a merge group in 1 ms bins to 100 ms', [1, 2], { binSizeMsec: 1, maxIsiMsec: 100 }, 1, 100],
    ['an empty unit', 3, {}, 0.5, 50],
  ])('%s: one round (the sorting), exactly the kernel on the selection\'s train', async (_, unit, o, bin, max) => {
    const req = isiHistogramRequest(ref, unit, o);
    const { result, rounds } = await runRounds(isiHistogramTask, req.kwargs, relay);
    expect(rounds).toEqual([[{ type: 'sorting', sorting: SORTING_URI }]]);
    const r = result as Isi;
    const train = selectionTrain(data.trainsNarrow, unit);
    const h = isiHistogram(train, { sampleRateHz: 30000, binSizeMsec: bin, maxIsiMsec: max });
    expect(r.bin_counts.shape).toEqual([Math.round(max / bin)]);
    expect(Array.from(r.bin_counts.data)).toEqual(Array.from(h.binCounts));
    expect(r).toMatchObject({ bin_size_msec: bin, max_isi_msec: max, num_spikes: train.length, num_isis: h.numIsis, num_above: h.numAbove });
    expect(r.num_isis).toBe(Math.max(0, train.length - 1));
  });

  it('a merge group\'s near-coincident spikes are short ISIs (units 1 and 2 share frames 10 000 and 20 000)', async () => {
    const r = (await runRounds(isiHistogramTask, isiHistogramRequest(ref, [1, 2]).kwargs, relay)).result as Isi;
    expect(r.bin_counts.data[0]).toBeGreaterThanOrEqual(3); // 10 000 twice, 20 000 twice, 20 001
  });

  it('requests omit the defaults; bad kwargs are refused; an unknown unit is a task error', async () => {
    expect(isiHistogramRequest(ref, 4).kwargs).toEqual({ sorting_uri: SORTING_URI, unit_id: 4 });
    expect(isiHistogramRequest(ref, [7, 2], { binSizeMsec: 0.5, maxIsiMsec: 20 }).kwargs).toEqual({ sorting_uri: SORTING_URI, unit_id: [2, 7], max_isi_msec: 20 });
    for (const bad of [{ bin_size_msec: 0.3, max_isi_msec: 1 }, { bin_size_msec: 0.001 }, { bin_size_msec: -1 }, { extra: 1 }]) {
      expect(isiHistogramTask.kwargs.safeParse({ sorting_uri: SORTING_URI, unit_id: 1, ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
    await expect(runRounds(isiHistogramTask, { sorting_uri: SORTING_URI, unit_id: 42 }, relay)).rejects.toThrow(/Unit 42 is not in the sorting/);
  });
});

describe('sortingview.fetch_firing_rate.1', () => {
  it.each<[string, number | number[], number | undefined]>([
    ['a unit, the default bins for 1.5 s', 6, undefined],
    ['a merge group in 0.25 s bins', [1, 2], 0.25],
    ['a unit with spikes on the first and last frames', 7, 0.1],
  ])('%s: one round, exactly the kernel', async (_, unit, bin) => {
    const durationSec = 45_000 / 30000;
    const req = firingRateRequest(ref, unit, durationSec, bin);
    const { result, rounds } = await runRounds(firingRateTask, req.kwargs, relay);
    expect(rounds).toEqual([[{ type: 'sorting', sorting: SORTING_URI }]]);
    const r = result as Rate;
    const train = selectionTrain(data.trainsNarrow, unit);
    const binSizeSec = bin ?? defaultFiringRateBinSec(durationSec);
    const k = firingRateOverTime(train, { sampleRateHz: 30000, durationSec, binSizeSec });
    expect(Array.from(r.counts.data)).toEqual(Array.from(k.counts));
    expect(Array.from(r.edges_sec.data)).toEqual(Array.from(k.edgesSec));
    expect(Array.from(r.rates_hz.data)).toEqual(Array.from(Float32Array.from(k.ratesHz)));
    expect(r).toMatchObject({ bin_size_sec: binSizeSec, num_spikes: train.length });
    expect(r.counts.data.reduce((a, b) => a + b, 0)).toBe(train.length); // every spike lies in the recording
  });

  it('about 50 default bins, omitted from requests; bad kwargs are refused', () => {
    expect([0.5, 4, 10, 60, 600, 3600, 7200].map(defaultFiringRateBinSec)).toEqual([0.01, 0.1, 0.2, 2, 20, 100, 200]);
    expect(firingRateRequest(ref, 3, 4).kwargs).toEqual({ sorting_uri: SORTING_URI, unit_id: 3, duration_sec: 4 });
    expect(firingRateRequest(ref, 3, 4, 0.1).kwargs).toEqual({ sorting_uri: SORTING_URI, unit_id: 3, duration_sec: 4 });
    expect(firingRateRequest(ref, 3, 4, 1).kwargs).toEqual({ sorting_uri: SORTING_URI, unit_id: 3, duration_sec: 4, bin_size_sec: 1 });
    for (const bad of [{ duration_sec: 0 }, { duration_sec: 3600, bin_size_sec: 0.001 }, { duration_sec: 10, bin_size_sec: 0 }, { duration_sec: 10, extra: 1 }]) {
      expect(firingRateTask.kwargs.safeParse({ sorting_uri: SORTING_URI, unit_id: 1, ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
