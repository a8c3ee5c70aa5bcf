import { z } from 'zod';
import { MAX_CCG_MATRIX_UNITS } from '../../kernels/spikeTrains/ccg';
import type { NdArray } from '../../protocol/ndarray';
import { sortingsCost } from '../cost';
import { ndarrayOf, requestOf, type TaskContract } from '../contract';
import { dataUriSchema, unitKwarg, unitSelectionSchema, type SortingRef, type UnitSelection } from './kwargs';

/**
 * fetch_correlogram_plot_data.6 `{sorting_uri, unit_x, unit_y?: … | null, subsample?}` →
 * `{bins f32 (ms, −25…25), bin_counts i32, bin_size_sec: 0.001}` (phylib counts, 50 ms window, 1 ms
 * bins; subsample = 100 windows of 10 s when they cover less than half the sorting). `unit_y` null or
 * absent: autocorrelogram of `unit_x`. `subsample` absent = false. Selections may be merge groups.
 */
const plotKwargs = z.object({
  sorting_uri: dataUriSchema,
  unit_x: unitSelectionSchema,
  unit_y: unitSelectionSchema.nullable().optional(),
  subsample: z.boolean().optional(),
}).strict();

export interface CorrelogramResult { bins: NdArray<'float32'>; bin_counts: NdArray<'int32'>; bin_size_sec: number }

export const correlogramContract: TaskContract<z.infer<typeof plotKwargs>, CorrelogramResult> = {
  functionId: 'fetch_correlogram_plot_data.6',
  kind: 'pure',
  relayCost: sortingsCost(1),
  kwargs: plotKwargs,
  result: z.object({ bins: ndarrayOf('float32', 1), bin_counts: ndarrayOf('int32', 1), bin_size_sec: z.number() }),
};

/** 2021's autocorrelogram request: `unit_y: null`, subsampled. */
export const autocorrelogramRequest = (ref: SortingRef, unit: UnitSelection) =>
  requestOf(correlogramContract, { sorting_uri: ref.sortingUri, unit_x: unitKwarg(unit), unit_y: null, subsample: true });

export const crossCorrelogramRequest = (ref: SortingRef, unitX: UnitSelection, unitY: UnitSelection) =>
  requestOf(correlogramContract, { sorting_uri: ref.sortingUri, unit_x: unitKwarg(unitX), unit_y: unitKwarg(unitY), subsample: true });

/** Largest number of units the cross-correlogram matrix task takes: the kernel's bound. */
export { MAX_CCG_MATRIX_UNITS };

/**
 * sortingview.fetch_correlogram_matrix.1 `{sorting_uri, unit_ids (≤ 20), subsample?}` →
 * `{unit_ids, bins f32[nBins], bin_counts i32[K][K][nBins], bin_size_sec, subsampled}`: every auto-
 * and cross-correlogram of the selections at once. C[i][j] has j's spikes after i's on the positive
 * side and equals fetch_correlogram_plot_data.6 with unit_x = i, unit_y = j for i < j. `subsample`
 * (absent = true: the matrix view wants a bounded cost) applies 2021's windows.
 */
const matrixKwargs = z.object({
  sorting_uri: dataUriSchema,
  unit_ids: z.array(unitSelectionSchema).min(1).max(MAX_CCG_MATRIX_UNITS),
  subsample: z.boolean().optional(),
}).strict();

export interface CorrelogramMatrixResult {
  unit_ids: UnitSelection[]; bins: NdArray<'float32'>; bin_counts: NdArray<'int32'>; bin_size_sec: number; subsampled: boolean;
}

export const correlogramMatrixContract: TaskContract<z.infer<typeof matrixKwargs>, CorrelogramMatrixResult> = {
  functionId: 'sortingview.fetch_correlogram_matrix.1',
  kind: 'pure',
  relayCost: sortingsCost(1),
  kwargs: matrixKwargs,
  result: z.object({
    unit_ids: z.array(unitSelectionSchema), bins: ndarrayOf('float32', 1), bin_counts: ndarrayOf('int32', 3), bin_size_sec: z.number(), subsampled: z.boolean(),
  }),
};

/** Every auto- and cross-correlogram of ≤ 20 units in one task (subsampling at its default: omitted). */
export function correlogramMatrixRequest(ref: SortingRef, units: readonly UnitSelection[]) {
  if (units.length < 1 || units.length > MAX_CCG_MATRIX_UNITS) throw new RangeError(`The correlogram matrix takes 1 to ${MAX_CCG_MATRIX_UNITS} units, not ${units.length}`);
  return requestOf(correlogramMatrixContract, { sorting_uri: ref.sortingUri, unit_ids: units.map(unitKwarg) });
}
