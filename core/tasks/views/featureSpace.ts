import { EmptyUnitError, meanSnippet, peakChannelIndex } from '../../kernels/waveforms';
import { FEATURE_SPACE_PCS, featureRows, featureSpace, type FeatureRows } from '../../kernels/waveforms/featureSpace';
import { ndarray } from '../../protocol/ndarray';
import { TaskError } from '../../taskError';
import { FEATURE_SPACE_MAX_CHANNELS, FEATURE_SPACE_MAX_SPIKES, featureSpaceContract } from '../contracts/featureSpace';
import { implement } from '../types';
import { describeSelectionCapitalized, loadRecordingAndSorting, selectionTimes, snippetLenOf } from './common';
import { forEachUnitSample, hasEligibleSpikes, unitNeighborhoods, waveformSetup, type UnitRequest } from './unitWaveforms';

/**
 * sortingview.fetch_feature_space.1 (contracts/featureSpace.ts): the selected units in one PC space.
 *
 * Rounds as the cluster views: info + sorting; round A (each unit's neighbourhood, skipped when
 * channel_ids are given or the probe has ≤ 15 channels); round B, every unit's sample (the same
 * deterministic sample as individual_cluster_features.1, or its first max_spikes_per_unit) on the
 * SAME channels. Default channels: each unit's rough peak (round A), then the first unit's
 * neighbourhood, to 15; once the sample is in, they are ordered by the units' peaks within them
 * (each unit's mean, peak-to-peak), then the rest in neighbourhood order. Given channel_ids keep
 * their order. The kernel (kernels/waveforms/featureSpace.ts) fits the one PCA and projects.
 */

/**
 * Float32 row values held for the PCA (the rows of every unit on every channel): 128 MiB. The default
 * (16 units × 1000 spikes × 15 channels × 130 frames) fits; long snippets sample fewer spikes per unit.
 */
export const MAX_FEATURE_ROW_VALUES = 32 * 1024 * 1024;

/** Spikes sampled per unit: as asked (default 1000), fewer when the rows would exceed MAX_FEATURE_ROW_VALUES (at least 1). */
export function featureSpikesPerUnit(numUnits: number, numChannels: number, numSamples: number, asked = FEATURE_SPACE_MAX_SPIKES): number {
  return Math.max(1, Math.min(asked, Math.floor(MAX_FEATURE_ROW_VALUES / (numUnits * numChannels * numSamples))));
}

export const featureSpaceTask = implement(featureSpaceContract, async (k, ctx) => {
  const { recording, sorting } = await loadRecordingAndSorting(ctx, k.recording_uri, k.sorting_uri);
  const { info } = recording;
  const setup = waveformSetup(recording, snippetLenOf(k));
  const units: UnitRequest[] = k.unit_ids.map((selection) => ({ selection, times: selectionTimes(sorting, selection) }));
  const eligible = units.map((u) => hasEligibleSpikes(setup, u));
  if (!eligible.some(Boolean)) throw new EmptyUnitError(units.length === 1 ? describeSelectionCapitalized(units[0].selection) : 'None of the units');

  let channels: number[];
  const given = k.channel_ids !== undefined;
  if (k.channel_ids) {
    const known = new Set(info.channelIds);
    const unknown = k.channel_ids.filter((c) => !known.has(c));
    if (unknown.length) throw new TaskError(`Channel ${unknown.join(', ')} is not a channel of the recording (it has ${info.channelIds.length} channels)`);
    channels = [...k.channel_ids];
  } else {
    const nbhds = await unitNeighborhoods(ctx, setup, units);
    const present = nbhds.filter((n): n is number[] => n !== null);
    const set = new Set<number>();
    for (const n of present) set.add(n[0]);
    for (const c of present[0]) set.add(c);
    channels = [...set].slice(0, FEATURE_SPACE_MAX_CHANNELS);
  }

  const T = setup.snippetLen[0] + setup.snippetLen[1];
  const maxSpikes = featureSpikesPerUnit(units.length, channels.length, T, k.max_spikes_per_unit);
  const { results } = await forEachUnitSample(ctx, setup, units, eligible.map((e) => (e ? channels : null)),
    (_, s, _ids, frames) => ({ rows: featureRows(s), frames, peak: peakChannelIndex(meanSnippet(s), s.numSamples, s.numChannels) }), { maxSpikes });
  const C = channels.length;
  const empty: FeatureRows = { data: new Float32Array(0), numSpikes: 0, numChannels: C, numSamples: T };
  const rows = results.map((r) => r?.rows ?? empty);
  const fs = featureSpace(rows, FEATURE_SPACE_PCS);

  // Column order: as given, or the units' peaks first.
  const order: number[] = [];
  if (!given) for (const r of results) if (r && !order.includes(r.peak)) order.push(r.peak);
  for (let c = 0; c < C; c++) if (!order.includes(c)) order.push(c);
  const N = rows.reduce((a, r) => a + r.numSpikes, 0);
  const P = FEATURE_SPACE_PCS;
  const features = new Float32Array(N * C * P);
  for (let s = 0; s < N; s++) {
    for (let c = 0; c < C; c++) features.set(fs.features.subarray((s * C + order[c]) * P, (s * C + order[c] + 1) * P), (s * C + c) * P);
  }
  const timepoints = new Float64Array(N);
  let off = 0;
  for (const r of results) if (r) { timepoints.set(r.frames, off); off += r.frames.length; }
  const components = new Float32Array(P * T);
  fs.components.forEach((v, j) => components.set(v, j * T));
  return {
    channel_ids: ndarray('int32', [C], Int32Array.from(order, (c) => channels[c])),
    spike_counts: ndarray('int32', [units.length], Int32Array.from(rows, (r) => r.numSpikes)),
    timepoints: ndarray('float64', [N], timepoints),
    features: ndarray('float32', [N, C, P], features),
    explained_variance: ndarray('float32', [P], Float32Array.from(fs.variance)),
    explained_variance_ratio: ndarray('float32', [P], Float32Array.from(fs.varianceRatio)),
    components: ndarray('float32', [P, T], components),
  };
});
