import { peakChannelIndex } from './channels';
import type { UnitSnippets } from './snr';
import { meanSnippet, type Snippets } from './snippets';

/**
 * get_peak_channels.1 for one unit: the id of the channel where the mean snippet has the largest
 * peak-to-peak (first of the given channels on ties), or null for a unit without spikes.
 * Computed on the same sample and channels as the average waveform, so the "Peak chan." column and
 * the first row of the average-waveform view always agree.
 */
export function unitPeakChannel(s: Snippets, channelIds: ArrayLike<number>): number | null {
  if (channelIds.length !== s.numChannels) {
    throw new RangeError(`unitPeakChannel: ${channelIds.length} channel ids for ${s.numChannels} snippet channels`);
  }
  if (s.numSpikes === 0 || s.numChannels === 0) return null;
  // The same mean and argmax as averageWaveform, so the two can never disagree on near-ties.
  const mean = meanSnippet(s);
  return channelIds[peakChannelIndex(mean, s.numSamples, s.numChannels)];
}

/** get_peak_channels.1: `{[unitId]: channelId | null}`. */
export function peakChannels(units: readonly UnitSnippets[]): Record<string, number | null> {
  return Object.fromEntries(units.map((u) => [String(u.unitId), unitPeakChannel(u.snippets, u.channelIds)]));
}
