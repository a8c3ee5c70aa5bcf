/**
 * Overlay of several units' mean waveforms on one set of channels (phy's WaveformView overlay): the
 * union of the units' neighbourhoods, the first unit's channels first (its peak channel first, as
 * fetch_average_waveform.2 orders them), then each further unit's new channels in its order.
 */

/** The part of a fetch_average_waveform.2 result the layout needs. */
export interface UnitChannels {
  channel_ids: { data: ArrayLike<number> };
  /** [M][2] flattened: x, y per channel. */
  channel_locations: { data: ArrayLike<number> };
}

export interface ChannelSet {
  ids: number[];
  /** [M][2] flattened, as the waveform results carry them. */
  locations: Float32Array;
}

export function unionChannels(units: readonly UnitChannels[]): ChannelSet {
  const ids: number[] = [];
  const locs: number[] = [];
  const seen = new Set<number>();
  for (const u of units) {
    const ch = u.channel_ids.data;
    const loc = u.channel_locations.data;
    for (let m = 0; m < ch.length; m++) {
      if (seen.has(ch[m])) continue;
      seen.add(ch[m]);
      ids.push(ch[m]);
      locs.push(loc[2 * m], loc[2 * m + 1]);
    }
  }
  return { ids, locations: Float32Array.from(locs) };
}

/** For each of a unit's channels, its index in the set (−1: not in it). */
export function indexInSet(set: ChannelSet, channelIds: ArrayLike<number>): number[] {
  const at = new Map(set.ids.map((id, i) => [id, i]));
  return Array.from(channelIds, (id) => at.get(id) ?? -1);
}

/** The channels of one unit as a set (what a one-unit panel draws). */
export function channelsOf(u: UnitChannels): ChannelSet {
  return unionChannels([u]);
}
