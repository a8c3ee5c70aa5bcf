import { ndarrayOfChunk } from '../../data/decode';
import type { SpikeTrains } from '../../data/decode';
import { averageWaveformOfMean, EmptyUnitError, type AverageWaveform, type Scale } from '../../kernels/waveforms';
import { averageWaveformContract } from '../contracts/averageWaveform';
import type { UnitSelection } from '../contracts/kwargs';
import { TaskError } from '../../taskError';
import { implement, type TaskContext } from '../types';
import { describeSelectionCapitalized, loadRecordingAndSorting, selectionTimes, snippetLenOf, type RecordingRef } from './common';
import { forEachUnitMean, hasEligibleSpikes, unitNeighborhoods, waveformSetup } from './unitWaveforms';

/** µV per bit of a channel id: one gain for all channels, per-channel gains (NP1.0 imroTbl), or null (raw units). */
export function channelGainOf(recording: RecordingRef): ((channelId: number) => number) | null {
  const { gainUvPerBit, channelGainsUvPerBit, channelIds } = recording.info;
  if (gainUvPerBit !== null) return () => gainUvPerBit;
  if (!channelGainsUvPerBit || channelGainsUvPerBit.length !== channelIds.length) return null;
  const byId = new Map(channelIds.map((id, i) => [id, channelGainsUvPerBit[i]!]));
  return (id) => byId.get(id)!;
}

/**
 * A mean snippet `[T][C]` in µV, each column by its own channel's gain, so that the peak channel is
 * chosen on what the user sees; unchanged (raw) without gains.
 */
export function meanInUv(mean: Float64Array, numSamples: number, channelIds: ArrayLike<number>, gainOf: ((id: number) => number) | null): Float64Array {
  if (!gainOf) return mean;
  const C = channelIds.length;
  const gains = Float64Array.from(channelIds, (id) => gainOf(id));
  const out = new Float64Array(mean.length);
  for (let t = 0; t < numSamples; t++) for (let c = 0; c < C; c++) out[t * C + c] = mean[t * C + c]! * gains[c]!;
  return out;
}

/** Values already in µV (meanInUv) keep their scale; raw ones stay raw. */
const scaleOfUv = (gainOf: ((id: number) => number) | null): Scale | undefined => (gainOf ? { gainUvPerBit: 1 } : undefined);

export const recordingGeometryOf = (r: RecordingRef) => ({ channelIds: r.info.channelIds, geom: r.info.geom, sampleRateHz: r.info.sampleRateHz });

/**
 * fetch_average_waveform.2 (contracts/averageWaveform.ts). Rounds: 1. recordingInfo + sorting; 2. round A
 * (probes of > 15 channels); 3. the sample on the neighbourhood (unitWaveforms.ts). A unit without a
 * spike whose window lies inside the recording ends in an error after round 1 (nothing is gathered).
 */
export const averageWaveformTask = implement(averageWaveformContract, async (k, ctx) => {
  const { recording, sorting } = await loadRecordingAndSorting(ctx, k.recording_uri, k.sorting_uri);
  if (recording.info.tracesAvailable === false && recording.info.templates) {
    const [w] = await storedTemplates(ctx, k, recording, sorting, [k.unit_id]);
    if (!w) throw new TaskError(`${describeSelectionCapitalized(k.unit_id)} has no spikes, so the analyzer's template of it means nothing`);
    return w;
  }
  const setup = waveformSetup(recording, snippetLenOf(k));
  const unit = { selection: k.unit_id, times: selectionTimes(sorting, k.unit_id) };
  if (!hasEligibleSpikes(setup, unit)) throw new EmptyUnitError(describeSelectionCapitalized(k.unit_id));
  const nbhds = await unitNeighborhoods(ctx, setup, [unit]);
  const gainOf = channelGainOf(recording);
  const { results } = await forEachUnitMean(ctx, setup, [unit], nbhds, (_, m, channelIds): AverageWaveform =>
    averageWaveformOfMean({ ...m, mean: meanInUv(m.mean, m.numSamples, channelIds, gainOf), channelIds, recording: recordingGeometryOf(recording), scale: scaleOfUv(gainOf) }));
  return results[0]!;
});

/** Units per `templates` chunk (the chunk spec's bound). */
const TEMPLATES_PER_CHUNK = 256;

/**
 * The average waveforms of a recording whose traces are gone but which stores templates (a
 * SortingAnalyzer's `templates` extension): each template itself, over its own samples (not
 * snippet_len), on the peak channel's neighbourhood as above; a merge group's is its members'
 * templates weighted by their spike counts, as SpikeInterface merges templates. null for a selection
 * without spikes. One round: every unit's template, in chunks of TEMPLATES_PER_CHUNK units. The relay
 * serves them only for the analyzer's own sorting; for another sorting the chunk is an error that says so.
 */
export async function storedTemplates(ctx: TaskContext, uris: { recording_uri: string; sorting_uri: string }, recording: RecordingRef, sorting: SpikeTrains,
  selections: readonly UnitSelection[]): Promise<(AverageWaveform | null)[]> {
  const t = recording.info.templates!;
  const membersOf = (sel: UnitSelection) => (typeof sel === 'number' ? [sel] : sel);
  const counts = new Map<number, number>();
  for (const sel of selections) for (const u of membersOf(sel)) counts.set(u, selectionTimes(sorting, u).length);
  const units = [...counts.keys()].filter((u) => counts.get(u)! > 0);
  const batches: number[][] = [];
  for (let i = 0; i < units.length; i += TEMPLATES_PER_CHUNK) batches.push(units.slice(i, i + TEMPLATES_PER_CHUNK));
  const chunks = batches.length ? await ctx.data.require(batches.map((unitIds) => ({ type: 'templates' as const, recording: uris.recording_uri, sorting: uris.sorting_uri, unitIds }))) : [];
  const { channelIds } = recording.info;
  const size = t.numSamples * channelIds.length;
  const rowOf = new Map<number, Float32Array | Int16Array>();
  chunks.forEach((chunk, b) => {
    const { data } = ndarrayOfChunk(chunk);
    batches[b]!.forEach((u, i) => rowOf.set(u, data.subarray(i * size, (i + 1) * size)));
  });
  const gainOf = t.units === 'uV' ? null : channelGainOf(recording);
  const scale: Scale | undefined = t.units === 'uV' ? { gainUvPerBit: 1 } : scaleOfUv(gainOf);
  return selections.map((sel) => {
    const members = membersOf(sel).filter((u) => counts.get(u)! > 0);
    const total = members.reduce((n, u) => n + counts.get(u)!, 0);
    if (total === 0) return null;
    const mean = new Float64Array(size);
    for (const u of members) {
      const w = counts.get(u)! / total;
      const row = rowOf.get(u)!;
      for (let j = 0; j < size; j++) mean[j] += row[j]! * w;
    }
    return averageWaveformOfMean({
      mean: meanInUv(mean, t.numSamples, channelIds, gainOf), numSamples: t.numSamples, numChannels: channelIds.length, numSpikes: total,
      channelIds, recording: recordingGeometryOf(recording), scale,
    });
  });
}
