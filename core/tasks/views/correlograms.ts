import { sortingsCost } from '../cost';
import { z } from 'zod';
import {
  correlogramBinCentresMs, correlogramCounts, correlogramPlotData, correlogramSubsampleWindows, MAX_CCG_MATRIX_UNITS,
  restrictToWindows, selectionTrain, type UnitSelection,
} from '../../kernels/spikeTrains';
import { ndarray } from '../../protocol/ndarray';
import type { TaskDefinition } from '../types';
import { dataUriSchema } from '../recordingTasks';
import { checkSelection, loadSorting, unitSelectionSchema } from './common';

/**
 * Correlograms: one round, the `sorting` chunk; no recording data.
 *
 * fetch_correlogram_plot_data.6 `{sorting_uri, unit_x, unit_y?: … | null, subsample?}` →
 * `{bins f32 (ms, −25…25), bin_counts i32, bin_size_sec: 0.001}`, exactly `correlogramPlotData`
 * (phylib counts, 50 ms window, 1 ms bins; subsample = 100 windows of 10 s when they cover less
 * than half the sorting). `unit_y` null or absent: autocorrelogram of `unit_x`. `subsample` absent
 * = false. Selections may be merge groups (their spikes are unioned).
 */
const BIN_SIZE_SEC = 0.001;
const WINDOW_SIZE_MSEC = 50;

const plotKwargs = z.object({
  sorting_uri: dataUriSchema,
  unit_x: unitSelectionSchema,
  unit_y: unitSelectionSchema.nullable().optional(),
  subsample: z.boolean().optional(),
}).strict();

export const fetchCorrelogramPlotData: TaskDefinition<z.infer<typeof plotKwargs>> = {
  functionId: 'fetch_correlogram_plot_data.6',
  kind: 'pure',
  relayCost: sortingsCost(1),
  kwargs: plotKwargs,
  run: async (k, ctx) => {
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
  },
};

/**
 * sortingview.fetch_correlogram_matrix.1 `{sorting_uri, unit_ids (≤ 20), subsample?}` →
 * `{unit_ids, bins f32[nBins], bin_counts i32[K][K][nBins], bin_size_sec, subsampled}`: every auto-
 * and cross-correlogram of the selections at once (phylib on their stably merged spikes, as
 * `correlogramCounts`). C[i][j] has j's spikes after i's on the positive side and equals
 * fetch_correlogram_plot_data.6 with unit_x = i, unit_y = j for i < j (the diagonal: the
 * autocorrelograms). `subsample` (absent = true: the matrix view wants a bounded cost) applies
 * 2021's windows, chosen over the whole sorting as in .6.
 */
const matrixKwargs = z.object({
  sorting_uri: dataUriSchema,
  unit_ids: z.array(unitSelectionSchema).min(1).max(MAX_CCG_MATRIX_UNITS),
  subsample: z.boolean().optional(),
}).strict();

export const fetchCorrelogramMatrix: TaskDefinition<z.infer<typeof matrixKwargs>> = {
  functionId: 'sortingview.fetch_correlogram_matrix.1',
  kind: 'pure',
  relayCost: sortingsCost(1),
  kwargs: matrixKwargs,
  run: async (k, ctx) => {
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
  },
};
