/**
 * Test-only: what the waveform tasks must compute, straight from the kernels over the whole
 * in-memory recording (no chunks, no planning), to compare task results and chunk requests with.
 */
import {
  channelNeighborhood, extractSnippets, meanSnippet, peakChannelIndex, sampleSpikeFrames, unionTrains, type SnippetLen, type Snippets,
} from '../../../kernels/waveforms';
import type { SynthRecording } from '../../../kernels/waveforms/testing/synth';
import { PEAK_SEARCH_SPIKES } from '../unitWaveforms';

export type Sel = number | number[];

export function timesOf(trains: Map<number, Float64Array>, sel: Sel): Float64Array {
  return unionTrains((typeof sel === 'number' ? [sel] : sel).map((u) => trains.get(u)!));
}

/** Round A at 30 kHz: [15, 30) frames around the spike, 20 spikes, all channels; null for ≤ 15 channels. */
export function referenceNeighborhood(rec: SynthRecording, times: Float64Array, sel: Sel, snippetLen: SnippetLen, eligibility: SnippetLen = snippetLen):
  { frames: Float64Array; nbhd: number[] } {
  const frames = sampleSpikeFrames(times, sel, rec.numFrames, eligibility, PEAK_SEARCH_SPIKES);
  if (rec.numChannels <= 15 || frames.length === 0) return { frames, nbhd: rec.channelIds.map((_, i) => i) };
  const s = extractSnippets(rec.traces, rec.numChannels, 0, frames, [Math.min(15, snippetLen[0]), Math.min(30, snippetLen[1])]);
  const peak = peakChannelIndex(meanSnippet(s), s.numSamples, s.numChannels);
  return { frames, nbhd: Array.from(channelNeighborhood(rec.geom, peak, 15)) };
}

/** Round B: the sample on the neighbourhood (channel indices), snippets as float64 like the tasks hand them to kernels. */
export function referenceSample(rec: SynthRecording, times: Float64Array, sel: Sel, snippetLen: SnippetLen, nbhd: number[], maxSpikes: number):
  { frames: Float64Array; snippets: Snippets; channelIds: number[] } {
  const frames = sampleSpikeFrames(times, sel, rec.numFrames, snippetLen, maxSpikes);
  const s = extractSnippets(rec.traces, rec.numChannels, 0, frames, snippetLen, nbhd);
  return { frames, snippets: { ...s, data: Float64Array.from(s.data) }, channelIds: nbhd.map((i) => rec.channelIds[i]) };
}

/** The `snippetSums` spec a round asks for: one group per member (frames sorted, repeats kept). */
export const sumsSpec = (recording: string, groups: ArrayLike<number>[], channelIds: number[], before: number, after: number, detailChannelIds?: number[]) =>
  ({ type: 'snippetSums', recording, channelIds, before, after, groups: groups.map((g) => Array.from(g).sort((x, y) => x - y)), ...(detailChannelIds ? { detailChannelIds } : {}) });
