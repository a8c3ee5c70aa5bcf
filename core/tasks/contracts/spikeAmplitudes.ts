import { z } from 'zod';
import type { NdArray } from '../../protocol/ndarray';
import { snippetTaskCost } from '../cost';
import { ndarrayOf, requestOf, type TaskContract } from '../contract';
import { recordingAndSorting, unitKwarg, unitTaskKwargsSchema, type SortingRef, type UnitSelection } from './kwargs';

/**
 * fetch_spike_amplitudes.1 `{recording_uri, sorting_uri, unit_id, snippet_len?}` →
 * `{timepoints f32 (frames, sorted), amplitudes f32, units, peak_channel, window: [before, after]}`:
 * the peak-to-peak amplitude of every spike on the unit's peak channel (views/spikeAmplitudes.ts).
 * A SortingAnalyzer whose traces are gone answers its `spike_amplitudes` extension instead (signed
 * values at the spike, `window` [0, 1]).
 */
const kwargs = unitTaskKwargsSchema;

export interface AmplitudesResult {
  timepoints: NdArray<'float32'>; amplitudes: NdArray<'float32'>; units: 'uV' | 'raw'; peak_channel: number; window: [number, number];
}

export const spikeAmplitudesContract: TaskContract<z.infer<typeof kwargs>, AmplitudesResult> = {
  functionId: 'fetch_spike_amplitudes.1',
  kind: 'pure',
  relayCost: snippetTaskCost,
  kwargs,
  result: z.object({
    timepoints: ndarrayOf('float32', 1), amplitudes: ndarrayOf('float32', 1), units: z.enum(['uV', 'raw']), peak_channel: z.number(),
    window: z.tuple([z.number(), z.number()]),
  }),
};

export const spikeAmplitudesRequest = (ref: SortingRef, unit: UnitSelection) =>
  requestOf(spikeAmplitudesContract, { ...recordingAndSorting(ref), unit_id: unitKwarg(unit) });
