import type { Chunk } from '../../data/dataSource';
import { NeedChunks } from '../../data/dataSource';
import { ndarrayOfChunk } from '../../data/decode';
import { channelMajor, concatMinMax, filterBlockFor, minMaxDownsample } from '../../kernels/waveforms';
import type { NdArray } from '../../protocol/ndarray';
import type { ChunkSpec } from '../../protocol/messages';
import type { RecordingInfoChunk } from '../../protocol/recordingInfoChunk';
import type { TaskContext } from '../types';
import { TaskError } from '../../taskError';
import { applyFilters, DEFAULT_VIEW_FILTER, designFilters, segmentContextFrames, type RecordingFilter } from './filters';
import { MAX_CHUNKS_PER_ROUND, MAX_FILTER_PIECE_VALUES, MAX_FILTERED_SEGMENT_RAW_VALUES, MAX_SEGMENT_VALUES, maxChunkValues } from './limits';
import { ndarray } from '../../protocol/ndarray';
import type { RecordingFacts } from '../cost';
import { tilePairs, tilesCovering, tileSpec } from './pyramid';

/**
 * The filter option of get_timeseries_segment.1 (`filter?: 'bandpass' | 'none'`).
 *
 * - absent: the recording's own filters (a 2021 `filtered` recording object; none for a raw one).
 *   This is exactly what a 2021 request meant, and since an absent kwarg is not hashed, 2021
 *   kwargs keep their 2021 task hash. Clients must omit the kwarg rather than send a default.
 * - 'bandpass': a band-passed view: the recording's own filters when it has some, else the standard
 *   300–6000 Hz Butterworth.
 * - 'none': the raw data, even of a `filtered` recording.
 *
 * Filtered segments are read with `contextFrames` of real data on each side (the filters' seamless
 * context, summed over filters in series: 894 frames at 30 kHz), so consecutive segments join
 * without seams. ds_factor > 1 with filters: the relay's min/max pyramid is of raw data, so the
 * worker reads the raw frames of the segment (+ context) in pieces of ≤ MAX_FILTER_PIECE_VALUES
 * (whole ds blocks each), all asked in one round, then filters each piece, reduces it to min/max
 * and keeps only the reduction; the raw frames read per segment
 * are capped at MAX_FILTERED_SEGMENT_RAW_VALUES (frames × channels), which at 384 channels and the
 * GUI's segment_size allows ds_factor ≤ 243. Coarser zoom levels of a filtered view are refused
 * with a message: show them unfiltered (filter 'none').
 */
export type SegmentFilterOption = 'bandpass' | 'none' | undefined;

export function segmentFilters(info: RecordingInfoChunk, option: SegmentFilterOption): RecordingFilter[] {
  const own = info.filters ?? [];
  if (option === 'none') return [];
  if (option === 'bandpass') return own.length ? own : [DEFAULT_VIEW_FILTER];
  return own;
}

/** Caps every segment (filtered or not): the result holds C × segment_size (×2 for min/max) f32. */
export function checkSegmentSize(info: RecordingInfoChunk, segmentSize: number): void {
  const values = info.channelIds.length * segmentSize;
  if (values > MAX_SEGMENT_VALUES) {
    throw new TaskError(`A segment of ${segmentSize} frames on ${info.channelIds.length} channels is ${values} values; at most ${MAX_SEGMENT_VALUES}: ` +
      `use segment_size ≤ ${Math.floor(MAX_SEGMENT_VALUES / Math.max(1, info.channelIds.length))}`);
  }
}

/**
 * A filtered segment [startFrame, endFrame): f32 [C][frames] at dsFactor 1, f32 [C][2·blocks]
 * (interleaved min/max of the filtered data) above. One round of `traces` chunks, each covering a
 * whole number of ds blocks plus the filter context on both sides.
 */
export async function filteredSegment(
  ctx: TaskContext, recordingUri: string, info: RecordingInfoChunk, filters: RecordingFilter[],
  startFrame: number, endFrame: number, dsFactor: number,
  /** Values per traces chunk; tests only. */
  maxPieceValues = Math.min(MAX_FILTER_PIECE_VALUES, maxChunkValues(info.dtype)),
): Promise<NdArray<'float32'>> {
  const designs = designFilters(filters, info.sampleRateHz);
  const ctxFrames = segmentContextFrames(designs);
  const C = info.channelIds.length;
  const raw = (endFrame - startFrame) * C;
  if (dsFactor > 1 && raw > MAX_FILTERED_SEGMENT_RAW_VALUES) {
    throw new TaskError(`A filtered segment at ds_factor ${dsFactor} would read and filter ${raw} raw values (cap ${MAX_FILTERED_SEGMENT_RAW_VALUES}): ` +
      "zoom in, or ask for this zoom level with filter 'none'");
  }
  // Frames per piece: a whole number of ds blocks, the piece plus its context within one relay chunk.
  const fit = Math.floor(maxPieceValues / Math.max(1, C)) - 2 * ctxFrames;
  const perPiece = Math.floor(fit / dsFactor) * dsFactor;
  if (perPiece < 1) throw new TaskError(`ds_factor ${dsFactor} on ${C} channels is too coarse for a filtered view: use filter 'none'`);
  const pieces: { start: number; end: number; spec: ChunkSpec }[] = [];
  for (let s = startFrame; s < endFrame; s += perPiece) {
    const e = Math.min(endFrame, s + perPiece);
    const { blockStartFrame, blockEndFrame } = filterBlockFor(s, e, info.numFrames, ctxFrames);
    pieces.push({ start: s, end: e, spec: { type: 'traces', recording: recordingUri, startFrame: blockStartFrame, endFrame: blockEndFrame, channelIds: info.channelIds } });
  }
  if (pieces.length > MAX_CHUNKS_PER_ROUND) throw new TaskError(`A filtered segment needs ${pieces.length} chunks (cap ${MAX_CHUNKS_PER_ROUND})`);
  // Ask for every piece at once (one round), then filter and reduce one piece at a time.
  const missing: ChunkSpec[] = [];
  const parts: NdArray<'float32'>[] = [];
  for (const p of pieces) {
    let chunk: Chunk;
    try {
      [chunk] = await ctx.data.require([p.spec]);
    } catch (err) {
      if (err instanceof NeedChunks) { missing.push(...err.specs); continue; }
      throw err;
    }
    if (missing.length) continue;
    const spec = p.spec as Extract<ChunkSpec, { type: 'traces' }>;
    const block = applyFilters(designs, ndarrayOfChunk(chunk).data, C, spec.startFrame, info.numFrames);
    const seg = block.subarray((p.start - spec.startFrame) * C, (p.end - spec.startFrame) * C);
    parts.push(dsFactor === 1 ? channelMajor(seg, C) : minMaxDownsample(seg, C, dsFactor));
  }
  if (missing.length) throw new NeedChunks(missing);
  return parts.length === 1 ? parts[0] : concatMinMax(parts);
}

/**
 * An unfiltered min/max segment from the recording's pyramid (pyramid.ts): the tiles of level
 * dsFactor that hold its pairs, in one round, concatenated and cut to the segment. Any segment_size
 * maps onto the same tiles, so asking with another segment_size never makes the relay read again.
 */
export async function pyramidSegment(
  ctx: TaskContext, recordingUri: string, info: RecordingInfoChunk, startFrame: number, endFrame: number, dsFactor: number,
): Promise<NdArray<'float32'>> {
  const C = info.channelIds.length;
  const firstPair = startFrame / dsFactor; // segments start on a multiple of dsFactor
  const numPairs = Math.ceil((endFrame - startFrame) / dsFactor);
  const { first, count } = tilesCovering(firstPair, firstPair + numPairs, C);
  if (count > MAX_CHUNKS_PER_ROUND) throw new TaskError(`A segment of ${numPairs} pairs needs ${count} pyramid tiles (cap ${MAX_CHUNKS_PER_ROUND}): ask for a smaller segment_size`);
  const specs = Array.from({ length: count }, (_, i) => tileSpec(recordingUri, dsFactor, first + i, C));
  const tiles = (await ctx.data.require(specs)).map((chunk) => {
    const { data, shape } = ndarrayOfChunk(chunk);
    return ndarray('float32', shape, Float32Array.from(data));
  });
  const all = concatMinMax(tiles);
  const from = 2 * (firstPair - first * tilePairs(C));
  const width = all.shape[1];
  const out = new Float32Array(C * 2 * numPairs);
  for (let c = 0; c < C; c++) out.set(all.data.subarray(c * width + from, c * width + from + 2 * numPairs), c * 2 * numPairs);
  return ndarray('float32', [C, 2 * numPairs], out);
}

export const recordingFactsOfInfo = (info: RecordingInfoChunk): RecordingFacts =>
  ({ numChannels: info.channelIds.length, numFrames: info.numFrames, hasOwnFilters: (info.filters ?? []).length > 0 });
