import { z } from 'zod';
import { MAX_FIRING_RATE_BINS } from '../../kernels/spikeTrains/firing';
import { MAX_ISI_HISTOGRAM_BINS } from '../../kernels/spikeTrains/isi';
import type { NdArray } from '../../protocol/ndarray';
import { sortingsCost } from '../cost';
import { ndarrayOf, requestOf, type TaskContract } from '../contract';
import { dataUriSchema, unitKwarg, unitSelectionSchema, type SortingRef, type UnitSelection } from './kwargs';

/** Histograms of one unit's spike train (issue 18 item 5): only the sorting is read, as for the correlograms. */

export const DEFAULT_ISI_BIN_SIZE_MSEC = 0.5;
export const DEFAULT_MAX_ISI_MSEC = 50;

/** The maximum is a whole number of bins, at most MAX_ISI_HISTOGRAM_BINS (the kernel's isiHistogramNumBins). */
const wholeBins = (bin: number, max: number) => {
  const n = Math.round(max / bin);
  return n >= 1 && n <= MAX_ISI_HISTOGRAM_BINS && Math.abs(n * bin - max) <= 1e-9 * max;
};

const isiKwargs = z.object({
  sorting_uri: dataUriSchema,
  unit_id: unitSelectionSchema,
  bin_size_msec: z.number().finite().positive().max(1000).optional(),
  max_isi_msec: z.number().finite().positive().max(10_000).optional(),
}).strict().refine((k) => wholeBins(k.bin_size_msec ?? DEFAULT_ISI_BIN_SIZE_MSEC, k.max_isi_msec ?? DEFAULT_MAX_ISI_MSEC), {
  message: `max_isi_msec must be a whole number of bins (bin_size_msec), at most ${MAX_ISI_HISTOGRAM_BINS}`, path: ['max_isi_msec'],
});

export interface IsiHistogramResult {
  bin_counts: NdArray<'int32'>; bin_size_msec: number; max_isi_msec: number; num_spikes: number; num_isis: number; num_above: number;
}

/**
 * sortingview.fetch_isi_histogram.1 `{sorting_uri, unit_id, bin_size_msec?, max_isi_msec?}` →
 * `{bin_counts i32[n], bin_size_msec, max_isi_msec, num_spikes, num_isis, num_above}`: the unit's
 * inter-spike intervals in bins [k·b, (k+1)·b) ms up to max_isi_msec (defaults 0.5 ms to 50 ms;
 * `num_above` ISIs are beyond). A merge group's train is the union of its units' (a spike of one
 * member close to another's is a short ISI, as after the merge).
 */
export const isiHistogramContract: TaskContract<z.infer<typeof isiKwargs>, IsiHistogramResult> = {
  functionId: 'sortingview.fetch_isi_histogram.1',
  kind: 'pure',
  relayCost: sortingsCost(1),
  kwargs: isiKwargs,
  result: z.object({
    bin_counts: ndarrayOf('int32', 1), bin_size_msec: z.number(), max_isi_msec: z.number(),
    num_spikes: z.number(), num_isis: z.number(), num_above: z.number(),
  }),
};

/** The ISI histogram the GUI shows (defaults omitted: 0.5 ms bins to 50 ms). */
export const isiHistogramRequest = (ref: Pick<SortingRef, 'sortingUri'>, unit: UnitSelection, o: { binSizeMsec?: number; maxIsiMsec?: number } = {}) =>
  requestOf(isiHistogramContract, {
    sorting_uri: ref.sortingUri, unit_id: unitKwarg(unit),
    ...(o.binSizeMsec !== undefined && o.binSizeMsec !== DEFAULT_ISI_BIN_SIZE_MSEC ? { bin_size_msec: o.binSizeMsec } : {}),
    ...(o.maxIsiMsec !== undefined && o.maxIsiMsec !== DEFAULT_MAX_ISI_MSEC ? { max_isi_msec: o.maxIsiMsec } : {}),
  });

/** About 50 bins over the recording: the smallest of 1, 2, 5 × 10^k s (≥ 10 ms) that is at least durationSec / 50. */
export function defaultFiringRateBinSec(durationSec: number): number {
  const raw = Math.max(0.01, durationSec / 50);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw * (1 - 1e-12)) ?? 10 * mag;
  return Number(step.toPrecision(12));
}

const firingKwargs = z.object({
  sorting_uri: dataUriSchema,
  unit_id: unitSelectionSchema,
  duration_sec: z.number().finite().positive(),
  bin_size_sec: z.number().finite().positive().optional(),
}).strict().refine((k) => k.duration_sec / (k.bin_size_sec ?? defaultFiringRateBinSec(k.duration_sec)) <= MAX_FIRING_RATE_BINS, {
  message: `duration_sec / bin_size_sec must be at most ${MAX_FIRING_RATE_BINS} bins`, path: ['bin_size_sec'],
});

export interface FiringRateResult {
  edges_sec: NdArray<'float64'>; counts: NdArray<'int32'>; rates_hz: NdArray<'float32'>; bin_size_sec: number; num_spikes: number;
}

/**
 * sortingview.fetch_firing_rate.1 `{sorting_uri, unit_id, duration_sec, bin_size_sec?}` →
 * `{edges_sec f64[n+1], counts i32[n], rates_hz f32[n], bin_size_sec, num_spikes}`: the unit's spikes
 * per second in bins of bin_size_sec over [0, duration_sec) (the recording's num_frames / sampling
 * frequency, as fetch_raster's end_sec); the last bin takes the remainder (kernel firingRateOverTime).
 * bin_size_sec absent: defaultFiringRateBinSec(duration_sec), about 50 bins.
 */
export const firingRateContract: TaskContract<z.infer<typeof firingKwargs>, FiringRateResult> = {
  functionId: 'sortingview.fetch_firing_rate.1',
  kind: 'pure',
  relayCost: sortingsCost(1),
  kwargs: firingKwargs,
  result: z.object({
    edges_sec: ndarrayOf('float64', 1), counts: ndarrayOf('int32', 1), rates_hz: ndarrayOf('float32', 1), bin_size_sec: z.number(), num_spikes: z.number(),
  }),
};

/** A unit's firing rate over the whole recording; `binSizeSec` omitted at its default for this duration. */
export const firingRateRequest = (ref: Pick<SortingRef, 'sortingUri'>, unit: UnitSelection, durationSec: number, binSizeSec?: number) =>
  requestOf(firingRateContract, {
    sorting_uri: ref.sortingUri, unit_id: unitKwarg(unit), duration_sec: durationSec,
    ...(binSizeSec !== undefined && binSizeSec !== defaultFiringRateBinSec(durationSec) ? { bin_size_sec: binSizeSec } : {}),
  });
