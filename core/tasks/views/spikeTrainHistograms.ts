import { firingRateOverTime, isiHistogram, selectionTrain } from '../../kernels/spikeTrains';
import { ndarray } from '../../protocol/ndarray';
import {
  DEFAULT_ISI_BIN_SIZE_MSEC, DEFAULT_MAX_ISI_MSEC, defaultFiringRateBinSec, firingRateContract, isiHistogramContract,
} from '../contracts/spikeTrainHistograms';
import { implement } from '../types';
import { checkSelection, loadSorting } from './common';

/**
 * Spike-train histograms (contracts/spikeTrainHistograms.ts): one round, the `sorting` chunk; no
 * recording data. Merge groups are the union of their units' spikes (selectionTrain).
 */

export const isiHistogramTask = implement(isiHistogramContract, async (k, ctx) => {
  const sorting = await loadSorting(ctx, k.sorting_uri);
  checkSelection(sorting, k.unit_id);
  const train = selectionTrain(sorting.trains, k.unit_id);
  const binSizeMsec = k.bin_size_msec ?? DEFAULT_ISI_BIN_SIZE_MSEC;
  const maxIsiMsec = k.max_isi_msec ?? DEFAULT_MAX_ISI_MSEC;
  const h = isiHistogram(train, { sampleRateHz: sorting.sampleRateHz, binSizeMsec, maxIsiMsec });
  return {
    bin_counts: ndarray('int32', [h.binCounts.length], h.binCounts),
    bin_size_msec: binSizeMsec, max_isi_msec: maxIsiMsec, num_spikes: train.length, num_isis: h.numIsis, num_above: h.numAbove,
  };
});

export const firingRateTask = implement(firingRateContract, async (k, ctx) => {
  const sorting = await loadSorting(ctx, k.sorting_uri);
  checkSelection(sorting, k.unit_id);
  const train = selectionTrain(sorting.trains, k.unit_id);
  const binSizeSec = k.bin_size_sec ?? defaultFiringRateBinSec(k.duration_sec);
  const r = firingRateOverTime(train, { sampleRateHz: sorting.sampleRateHz, durationSec: k.duration_sec, binSizeSec });
  const n = r.counts.length;
  return {
    edges_sec: ndarray('float64', [n + 1], r.edgesSec),
    counts: ndarray('int32', [n], r.counts),
    rates_hz: ndarray('float32', [n], Float32Array.from(r.ratesHz)),
    bin_size_sec: binSizeSec, num_spikes: train.length,
  };
});
