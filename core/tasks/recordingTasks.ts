import { z } from 'zod';
import { spikeTrainsOfChunk, ndarrayOfChunk } from '../data/decode';
import { channelMajor, noiseBlockFrames, noiseLevels, timeseriesSegmentFrames } from '../kernels/waveforms';
import { ndarray } from '../protocol/ndarray';
import type { TaskContext, TaskDefinition } from './types';
import { TaskError } from './types';
import { checkSegmentSize, filteredSegment, segmentFilters } from './views/timeseries';

/** Recordings and sortings are named by the `sha1://…json` URI of their object (DESIGN.md). */
export const dataUriSchema = z.string().regex(/^sha1:\/\/[0-9a-f]{40}(\/[^?]*)?$/, 'a sha1://<hash>/<label>.json URI of a registered recording or sorting');

/** What the relay's `recordingInfo` chunk holds (relay/formats RecordingInfo plus its filters). */
export interface RelayRecordingInfo {
  sampleRateHz: number;
  numFrames: number;
  channelIds: number[];
  channelGroups: number[];
  geom: [number, number][];
  dtype: 'int16' | 'float32';
  gainUvPerBit: number | null;
  filters: { type: 'bandpass_filter'; freqMinHz: number; freqMaxHz: number; freqWidHz: number }[];
}

export function recordingInfoOf(ctx: TaskContext, recordingUri: string): Promise<RelayRecordingInfo> {
  return ctx.data.json<RelayRecordingInfo>({ type: 'recordingInfo', recording: recordingUri });
}

/** recording_info.3 → {sampling_frequency, channel_ids, channel_groups, geom, num_frames, noise_level, recording_object}. */
export const recordingInfo: TaskDefinition<{ recording_uri: string }> = {
  functionId: 'recording_info.3',
  kind: 'pure',
  kwargs: z.object({ recording_uri: dataUriSchema }).strict(),
  run: async ({ recording_uri }, ctx) => {
    const [infoChunk, objectChunk] = await ctx.data.require([
      { type: 'recordingInfo', recording: recording_uri },
      { type: 'object', uri: recording_uri },
    ]);
    const info = JSON.parse(new TextDecoder().decode(infoChunk.payload)) as RelayRecordingInfo;
    const frames = noiseBlockFrames(info.sampleRateHz, info.numFrames);
    const [block] = await ctx.data.require([{ type: 'traces', recording: recording_uri, startFrame: 0, endFrame: frames, channelIds: info.channelIds }]);
    const levels = noiseLevels(ndarrayOfChunk(block).data, info.channelIds.length);
    return {
      sampling_frequency: info.sampleRateHz,
      channel_ids: info.channelIds,
      channel_groups: info.channelGroups,
      geom: info.geom,
      num_frames: info.numFrames,
      // One number, as in 2021: the median over channels of each channel's MAD/0.6745 on the first 1 s.
      noise_level: median(Array.from(levels)),
      gain_uv_per_bit: info.gainUvPerBit,
      recording_object: JSON.parse(new TextDecoder().decode(objectChunk.payload)),
    };
  },
};

/** sorting_info.3 → {unit_ids, samplerate, sorting_object}. */
export const sortingInfo: TaskDefinition<{ sorting_uri: string }> = {
  functionId: 'sorting_info.3',
  kind: 'pure',
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
 * interleaved min/max pairs (the relay reduces at the source: a zoomed-out view never moves raw data).
 *
 * `filter` (optional, new): absent = the recording's own filters, as 2021 (a `filtered` recording
 * object); 'bandpass' = those, or 300–6000 Hz on a raw recording; 'none' = raw data. Only an absent
 * kwarg keeps a 2021 request's hash, so clients omit it unless they mean to change the view.
 * Filtered segments are computed in the worker from raw traces plus context (views/timeseries.ts).
 */
export const timeseriesSegment: TaskDefinition<{ recording_uri: string; ds_factor: number; segment_num: number; segment_size: number; filter?: 'bandpass' | 'none' }> = {
  functionId: 'get_timeseries_segment.1',
  kind: 'pure',
  kwargs: z.object({
    recording_uri: dataUriSchema,
    ds_factor: z.number().int().min(1).max(1_000_000),
    segment_num: z.number().int().min(0),
    segment_size: z.number().int().min(1).max(MAX_SEGMENT_SIZE),
    filter: z.enum(['bandpass', 'none']).optional(),
  }).strict(),
  run: async ({ recording_uri, ds_factor, segment_num, segment_size, filter }, ctx) => {
    const info = await recordingInfoOf(ctx, recording_uri);
    const { startFrame, endFrame } = timeseriesSegmentFrames(info.numFrames, ds_factor, segment_num, segment_size);
    if (startFrame >= endFrame) throw new TaskError(`Segment ${segment_num} starts past the end of the recording (${info.numFrames} frames)`);
    checkSegmentSize(info, segment_size);
    const filters = segmentFilters(info, filter);
    if (filters.length) return { traces: await filteredSegment(ctx, recording_uri, info, filters, startFrame, endFrame, ds_factor) };
    const C = info.channelIds.length;
    if (ds_factor === 1) {
      const [chunk] = await ctx.data.require([{ type: 'traces', recording: recording_uri, startFrame, endFrame, channelIds: info.channelIds }]);
      return { traces: channelMajor(ndarrayOfChunk(chunk).data, C) };
    }
    const [chunk] = await ctx.data.require([{ type: 'minmax', recording: recording_uri, dsFactor: ds_factor, segment: segment_num, segmentSize: segment_size }]);
    const { data, shape } = ndarrayOfChunk(chunk);
    return { traces: ndarray('float32', shape, Float32Array.from(data)) };
  },
};

function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
