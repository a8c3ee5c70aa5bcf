import { z } from 'zod';
import type { NdArray } from '../../protocol/ndarray';
import { sortingsCost } from '../cost';
import { ndarrayOf, requestOf, type TaskContract } from '../contract';
import { dataUriSchema, unitKwarg, unitSelectionSchema, unitSelectionsSchema, type SortingRef, type UnitSelection } from './kwargs';

/**
 * sortingview.fetch_raster.1 `{sorting_uri, start_sec, end_sec, unit_ids?, max_spikes?}` →
 * `{unit_ids, times_sec f64[n], unit_indices i32[n], total_spikes, stride}`: the spikes with
 * start_sec ≤ t < end_sec of each selection (default: every unit; merge groups unioned), grouped by
 * selection in request order, thinned deterministically to ≤ max_spikes (default 100 000, at most
 * 1 000 000; a unit keeps every stride-th spike of its whole train, so panning does not flicker).
 */
export const DEFAULT_RASTER_MAX_SPIKES = 100_000;
export const MAX_RASTER_SPIKES = 1_000_000;

const kwargs = z.object({
  sorting_uri: dataUriSchema,
  start_sec: z.number().finite().min(0),
  end_sec: z.number().finite(),
  unit_ids: unitSelectionsSchema.optional(),
  max_spikes: z.number().int().min(1).max(MAX_RASTER_SPIKES).optional(),
}).strict().refine((k) => k.end_sec > k.start_sec, { message: 'end_sec must be greater than start_sec', path: ['end_sec'] });

export interface RasterResult { unit_ids: UnitSelection[]; times_sec: NdArray<'float64'>; unit_indices: NdArray<'int32'>; total_spikes: number; stride: number }

export const rasterContract: TaskContract<z.infer<typeof kwargs>, RasterResult> = {
  functionId: 'sortingview.fetch_raster.1',
  kind: 'pure',
  relayCost: sortingsCost(1),
  kwargs,
  result: z.object({
    unit_ids: z.array(unitSelectionSchema), times_sec: ndarrayOf('float64', 1), unit_indices: ndarrayOf('int32', 1), total_spikes: z.number(), stride: z.number(),
  }),
};

/**
 * Spike times of the whole recording (`durationSec` = num_frames / sampling frequency), of `units`
 * or (absent) every unit. The GUI always asks for the whole recording and zooms locally, so one
 * cached result serves every zoom level.
 */
export const rasterRequest = (ref: Pick<SortingRef, 'sortingUri'>, durationSec: number, units?: readonly UnitSelection[]) =>
  requestOf(rasterContract, { sorting_uri: ref.sortingUri, start_sec: 0, end_sec: durationSec, ...(units ? { unit_ids: units.map(unitKwarg) } : {}) });
