import { spikeTrainsOfChunk, ndarrayOfChunk } from '../data/decode';
import { channelMajor, noiseBlockFrames, noiseLevels, timeseriesSegmentFrames } from '../kernels/waveforms';
import { parseRecordingInfoChunk, type RecordingInfoChunk } from '../protocol/recordingInfoChunk';
import { relayCostRefusal } from './cost';
import { recordingInfoContract, sortingInfoContract, timeseriesRelayCost, timeseriesSegmentContract } from './contracts/recording';
import { implement, type TaskContext } from './types';
import { TaskError } from '../taskError';
import { maxChunkValues } from './views/limits';
import { checkSegmentSize, filteredSegment, pyramidSegment, recordingFactsOfInfo, segmentFilters } from './views/timeseries';

export async function recordingInfoOf(ctx: TaskContext, recordingUri: string): Promise<RecordingInfoChunk> {
  const [chunk] = await ctx.data.require([{ type: 'recordingInfo', recording: recordingUri }]);
  return parseRecordingInfoChunk(chunk.payload);
}

/** recording_info.3 (contracts/recording.ts): the noise level from the first second, or as much of it as one chunk holds. */
export const recordingInfoTask = implement(recordingInfoContract, async ({ recording_uri }, ctx) => {
  const [infoChunk, objectChunk] = await ctx.data.require([
    { type: 'recordingInfo', recording: recording_uri },
    { type: 'object', uri: recording_uri },
  ]);
  const info = parseRecordingInfoChunk(infoChunk.payload);
  const levels = await channelNoiseLevels(ctx, recording_uri, info);
  return {
    sampling_frequency: info.sampleRateHz,
    channel_ids: info.channelIds,
    channel_groups: info.channelGroups,
    geom: info.geom,
    num_frames: info.numFrames,
    noise_level: median(Array.from(levels)),
    gain_uv_per_bit: info.gainUvPerBit,
    ...(info.gainUvPerBit === null && info.channelGainsUvPerBit ? { channel_gains_uv_per_bit: info.channelGainsUvPerBit } : {}),
    recording_object: JSON.parse(new TextDecoder().decode(objectChunk.payload)),
  };
});

export const sortingInfoTask = implement(sortingInfoContract, async ({ sorting_uri }, ctx) => {
  const [sortingChunk, objectChunk] = await ctx.data.require([{ type: 'sorting', sorting: sorting_uri }, { type: 'object', uri: sorting_uri }]);
  const s = spikeTrainsOfChunk(sortingChunk);
  return { unit_ids: s.unitIds, samplerate: s.sampleRateHz, sorting_object: JSON.parse(new TextDecoder().decode(objectChunk.payload)) };
});

/**
 * get_timeseries_segment.1 (contracts/recording.ts): unfiltered levels come from the pyramid's
 * tiles, reduced at the source, so a zoomed-out view never moves raw data and every zoom level shares
 * one pyramid; filtered segments are computed here from raw traces plus context (views/timeseries.ts).
 */
export const timeseriesSegmentTask = implement(timeseriesSegmentContract, async (k, ctx) => {
  const { recording_uri, ds_factor, segment_num, segment_size, filter } = k;
  const info = await recordingInfoOf(ctx, recording_uri);
  const { startFrame, endFrame } = timeseriesSegmentFrames(info.numFrames, ds_factor, segment_num, segment_size);
  if (startFrame >= endFrame) throw new TaskError(`Segment ${segment_num} starts past the end of the recording (${info.numFrames} frames)`);
  checkSegmentSize(info, segment_size);
  // The API estimated this cost, maybe without the recording's facts; here they are known.
  const refusal = relayCostRefusal(timeseriesSegmentContract.functionId, timeseriesRelayCost(k, recordingFactsOfInfo(info)));
  if (refusal) throw new TaskError(refusal);
  const filters = segmentFilters(info, filter);
  if (filters.length) return { traces: await filteredSegment(ctx, recording_uri, info, filters, startFrame, endFrame, ds_factor) };
  const C = info.channelIds.length;
  if (ds_factor === 1) {
    const [chunk] = await ctx.data.require([{ type: 'traces', recording: recording_uri, startFrame, endFrame, channelIds: info.channelIds }]);
    return { traces: channelMajor(ndarrayOfChunk(chunk).data, C) };
  }
  return { traces: await pyramidSegment(ctx, recording_uri, info, startFrame, endFrame, ds_factor) };
});

/**
 * Each channel's MAD/0.6745 on the first second, or as much of it as one chunk holds: 1536 channels
 * (NP2.0 quad-base) of int16 at 30 kHz are 92 MB a second, over the relay's 64 MiB (≈ 0.73 s fit; the
 * MAD needs far fewer). A recording whose traces are gone but whose format keeps noise levels (a
 * SortingAnalyzer's `noise_levels` extension) uses those. Without either, the traces request fails
 * with the relay's own message (which says why the traces are not there).
 */
async function channelNoiseLevels(ctx: TaskContext, recordingUri: string, info: RecordingInfoChunk): Promise<ArrayLike<number>> {
  if (info.tracesAvailable === false && info.noiseLevels && info.noiseLevels.length === info.channelIds.length) return info.noiseLevels;
  const frames = Math.min(noiseBlockFrames(info.sampleRateHz, info.numFrames), Math.floor(maxChunkValues(info.dtype) / Math.max(1, info.channelIds.length)));
  const [block] = await ctx.data.require([{ type: 'traces', recording: recordingUri, startFrame: 0, endFrame: frames, channelIds: info.channelIds }]);
  return noiseLevels(ndarrayOfChunk(block).data, info.channelIds.length);
}

function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
