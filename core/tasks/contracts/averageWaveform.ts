import { z } from 'zod';
import type { AverageWaveform } from '../../kernels/waveforms/averageWaveform';
import { snippetTaskCost } from '../cost';
import { ndarrayOf, requestOf, type TaskContract } from '../contract';
import { recordingAndSorting, unitKwarg, unitTaskKwargsSchema, type SortingRef, type UnitSelection } from './kwargs';

/**
 * fetch_average_waveform.2 `{recording_uri, sorting_uri, unit_id, snippet_len?}` →
 * `{average_waveform f32[M][T], channel_ids i32[M], channel_locations f32[M][2], sampling_frequency,
 * units, num_spikes}`: the mean of ≤ 500 sampled spikes (a merge group samples the union of its
 * members' spikes) on the unit's ≤ 15-channel neighbourhood, peak channel first; µV when the
 * recording has gains, one or per channel (`units: 'uV'`), raw values otherwise. A SortingAnalyzer
 * whose traces are gone answers its `templates` extension instead (over the template's own samples).
 */
const kwargs = unitTaskKwargsSchema;

export type AverageWaveformResult = AverageWaveform;

export const averageWaveformContract: TaskContract<z.infer<typeof kwargs>, AverageWaveformResult> = {
  functionId: 'fetch_average_waveform.2',
  kind: 'pure',
  relayCost: snippetTaskCost,
  kwargs,
  result: z.object({
    average_waveform: ndarrayOf('float32', 2),
    channel_ids: ndarrayOf('int32', 1),
    channel_locations: ndarrayOf('float32', 2),
    sampling_frequency: z.number(),
    units: z.enum(['uV', 'raw']),
    num_spikes: z.number(),
  }),
};

export const averageWaveformRequest = (ref: SortingRef, unit: UnitSelection) =>
  requestOf(averageWaveformContract, { ...recordingAndSorting(ref), unit_id: unitKwarg(unit) });
