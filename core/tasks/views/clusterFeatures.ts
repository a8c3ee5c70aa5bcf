import { snippetTaskCost } from '../cost';
import { z } from 'zod';
import type { UnitSelection } from '../../kernels/spikeTrains';
import { EmptyUnitError, individualClusterFeatures, pairClusterFeatures, PCA_MAX_SPIKES, type PairSide } from '../../kernels/waveforms';
import type { TaskDefinition } from '../types';
import { dataUriSchema } from '../recordingTasks';
import { describeSelectionCapitalized, loadRecordingAndSorting, selectionTimes, snippetLenOf, snippetLenSchema, unitSelectionSchema } from './common';
import { forEachUnitSample, hasEligibleSpikes, unitNeighborhoods, waveformSetup, type UnitRequest, type WaveformSetup } from './unitWaveforms';

/**
 * Cluster views (PCA), on the units' neighbourhood channels and ≤ 1000 sampled spikes each (the
 * 1000-spike sample contains the average waveform's 500). Rounds as fetch_average_waveform.2.
 *
 * individual_cluster_features.1 `{recording_uri, sorting_uri, unit_id, snippet_len?}` →
 * `{timepoints f32 (frames), x, y}`: the kernel's 2-component PCA.
 * pair_cluster_features.4 `{recording_uri, sorting_uri, unit_id1, unit_id2, snippet_len?}` →
 * `{timepoints, x, y, labels i32}` on the channels both neighbourhoods share: x on avg2 − avg1,
 * y = PC1 of the residuals. A label is the unit id (for a merge group, its smallest id).
 * Units may be merge groups. A unit without spikes inside the recording is an error.
 */

async function gatherPca(setup: WaveformSetup, units: UnitRequest[], ctx: Parameters<TaskDefinition['run']>[1]) {
  for (const u of units) if (!hasEligibleSpikes(setup, u)) throw new EmptyUnitError(describeSelectionCapitalized(u.selection));
  const nbhds = await unitNeighborhoods(ctx, setup, units);
  const { results } = await forEachUnitSample(ctx, setup, units, nbhds,
    (_, snippets, channelIds, frames) => ({ snippets, channelIds, frames }), { maxSpikes: PCA_MAX_SPIKES });
  return results.map((r) => r!);
}

const individualKwargs = z.object({
  recording_uri: dataUriSchema,
  sorting_uri: dataUriSchema,
  unit_id: unitSelectionSchema,
  snippet_len: snippetLenSchema.optional(),
}).strict();

export const individualClusterFeaturesTask: TaskDefinition<z.infer<typeof individualKwargs>> = {
  functionId: 'individual_cluster_features.1',
  kind: 'pure',
  relayCost: snippetTaskCost,
  kwargs: individualKwargs,
  run: async (k, ctx) => {
    const { recording, sorting } = await loadRecordingAndSorting(ctx, k.recording_uri, k.sorting_uri);
    const setup = waveformSetup(recording, snippetLenOf(k));
    const [r] = await gatherPca(setup, [{ selection: k.unit_id, times: selectionTimes(sorting, k.unit_id) }], ctx);
    return individualClusterFeatures(r.snippets, r.frames, describeSelectionCapitalized(k.unit_id));
  },
};

const pairKwargs = z.object({
  recording_uri: dataUriSchema,
  sorting_uri: dataUriSchema,
  unit_id1: unitSelectionSchema,
  unit_id2: unitSelectionSchema,
  snippet_len: snippetLenSchema.optional(),
}).strict();

export const labelOf = (sel: UnitSelection) => (typeof sel === 'number' ? sel : Math.min(...sel));

export const pairClusterFeaturesTask: TaskDefinition<z.infer<typeof pairKwargs>> = {
  functionId: 'pair_cluster_features.4',
  kind: 'pure',
  relayCost: snippetTaskCost,
  kwargs: pairKwargs,
  run: async (k, ctx) => {
    const { recording, sorting } = await loadRecordingAndSorting(ctx, k.recording_uri, k.sorting_uri);
    const setup = waveformSetup(recording, snippetLenOf(k));
    const sels = [k.unit_id1, k.unit_id2];
    const rs = await gatherPca(setup, sels.map((selection) => ({ selection, times: selectionTimes(sorting, selection) })), ctx);
    const side = (i: number): PairSide => ({ snippets: rs[i].snippets, channelIds: rs[i].channelIds, times: rs[i].frames, label: labelOf(sels[i]) });
    return pairClusterFeatures(side(0), side(1));
  },
};
