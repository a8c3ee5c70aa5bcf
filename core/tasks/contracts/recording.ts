import { z } from 'zod';
import type { NdArray } from '../../protocol/ndarray';
import { COST_SAMPLE_BYTES, fixedRelayCost, RECORDING_INFO_READ_BYTES, sortingsCost, type RecordingFacts, type RelayCostEstimate } from '../cost';
import { ndarrayOf, requestOf, type TaskContract } from '../contract';
import { MAX_FILTERED_SEGMENT_RAW_VALUES, MAX_SEGMENT_VALUES } from '../views/limits';
import { isPyramidLevel, MAX_DS_FACTOR, pyramidLevel, PYRAMID_BASE_LEVEL, tilePairs, tilesCovering } from '../views/pyramid';
import { dataUriSchema } from './kwargs';

/**
 * recording_info.3 `{recording_uri}` → `{sampling_frequency, channel_ids, channel_groups, geom,
 * num_frames, noise_level, gain_uv_per_bit, channel_gains_uv_per_bit?, recording_object}`.
 * `noise_level` is one number, as in 2021: the median over channels of each channel's MAD/0.6745 on
 * the first second (less of it for more than 1118 int16 / 559 float32 channels at 30 kHz).
 */
export const recordingInfoResultSchema = z.object({
  sampling_frequency: z.number(),
  channel_ids: z.array(z.number()),
  channel_groups: z.array(z.number()),
  geom: z.array(z.tuple([z.number(), z.number()])),
  num_frames: z.number(),
  noise_level: z.number(),
  /** One gain for every channel, or null (then per channel, or raw units). */
  gain_uv_per_bit: z.number().nullable(),
  channel_gains_uv_per_bit: z.array(z.number()).optional(),
  recording_object: z.unknown(),
});
export type RecordingInfoResult = z.infer<typeof recordingInfoResultSchema>;
export const recordingInfoContract: TaskContract<{ recording_uri: string }, RecordingInfoResult> = {
  functionId: 'recording_info.3',
  kind: 'pure',
  relayCost: fixedRelayCost(RECORDING_INFO_READ_BYTES, ''),
  kwargs: z.object({ recording_uri: dataUriSchema }).strict(),
  result: recordingInfoResultSchema,
};
export const recordingInfoRequest = (recordingUri: string) => requestOf(recordingInfoContract, { recording_uri: recordingUri });

/** The relay cost estimates' facts from a recording_info.3 result (null when it does not have the contract's shape). */
export function recordingFactsOf(result: unknown): RecordingFacts | null {
  const r = recordingInfoResultSchema.safeParse(result);
  if (!r.success) return null;
  // A `filtered` object may sit inside a subrecording: any one means the worker may filter.
  const hasOwnFilters = /"recording_format":"filtered"/.test(JSON.stringify(r.data.recording_object ?? null));
  return { numChannels: r.data.channel_ids.length, numFrames: r.data.num_frames, hasOwnFilters };
}

/** sorting_info.3 `{sorting_uri}` → `{unit_ids, samplerate, sorting_object}`. */
export interface SortingInfoResult { unit_ids: number[]; samplerate: number; sorting_object: unknown }
export const sortingInfoContract: TaskContract<{ sorting_uri: string }, SortingInfoResult> = {
  functionId: 'sorting_info.3',
  kind: 'pure',
  relayCost: sortingsCost(1),
  kwargs: z.object({ sorting_uri: dataUriSchema }).strict(),
  result: z.object({ unit_ids: z.array(z.number()), samplerate: z.number(), sorting_object: z.unknown() }),
};
export const sortingInfoRequest = (sortingUri: string) => requestOf(sortingInfoContract, { sorting_uri: sortingUri });

// ---------------------------------------------------------------- timeseries

/** Frames per segment are bounded so one segment is one chunk of sane size. */
export const MAX_SEGMENT_SIZE = 100_000;

/** `filter` of get_timeseries_segment.1: undefined = the recording's own filters (omitted). */
export type TimeseriesFilter = 'bandpass' | 'none' | undefined;

const timeseriesKwargs = z.object({
  recording_uri: dataUriSchema,
  ds_factor: z.number().int().refine((d) => d === 1 || isPyramidLevel(d), {
    message: `ds_factor must be 1 (raw samples) or a min/max pyramid level: a power of 3 from 3 to ${MAX_DS_FACTOR} (3, 9, 27, 81, …)`,
  }),
  segment_num: z.number().int().min(0),
  segment_size: z.number().int().min(1).max(MAX_SEGMENT_SIZE),
  filter: z.enum(['bandpass', 'none']).optional(),
}).strict();
export type TimeseriesKwargs = z.infer<typeof timeseriesKwargs>;

/**
 * get_timeseries_segment.1's relay cost. Without the recording's facts the channel count is the
 * largest the segment cap allows (C · segment_size ≤ MAX_SEGMENT_VALUES, checked by the worker) and
 * the segment is whole. A filtered segment at ds_factor > 1 reads raw frames, but never more than the
 * worker's MAX_FILTERED_SEGMENT_RAW_VALUES (it refuses before asking). Pyramid tiles of levels above
 * the base cost three tiles of the level below; building those once per recording is not charged to
 * the task that happens to ask first (relay/fairQueue.ts keeps that build from starving anyone).
 */
export function timeseriesRelayCost(k: TimeseriesKwargs, facts: RecordingFacts | null): RelayCostEstimate {
  const S = k.segment_size;
  const ds = k.ds_factor;
  const C = facts ? facts.numChannels : Math.max(1, Math.floor(MAX_SEGMENT_VALUES / S));
  const start = k.segment_num * S * ds;
  const frames = facts ? Math.max(0, Math.min(facts.numFrames, start + S * ds) - start) : S * ds;
  const maybeFiltered = k.filter === 'bandpass' || (k.filter === undefined && (facts ? facts.hasOwnFilters : true));
  const unknown = facts ? '' : ' (estimated without the recording\'s facts: ask for recording_info.3 first for a tighter estimate)';
  const finer = `ask for a smaller segment_size (the web app uses ceil(100000 / channels) = ${tilePairs(C)} here) or a shorter range${unknown}`;
  if (ds === 1) return { bytes: frames * C * COST_SAMPLE_BYTES, advice: finer };
  if (maybeFiltered) {
    return { bytes: Math.min(frames * C, MAX_FILTERED_SEGMENT_RAW_VALUES) * COST_SAMPLE_BYTES, advice: `ask for this zoom level with filter 'none', or zoom in${unknown}` };
  }
  const { count } = tilesCovering(start / ds, start / ds + Math.ceil(frames / ds), C);
  const P = tilePairs(C);
  const perTile = pyramidLevel(ds) <= PYRAMID_BASE_LEVEL ? P * ds * C * COST_SAMPLE_BYTES : 3 * P * C * 2 * 4;
  return { bytes: count * perTile, advice: `${finer}, or a coarser ds_factor` };
}

/**
 * get_timeseries_segment.1 `{recording_uri, ds_factor, segment_num, segment_size, filter?}` →
 * `{traces}`: f32 [M][frames] at ds_factor 1, else f32 [M][2·blocks] of interleaved min/max pairs.
 * ds_factor is 1 or a level of the recording's min/max pyramid (a power of 3, views/pyramid.ts).
 * `filter` (optional, new): absent = the recording's own filters, as 2021 (a `filtered` recording
 * object); 'bandpass' = those, or 300–6000 Hz on a raw recording; 'none' = raw data. Only an absent
 * kwarg keeps a 2021 request's hash, so clients omit it unless they mean to change the view.
 */
export const timeseriesSegmentContract: TaskContract<TimeseriesKwargs, { traces: NdArray<'float32'> }> = {
  functionId: 'get_timeseries_segment.1',
  kind: 'pure',
  relayCost: timeseriesRelayCost,
  relayCostUsesRecording: true,
  kwargs: timeseriesKwargs,
  result: z.object({ traces: ndarrayOf('float32', 2) }),
};

/** 2021: each segment holds about 100 000 values, so `ceil(1e5 / channels)` frames. */
export function timeseriesSegmentSize(numChannels: number): number {
  return Math.ceil(100_000 / Math.max(1, numChannels));
}

/**
 * 2021's zoom levels (the min/max pyramid's levels, views/pyramid.ts): the smallest power of 3, at most
 * MAX_DS_FACTOR, with visible frames / ds ≤ max(500, pixel width × factor), factor 0.5 above 32
 * channels (each point is a min/max pair, so this is ~2 pairs per pixel for small probes and 1 for large ones).
 */
export function timeseriesDsFactor(visibleFrames: number, widthPx: number, numChannels: number): number {
  const target = Math.max(500, widthPx * (numChannels > 32 ? 0.5 : 1));
  let ds = 1;
  // The coarsest pyramid level is the limit: past it the view takes more segments instead.
  while (visibleFrames / ds > target && ds < MAX_DS_FACTOR) ds *= 3;
  return ds;
}

export const timeseriesSegmentRequest = (recordingUri: string, o: { dsFactor: number; segmentNum: number; segmentSize: number; filter?: TimeseriesFilter }) =>
  requestOf(timeseriesSegmentContract, {
    recording_uri: recordingUri, ds_factor: o.dsFactor, segment_num: o.segmentNum, segment_size: o.segmentSize, ...(o.filter ? { filter: o.filter } : {}),
  });
