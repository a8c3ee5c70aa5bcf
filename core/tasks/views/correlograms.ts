import {
  correlogramBinCentresMs, correlogramCounts, correlogramPlotData, correlogramSubsampleWindows, restrictToWindows, selectionTrain, type UnitSelection,
} from '../../kernels/spikeTrains';
import { ndarray } from '../../protocol/ndarray';
import { correlogramContract, correlogramMatrixContract } from '../contracts/correlograms';
import { implement } from '../types';
import { checkSelection, loadSorting } from './common';

/**
 * Correlograms (contracts/correlograms.ts): one round, the `sorting` chunk; no recording data.
 * fetch_correlogram_plot_data.6 is exactly the kernel's `correlogramPlotData`; selections may be
 * merge groups (their spikes are unioned).
 */
const BIN_SIZE_SEC = 0.001;
const WINDOW_SIZE_MSEC = 50;

export const correlogramTask = implement(correlogramContract, async (k, ctx) => {
  const sorting = await loadSorting(ctx, k.sorting_uri);
  checkSelection(sorting, k.unit_x);
  if (k.unit_y != null) checkSelection(sorting, k.unit_y);
  const r = correlogramPlotData({
    spikeTrains: sorting.trains, sampleRateHz: sorting.sampleRateHz, unitX: k.unit_x, unitY: k.unit_y ?? null, subsample: k.subsample ?? false,
  });
  return {
    bins: ndarray('float32', [r.bins.length], r.bins),
    bin_counts: ndarray('int32', [r.bin_counts.length], r.bin_counts),
    bin_size_sec: r.bin_size_sec,
  };
});

/**
 * sortingview.fetch_correlogram_matrix.1: phylib counts on the selections' stably merged spikes
 * (`correlogramCounts`); subsampling windows are chosen over the whole sorting as in .6.
 */
export const correlogramMatrixTask = implement(correlogramMatrixContract, async (k, ctx) => {
  const sorting = await loadSorting(ctx, k.sorting_uri);
  for (const sel of k.unit_ids) checkSelection(sorting, sel);
  const windows = (k.subsample ?? true) ? correlogramSubsampleWindows(sorting.trains, sorting.sampleRateHz) : null;
  const trains = k.unit_ids.map((sel: UnitSelection) => {
    const t = selectionTrain(sorting.trains, sel);
    return windows ? restrictToWindows(t, windows) : t;
  });
  const c = correlogramCounts({ spikeTrains: trains, sampleRateHz: sorting.sampleRateHz, binSizeSec: BIN_SIZE_SEC, windowSizeSec: WINDOW_SIZE_MSEC / 1000 });
  const K = k.unit_ids.length;
  return {
    unit_ids: k.unit_ids,
    bins: ndarray('float32', [c.nBins], Float32Array.from(correlogramBinCentresMs(c.nBins, WINDOW_SIZE_MSEC))),
    bin_counts: ndarray('int32', [K, K, c.nBins], c.binCounts),
    bin_size_sec: BIN_SIZE_SEC,
    subsampled: windows !== null,
  };
});
