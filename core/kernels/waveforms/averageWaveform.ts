import { ndarray, type NdArray } from '../../protocol/ndarray';
import { channelNeighborhood, MAX_NEIGHBORHOOD_SIZE, peakChannelIndex, type Geometry } from './channels';
import { meanSnippet, type Snippets } from './snippets';

/** What the kernels need to know about the recording (from recording_info). */
export interface RecordingGeometry {
  /** All channel ids, in recording order. */
  channelIds: ArrayLike<number>;
  /** One position per channel, same order. */
  geom: Geometry;
  sampleRateHz: number;
}

/** Conversion of raw values to µV: uV = raw · gainUvPerBit + offsetUv. */
export interface Scale {
  gainUvPerBit: number;
  offsetUv?: number;
}

/** fetch_average_waveform.2's result, plus the unit of its values. */
export interface AverageWaveform {
  /** f32 [M][T], channel-major, neighbourhood order (peak channel first). */
  average_waveform: NdArray<'float32'>;
  channel_ids: NdArray<'int32'>;
  /** f32 [M][2]. */
  channel_locations: NdArray<'float32'>;
  sampling_frequency: number;
  units: 'uV' | 'raw';
  /** How many spikes were averaged. */
  num_spikes: number;
}

/**
 * fetch_average_waveform.2: the mean of the sampled snippets of a unit or merge group, shown on its
 * channel neighbourhood.
 *
 * `snippets` are the sample of `sampleSpikeFrames` (≤ AVERAGE_WAVEFORM_MAX_SPIKES; a merge group
 * samples the union of its members' spikes) on channels `channelIds`. The peak channel is the argmax
 * peak-to-peak of the mean over those channels, and the neighbourhood the ≤ 15 of them nearest it.
 * Pass all channels for 2021's result, or any superset of the neighbourhood.
 *
 * An empty unit throws EmptyUnitError (the task ends in `error` with its message) rather than
 * returning an empty array that a view would draw as a blank plot.
 */
export function averageWaveform(args: {
  snippets: Snippets;
  channelIds: ArrayLike<number>;
  recording: RecordingGeometry;
  scale?: Scale;
  maxNeighbors?: number;
  /** Names the unit in error messages, e.g. 'Unit 12' or 'Merge group [3, 7]'. */
  what?: string;
}): AverageWaveform {
  const { snippets: s, ...rest } = args;
  return averageWaveformOfMean({ ...rest, mean: meanSnippet(s, args.what), numSamples: s.numSamples, numChannels: s.numChannels, numSpikes: s.numSpikes });
}

/** The same from the mean snippet `[T][C]` (float64) of `numSpikes` spikes: what the relay's snippet sums give. */
export function averageWaveformOfMean(args: {
  mean: Float64Array;
  numSamples: number;
  numChannels: number;
  numSpikes: number;
  channelIds: ArrayLike<number>;
  recording: RecordingGeometry;
  scale?: Scale;
  maxNeighbors?: number;
}): AverageWaveform {
  const { mean, channelIds, recording } = args;
  if (channelIds.length !== args.numChannels || mean.length !== args.numSamples * args.numChannels) {
    throw new RangeError(`averageWaveform: ${channelIds.length} channel ids and ${mean.length} values for [${args.numSamples}][${args.numChannels}]`);
  }
  const T = args.numSamples;
  const C = args.numChannels;
  const peakCol = peakChannelIndex(mean, T, C);

  // Columns of the snippets ↔ indices of the recording's channels (geometry and tie order).
  const recIndexOf = new Map<number, number>();
  for (let i = 0; i < recording.channelIds.length; i++) recIndexOf.set(recording.channelIds[i], i);
  const recIndex = Array.from(channelIds, (id) => {
    const i = recIndexOf.get(id);
    if (i === undefined) throw new RangeError(`averageWaveform: channel ${id} is not in the recording`);
    return i;
  });
  const colOfRec = new Map(recIndex.map((r, c) => [r, c]));
  const nbhd = channelNeighborhood(recording.geom, recIndex[peakCol], args.maxNeighbors ?? MAX_NEIGHBORHOOD_SIZE, recIndex);

  const M = nbhd.length;
  const gain = args.scale?.gainUvPerBit ?? 1;
  const offset = args.scale?.offsetUv ?? 0;
  const wave = new Float32Array(M * T);
  const ids = new Int32Array(M);
  const locs = new Float32Array(M * 2);
  for (let m = 0; m < M; m++) {
    const col = colOfRec.get(nbhd[m])!;
    for (let t = 0; t < T; t++) wave[m * T + t] = mean[t * C + col] * gain + offset;
    ids[m] = recording.channelIds[nbhd[m]];
    const p = recording.geom[nbhd[m]];
    locs[2 * m] = p[0] ?? 0;
    locs[2 * m + 1] = p[1] ?? 0;
  }
  return {
    average_waveform: ndarray('float32', [M, T], wave),
    channel_ids: ndarray('int32', [M], ids),
    channel_locations: ndarray('float32', [M, 2], locs),
    sampling_frequency: recording.sampleRateHz,
    units: args.scale ? 'uV' : 'raw',
    num_spikes: args.numSpikes,
  };
}
