import {
  amplitudeFramesToGather, amplitudeWindow, EmptyUnitError, peakChannelIndex, spikeAmplitudes,
  uniqueSorted, windowInside, type AmplitudeWindow,
} from '../../kernels/waveforms';
import { lowerBound } from '../../kernels/spikeTrains';
import { ndarray } from '../../protocol/ndarray';
import { ndarrayOfChunk, type SpikeTrains } from '../../data/decode';
import { spikeAmplitudesContract, type AmplitudesResult } from '../contracts/spikeAmplitudes';
import type { UnitSelection } from '../contracts/kwargs';
import { implement, type TaskContext } from '../types';
import { TaskError } from '../../taskError';
import { channelGainOf, meanInUv, storedTemplates } from './averageWaveform';
import { describeSelection, describeSelectionCapitalized, loadRecordingAndSorting, selectionTimes, snippetLenOf, type RecordingRef } from './common';
import { planGather, planOverCaps, runGather, type GatherMember } from './gather';
import { MAX_AMPLITUDE_SPIKES, MAX_SPIKES_PER_CHUNK } from './limits';
import { forEachUnitMean, hasEligibleSpikes, unitNeighborhoods, waveformSetup } from './unitWaveforms';

/**
 * fetch_spike_amplitudes.1 (contracts/spikeAmplitudes.ts):
 * the peak-to-peak amplitude of EVERY spike on the unit's peak channel, by a 3-step gather that
 * never reads whole snippets of every spike:
 *
 * 1. rounds 1–3 as fetch_average_waveform.2 (info + sorting; round A; the 500-spike sample on the
 *    neighbourhood): the template, its peak channel, and from the template on that channel the
 *    amplitude window (`amplitudeWindow`: trough and rebound, ±2 samples, typically 10–20 frames);
 * 2. round 4: `snippets` of just that window on just the peak channel for every spike, in chunks of
 *    ≤ 50 000 spikes, all asked in one round, consumed batch by batch;
 * 3. `spikeAmplitudes` per chunk, concatenated (a frame shared by two members of a merge group
 *    appears twice, as in the union of their trains).
 *
 * Cap: at most MAX_AMPLITUDE_SPIKES (500 000) distinct spike frames: their list travels in one relay
 * message. Spikes whose window (plus the filter margin on filtered recordings) leaves the recording
 * are left out, like everywhere else. µV when the recording has a gain.
 */
export const spikeAmplitudesTask = implement(spikeAmplitudesContract, async (k, ctx) => {
  const { recording, sorting } = await loadRecordingAndSorting(ctx, k.recording_uri, k.sorting_uri);
  const { info } = recording;
  if (info.tracesAvailable === false && info.spikeAmplitudes) return storedAmplitudes(ctx, k, recording, sorting);
  const setup = waveformSetup(recording, snippetLenOf(k));
  const times = selectionTimes(sorting, k.unit_id);
  const what = describeSelection(k.unit_id);
  const distinct = uniqueSorted([times]).length;
  if (distinct > MAX_AMPLITUDE_SPIKES) {
    throw new TaskError(`The amplitudes of ${what} would gather ${distinct} spikes; at most ${MAX_AMPLITUDE_SPIKES} are gathered in one task. ` +
      'Split the unit, or view its amplitudes over a subsampled sorting.');
  }
  const unit = { selection: k.unit_id, times };
  if (!hasEligibleSpikes(setup, unit)) throw new EmptyUnitError(describeSelectionCapitalized(k.unit_id));

  // Step 1: the template on the neighbourhood, its peak channel and the window there.
  const nbhds = await unitNeighborhoods(ctx, setup, [unit]);
  const gainOf = channelGainOf(recording);
  const { results } = await forEachUnitMean(ctx, setup, [unit], nbhds, (_, m, channelIds) => {
    const { numSamples, numChannels } = m;
    // The peak in µV: with per-channel gains the largest raw swing need not be the largest signal.
    const mean = meanInUv(m.mean, numSamples, channelIds, gainOf);
    const col = peakChannelIndex(mean, numSamples, numChannels);
    const onPeak = Float64Array.from({ length: numSamples }, (_, t) => mean[t * numChannels + col]);
    return { peakChannel: channelIds[col], window: amplitudeWindow(onPeak, setup.snippetLen[0]) };
  });
  const { peakChannel, window } = results[0]!;

  // Step 2: that window on that channel for every spike (plus the filter margin on both sides).
  const m = setup.marginFrames;
  const gatherWindow: AmplitudeWindow = { before: window.before + m, after: window.after + m };
  const frames = amplitudeFramesToGather(times, info.numFrames, gatherWindow);
  const members: GatherMember[] = [];
  for (let i = 0; i < frames.length; i += MAX_SPIKES_PER_CHUNK) members.push({ frames: frames.subarray(i, i + MAX_SPIKES_PER_CHUNK), channelIds: [peakChannel] });
  const plan = planGather({ recording: recording.uri, dtype: info.dtype, before: gatherWindow.before, after: gatherWindow.after, members, maxPieceChannels: 1 });
  const over = planOverCaps(plan);
  if (over) throw new TaskError(`The amplitudes of ${what} need ${over}: use a shorter snippet_len`);

  // Step 3: amplitudes piece by piece (pieces hold consecutive ranges of the sorted frames).
  const kept = times.filter((t) => windowInside(t, info.numFrames, [gatherWindow.before, gatherWindow.after]));
  const parts: { timepoints: Float32Array; amplitudes: Float32Array }[] = [];
  await runGather(ctx, plan, (piece, gathered, index) => {
    const lo = lowerBound(kept, piece.frames[0]);
    const hi = lowerBound(kept, piece.frames[piece.frames.length - 1] + 1, lo);
    const r = spikeAmplitudes({
      times: kept.subarray(lo, hi), numFrames: info.numFrames, window, gatheredFrames: piece.frames, gathered, scale: gainOf ? { gainUvPerBit: gainOf(peakChannel) } : undefined,
    });
    parts[index] = { timepoints: r.timepoints.data, amplitudes: r.amplitudes.data };
  }, { designs: setup.designs, marginFrames: m, numFrames: info.numFrames });
  const n = parts.reduce((s, p) => s + p.timepoints.length, 0);
  const timepoints = new Float32Array(n);
  const amplitudes = new Float32Array(n);
  let off = 0;
  for (const p of parts) { timepoints.set(p.timepoints, off); amplitudes.set(p.amplitudes, off); off += p.timepoints.length; }
  return {
    timepoints: ndarray('float32', [n], timepoints),
    amplitudes: ndarray('float32', [n], amplitudes),
    units: gainOf ? 'uV' : 'raw',
    peak_channel: peakChannel,
    window: [window.before, window.after],
  };
});

/**
 * A SortingAnalyzer whose traces are gone: its `spike_amplitudes` extension (SpikeInterface's amplitude
 * of each spike at its template's extremum channel, signed: negative for peak_sign "neg"), every spike
 * of the unit (a merge group: its members' spikes in time order). `peak_channel` is the stored
 * template's peak channel (−1 without a `templates` extension); `window` [0, 1]: the value at the spike.
 */
async function storedAmplitudes(ctx: TaskContext, k: { recording_uri: string; sorting_uri: string; unit_id: UnitSelection }, recording: RecordingRef, sorting: SpikeTrains): Promise<AmplitudesResult> {
  const members = (typeof k.unit_id === 'number' ? [k.unit_id] : k.unit_id).filter((u) => selectionTimes(sorting, u).length > 0);
  if (!members.length) throw new TaskError(`${describeSelectionCapitalized(k.unit_id)} has no spikes, so it has no amplitudes`);
  const [chunk] = await ctx.data.require([{ type: 'spikeAmplitudes', recording: k.recording_uri, sorting: k.sorting_uri, unitIds: members }]);
  const { data } = ndarrayOfChunk(chunk);
  const trains = members.map((u) => selectionTimes(sorting, u));
  const total = trains.reduce((n, t) => n + t.length, 0);
  if (data.length !== total) throw new TaskError(`The analyzer's spike_amplitudes hold ${data.length} values for the ${total} spikes of ${describeSelection(k.unit_id)}: the extension is not of this sorting; recompute it in SpikeInterface`);
  const order: { t: number; a: number }[] = [];
  let off = 0;
  for (const t of trains) {
    for (let i = 0; i < t.length; i++) order.push({ t: t[i]!, a: data[off + i]! });
    off += t.length;
  }
  order.sort((x, y) => x.t - y.t);
  const peak = recording.info.templates ? (await storedTemplates(ctx, k, recording, sorting, [k.unit_id]))[0]?.channel_ids.data[0] ?? -1 : -1;
  return {
    timepoints: ndarray('float32', [total], Float32Array.from(order, (o) => o.t)),
    amplitudes: ndarray('float32', [total], Float32Array.from(order, (o) => o.a)),
    units: recording.info.spikeAmplitudes!.units,
    peak_channel: peak,
    window: [0, 1],
  };
}
