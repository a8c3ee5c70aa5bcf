import { sortingsCost } from '../cost';
import { z } from 'zod';
import { rasterData, selectionTrain, type UnitSelection } from '../../kernels/spikeTrains';
import { ndarray } from '../../protocol/ndarray';
import type { TaskDefinition } from '../types';
import { dataUriSchema } from '../recordingTasks';
import { checkSelection, loadSorting, unitSelectionsSchema } from './common';

/**
 * sortingview.fetch_raster.1 `{sorting_uri, start_sec, end_sec, unit_ids?, max_spikes?}` →
 * `{unit_ids, times_sec f64[n], unit_indices i32[n], total_spikes, stride}`: the spikes with
 * start_sec ≤ t < end_sec (t = frame / sampling frequency of the sorting) of each selection
 * (default: every unit; merge groups unioned), grouped by selection in request order, thinned
 * deterministically to ≤ max_spikes (default 100 000, at most 1 000 000) by `rasterData` (a unit keeps
 * every stride-th spike of its whole train, so panning does not flicker). One round: the sorting.
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

export const fetchRaster: TaskDefinition<z.infer<typeof kwargs>> = {
  functionId: 'sortingview.fetch_raster.1',
  kind: 'pure',
  relayCost: sortingsCost(1),
  kwargs,
  run: async (k, ctx) => {
    const sorting = await loadSorting(ctx, k.sorting_uri);
    const selections: UnitSelection[] = k.unit_ids ?? sorting.unitIds;
    for (const sel of selections) checkSelection(sorting, sel);
    const sr = sorting.sampleRateHz;
    const r = rasterData({
      spikeTrains: selections.map((sel) => selectionTrain(sorting.trains, sel)), sampleRateHz: sr,
      startFrame: k.start_sec * sr, endFrame: k.end_sec * sr, maxSpikes: k.max_spikes ?? DEFAULT_RASTER_MAX_SPIKES,
    });
    return {
      unit_ids: selections,
      times_sec: ndarray('float64', [r.timesSec.length], r.timesSec),
      unit_indices: ndarray('int32', [r.unitIndices.length], r.unitIndices),
      total_spikes: r.totalSpikes,
      stride: r.strideSpikes,
    };
  },
};
