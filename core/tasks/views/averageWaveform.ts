import { snippetTaskCost } from '../cost';
import { z } from 'zod';
import { averageWaveformOfMean, EmptyUnitError, type AverageWaveform, type Scale } from '../../kernels/waveforms';
import type { TaskDefinition } from '../types';
import { dataUriSchema } from '../recordingTasks';
import {
  describeSelectionCapitalized, loadRecordingAndSorting, selectionTimes, snippetLenOf, snippetLenSchema, unitSelectionSchema, type RecordingRef,
} from './common';
import { forEachUnitMean, hasEligibleSpikes, unitNeighborhoods, waveformSetup } from './unitWaveforms';

/**
 * fetch_average_waveform.2 `{recording_uri, sorting_uri, unit_id, snippet_len?}` →
 * `{average_waveform f32[M][T], channel_ids i32[M], channel_locations f32[M][2], sampling_frequency,
 * units, num_spikes}`: the mean of ≤ 500 sampled spikes (a merge group samples the union of its
 * members' spikes) on the unit's ≤ 15-channel neighbourhood, peak channel first; µV when the
 * recording has a gain (`units: 'uV'`), raw values otherwise.
 *
 * Rounds: 1. recordingInfo + sorting; 2. round A (probes of > 15 channels); 3. the sample on the
 * neighbourhood (unitWaveforms.ts). A unit without a spike whose window lies inside the recording
 * ends in an error after round 1 (nothing is gathered).
 */
export const fetchAverageWaveformKwargs = z.object({
  recording_uri: dataUriSchema,
  sorting_uri: dataUriSchema,
  unit_id: unitSelectionSchema,
  snippet_len: snippetLenSchema.optional(),
}).strict();

export function scaleOf(recording: RecordingRef): Scale | undefined {
  return recording.info.gainUvPerBit === null ? undefined : { gainUvPerBit: recording.info.gainUvPerBit };
}

export const recordingGeometryOf = (r: RecordingRef) => ({ channelIds: r.info.channelIds, geom: r.info.geom, sampleRateHz: r.info.sampleRateHz });

export const fetchAverageWaveform: TaskDefinition<z.infer<typeof fetchAverageWaveformKwargs>> = {
  functionId: 'fetch_average_waveform.2',
  kind: 'pure',
  relayCost: snippetTaskCost,
  kwargs: fetchAverageWaveformKwargs,
  run: async (k, ctx) => {
    const { recording, sorting } = await loadRecordingAndSorting(ctx, k.recording_uri, k.sorting_uri);
    const setup = waveformSetup(recording, snippetLenOf(k));
    const unit = { selection: k.unit_id, times: selectionTimes(sorting, k.unit_id) };
    if (!hasEligibleSpikes(setup, unit)) throw new EmptyUnitError(describeSelectionCapitalized(k.unit_id));
    const nbhds = await unitNeighborhoods(ctx, setup, [unit]);
    const { results } = await forEachUnitMean(ctx, setup, [unit], nbhds, (_, m, channelIds): AverageWaveform =>
      averageWaveformOfMean({ ...m, channelIds, recording: recordingGeometryOf(recording), scale: scaleOf(recording) }));
    return results[0]!;
  },
};
