import { z } from 'zod';
import { spikeTrainsOfChunk, ndarrayOfChunk } from '../data/decode';
import { channelMajor, noiseBlockFrames, noiseLevels, timeseriesSegmentFrames } from '../kernels/waveforms';
import type { TaskContext, TaskDefinition } from './types';
import { TaskError } from './types';
import { fixedRelayCost, RECORDING_INFO_READ_BYTES, relayCostRefusal, sortingsCost } from './cost';
import { maxChunkValues } from './views/limits';
import { isPyramidLevel, MAX_DS_FACTOR } from './views/pyramid';
import {
  checkSegmentSize, filteredSegment, pyramidSegment, recordingFactsOfInfo, segmentFilters, timeseriesRelayCost, type TimeseriesKwargs,
} from './views/timeseries';

/** Recordings and sortings are named by the `sha1://…json` URI of their object (DESIGN.md): dataKwargs.ts. */
import { dataUriSchema } from './dataKwargs';

export { dataUriSchema };

/** What the relay's `recordingInfo` chunk holds (relay/formats RecordingInfo plus its filters). */
export interface RelayRecordingInfo {
  sampleRateHz: number;
  numFrames: number;
  channelIds: number[];
  channelGroups: number[];
  geom: [number, number][];
  dtype: 'int16' | 'float32';
  /** One gain for every channel, or null: then per channel (`channelGainsUvPerBit`) or raw units. */
  gainUvPerBit: number | null;
  /** µV per bit of each channel, in channelIds order, when they differ (NP1.0 imroTbl gains). */
  channelGainsUvPerBit?: number[];
  filters: { type: 'bandpass_filter'; freqMinHz: number; freqMaxHz: number; freqWidHz: number }[];
}

export function recordingInfoOf(ctx: TaskContext, recordingUri: string): Promise<RelayRecordingInfo> {
  return ctx.data.json<RelayRecordingInfo>({ type: 'recordingInfo', recording: recordingUri });
}

/** recording_info.3 → {sampling_frequency, channel_ids, channel_groups, geom, num_frames, noise_level, recording_object}. */
export const recordingInfo: TaskDefinition<{ recording_uri: string }> = {
  functionId: 'recording_info.3',
  kind: 'pure',
  relayCost: fixedRelayCost(RECORDING_INFO_READ_BYTES, ''),
  kwargs: z.object({ recording_uri: dataUriSchema }).strict(),
  run: async ({ recording_uri }, ctx) => {
    const [infoChunk, objectChunk] = await ctx.data.require([
      { type: 'recordingInfo', recording: recording_uri },
      { type: 'object', uri: recording_uri },
    ]);
    const info = JSON.parse(new TextDecoder().decode(infoChunk.payload)) as RelayRecordingInfo;
    // The first second, or as much of it as one chunk holds: 1536 channels (NP2.0 quad-base) of int16
    // at 30 kHz are 92 MB a second, over the relay's 64 MiB (≈ 0.73 s fit; the MAD needs far fewer).
    const frames = Math.min(noiseBlockFrames(info.sampleRateHz, info.numFrames), Math.floor(maxChunkValues(info.dtype) / Math.max(1, info.channelIds.length)));
    const [block] = await ctx.data.require([{ type: 'traces', recording: recording_uri, startFrame: 0, endFrame: frames, channelIds: info.channelIds }]);
    const levels = noiseLevels(ndarrayOfChunk(block).data, info.channelIds.length);
    return {
      sampling_frequency: info.sampleRateHz,
      channel_ids: info.channelIds,
      channel_groups: info.channelGroups,
      geom: info.geom,
      num_frames: info.numFrames,
      // One number, as in 2021: the median over channels of each channel's MAD/0.6745 on the first 1 s
      // (less for more than 1118 int16 / 559 float32 channels at 30 kHz, see above).
      noise_level: median(Array.from(levels)),
      gain_uv_per_bit: info.gainUvPerBit,
      ...(info.gainUvPerBit === null && info.channelGainsUvPerBit ? { channel_gains_uv_per_bit: info.channelGainsUvPerBit } : {}),
      recording_object: JSON.parse(new TextDecoder().decode(objectChunk.payload)),
    };
  },
};

/** sorting_info.3 → {unit_ids, samplerate, sorting_object}. */
export const sortingInfo: TaskDefinition<{ sorting_uri: string }> = {
  functionId: 'sorting_info.3',
  kind: 'pure',
  relayCost: sortingsCost(1),
  kwargs: z.object({ sorting_uri: dataUriSchema }).strict(),
  run: async ({ sorting_uri }, ctx) => {
    const [sortingChunk, objectChunk] = await ctx.data.require([{ type: 'sorting', sorting: sorting_uri }, { type: 'object', uri: sorting_uri }]);
    const s = spikeTrainsOfChunk(sortingChunk);
    return { unit_ids: s.unitIds, samplerate: s.sampleRateHz, sorting_object: JSON.parse(new TextDecoder().decode(objectChunk.payload)) };
  },
};

/** Frames per segment are bounded so one segment is one chunk of sane size. */
export const MAX_SEGMENT_SIZE = 100_000;

/**
 * get_timeseries_segment.1 → {traces}: f32 [M][frames] at ds_factor 1, else f32 [M][2·blocks] of
 * interleaved min/max pairs. ds_factor is 1 or a level of the recording's min/max pyramid (a power of
 * 3, views/pyramid.ts); unfiltered levels come from the pyramid's tiles, reduced at the source, so a
 * zoomed-out view never moves raw data and every zoom level shares one pyramid.
 *
 * `filter` (optional, new): absent = the recording's own filters, as 2021 (a `filtered` recording
 * object); 'bandpass' = those, or 300–6000 Hz on a raw recording; 'none' = raw data. Only an absent
 * kwarg keeps a 2021 request's hash, so clients omit it unless they mean to change the view.
 * Filtered segments are computed in the worker from raw traces plus context (views/timeseries.ts).
 */
export const timeseriesSegment: TaskDefinition<TimeseriesKwargs> = {
  functionId: 'get_timeseries_segment.1',
  kind: 'pure',
  relayCost: timeseriesRelayCost,
  relayCostUsesRecording: true,
  kwargs: z.object({
    recording_uri: dataUriSchema,
    ds_factor: z.number().int().refine((d) => d === 1 || isPyramidLevel(d), {
      message: `ds_factor must be 1 (raw samples) or a min/max pyramid level: a power of 3 from 3 to ${MAX_DS_FACTOR} (3, 9, 27, 81, …)`,
    }),
    segment_num: z.number().int().min(0),
    segment_size: z.number().int().min(1).max(MAX_SEGMENT_SIZE),
    filter: z.enum(['bandpass', 'none']).optional(),
  }).strict(),
  run: async (k, ctx) => {
    const { recording_uri, ds_factor, segment_num, segment_size, filter } = k;
    const info = await recordingInfoOf(ctx, recording_uri);
    const { startFrame, endFrame } = timeseriesSegmentFrames(info.numFrames, ds_factor, segment_num, segment_size);
    if (startFrame >= endFrame) throw new TaskError(`Segment ${segment_num} starts past the end of the recording (${info.numFrames} frames)`);
    checkSegmentSize(info, segment_size);
    // The API estimated this cost, maybe without the recording's facts; here they are known.
    const refusal = relayCostRefusal(timeseriesSegment.functionId, timeseriesRelayCost(k, recordingFactsOfInfo(info)));
    if (refusal) throw new TaskError(refusal);
    const filters = segmentFilters(info, filter);
    if (filters.length) return { traces: await filteredSegment(ctx, recording_uri, info, filters, startFrame, endFrame, ds_factor) };
    const C = info.channelIds.length;
    if (ds_factor === 1) {
      const [chunk] = await ctx.data.require([{ type: 'traces', recording: recording_uri, startFrame, endFrame, channelIds: info.channelIds }]);
      return { traces: channelMajor(ndarrayOfChunk(chunk).data, C) };
    }
    return { traces: await pyramidSegment(ctx, recording_uri, info, startFrame, endFrame, ds_factor) };
  },
};

function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
