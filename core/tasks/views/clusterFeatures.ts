import type { UnitSelection } from '../../kernels/spikeTrains';
import { EmptyUnitError, individualClusterFeatures, pairClusterFeatures, PCA_MAX_SPIKES, type PairSide } from '../../kernels/waveforms';
import { individualClusterFeaturesContract, pairClusterFeaturesContract } from '../contracts/clusterFeatures';
import { implement, type TaskContext } from '../types';
import { describeSelectionCapitalized, loadRecordingAndSorting, selectionTimes, snippetLenOf } from './common';
import { forEachUnitSample, hasEligibleSpikes, unitNeighborhoods, waveformSetup, type UnitRequest, type WaveformSetup } from './unitWaveforms';

/**
 * Cluster views (PCA, contracts/clusterFeatures.ts), on the units' neighbourhood channels and ≤ 1000
 * sampled spikes each (the 1000-spike sample contains the average waveform's 500). Rounds as
 * fetch_average_waveform.2. Units may be merge groups. A unit without spikes inside the recording is an error.
 */

async function gatherPca(setup: WaveformSetup, units: UnitRequest[], ctx: TaskContext) {
  for (const u of units) if (!hasEligibleSpikes(setup, u)) throw new EmptyUnitError(describeSelectionCapitalized(u.selection));
  const nbhds = await unitNeighborhoods(ctx, setup, units);
  const { results } = await forEachUnitSample(ctx, setup, units, nbhds,
    (_, snippets, channelIds, frames) => ({ snippets, channelIds, frames }), { maxSpikes: PCA_MAX_SPIKES });
  return results.map((r) => r!);
}

export const individualClusterFeaturesTask = implement(individualClusterFeaturesContract, async (k, ctx) => {
  const { recording, sorting } = await loadRecordingAndSorting(ctx, k.recording_uri, k.sorting_uri);
  const setup = waveformSetup(recording, snippetLenOf(k));
  const [r] = await gatherPca(setup, [{ selection: k.unit_id, times: selectionTimes(sorting, k.unit_id) }], ctx);
  return individualClusterFeatures(r.snippets, r.frames, describeSelectionCapitalized(k.unit_id));
});

export const labelOf = (sel: UnitSelection) => (typeof sel === 'number' ? sel : Math.min(...sel));

export const pairClusterFeaturesTask = implement(pairClusterFeaturesContract, async (k, ctx) => {
  const { recording, sorting } = await loadRecordingAndSorting(ctx, k.recording_uri, k.sorting_uri);
  const setup = waveformSetup(recording, snippetLenOf(k));
  const sels = [k.unit_id1, k.unit_id2];
  const rs = await gatherPca(setup, sels.map((selection) => ({ selection, times: selectionTimes(sorting, selection) })), ctx);
  const side = (i: number): PairSide => ({ snippets: rs[i].snippets, channelIds: rs[i].channelIds, times: rs[i].frames, label: labelOf(sels[i]) });
  return pairClusterFeatures(side(0), side(1));
});
