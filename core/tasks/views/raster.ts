import { rasterData, selectionTrain, type UnitSelection } from '../../kernels/spikeTrains';
import { ndarray } from '../../protocol/ndarray';
import { DEFAULT_RASTER_MAX_SPIKES, rasterContract } from '../contracts/raster';
import { implement } from '../types';
import { checkSelection, loadSorting } from './common';

/** sortingview.fetch_raster.1 (contracts/raster.ts): thinned by `rasterData`. One round: the sorting. */
export const rasterTask = implement(rasterContract, async (k, ctx) => {
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
});
